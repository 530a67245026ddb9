"""POST /v1/signals: broadcast a signal."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bpms.services import signals as services
from eximee import roles

from .external_tasks import valid
from .messages import CorrelationResultSerializer


class SignalSerializer(serializers.Serializer):
    signalName = serializers.CharField(max_length=255)
    variables = serializers.DictField(required=False, default=dict)


class BroadcastSignal(APIView):
    """200 {"triggered": [...], "failed": [{processInstanceId, activityId, error}]}."""

    required_roles = {"POST": (roles.EVENT_PUBLISHER,)}

    @extend_schema(request=SignalSerializer, responses=inline_serializer("SignalBroadcast", {
        "triggered": CorrelationResultSerializer(many=True), "failed": serializers.ListField(child=serializers.DictField())}))
    def post(self, request, **kwargs):
        data = valid(SignalSerializer, request.data)
        triggered, failed = services.broadcast(data["signalName"], variables=data["variables"],
                                               actor=request.user.get_username())
        return Response({"triggered": CorrelationResultSerializer(triggered, many=True).data, "failed": failed})
