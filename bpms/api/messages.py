"""POST /v1/messages: correlate a message (or buffer it with a time-to-live)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bpms.services import messages as services
from bpms.services.jobs import parse_duration
from eximee import roles
from eximee.api.serializers import DateTimeField
from eximee.errors import InvalidRequest

from .external_tasks import valid


class MessageSerializer(serializers.Serializer):
    messageName = serializers.CharField(max_length=255)
    businessKey = serializers.CharField(max_length=200, required=False, allow_null=True, default=None)
    processInstanceId = serializers.UUIDField(required=False, allow_null=True, default=None)
    correlationKeys = serializers.DictField(required=False, default=dict)
    processVariables = serializers.DictField(required=False, default=dict)
    businessData = serializers.DictField(required=False, allow_null=True, default=None)
    all = serializers.BooleanField(required=False, default=False)
    timeToLive = serializers.CharField(required=False, allow_null=True, default=None,
                                       help_text="ISO 8601 duration, e.g. PT1H")
    messageId = serializers.CharField(max_length=255, required=False, allow_null=True, default=None)


class CorrelationResultSerializer(serializers.Serializer):
    resultType = serializers.CharField()
    processInstanceId = serializers.UUIDField()
    activityId = serializers.CharField()


class BufferedMessageSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    messageName = serializers.CharField(source="message_name")
    messageId = serializers.CharField(source="message_id")
    state = serializers.CharField()
    expiresAt = DateTimeField(source="expires_at")


def _time_to_live(text):
    if text is None:
        return None
    try:
        return parse_duration(text)
    except InvalidRequest as exc:
        raise InvalidRequest(exc.detail, errors=[{"pointer": "/timeToLive", "detail": "ISO 8601 duration"}]) from None


class PublishMessage(APIView):
    """200 with what was triggered; 202 with the buffered message when nothing waited and a
    timeToLive was given; 404 when nothing waited; 409 when several did and all=false."""

    required_roles = {"POST": (roles.EVENT_PUBLISHER,)}

    @extend_schema(request=MessageSerializer,
                   responses={200: CorrelationResultSerializer(many=True), 202: BufferedMessageSerializer})
    def post(self, request, **kwargs):
        data = valid(MessageSerializer, request.data)
        result = services.correlate(
            data["messageName"], business_key=data["businessKey"], process_instance_id=data["processInstanceId"],
            correlation_keys=data["correlationKeys"], variables=data["processVariables"],
            business_data=data["businessData"], all=data["all"],
            time_to_live=_time_to_live(data["timeToLive"]),
            message_id=data["messageId"], actor=request.user.get_username())
        if result.buffered is not None:
            return Response(BufferedMessageSerializer(result.buffered).data, status=status.HTTP_202_ACCEPTED)
        return Response(CorrelationResultSerializer(result, many=True).data)
