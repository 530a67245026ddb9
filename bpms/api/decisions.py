"""POST /v1/decision-definitions/{key}/evaluate: a deployed decision evaluated on its own."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bpms.services import decisions as services
from bpms.services.variables import parse_variables
from eximee import roles

from .common import valid


class EvaluationRequestSerializer(serializers.Serializer):
    variables = serializers.DictField(required=False, default=dict)
    version = serializers.IntegerField(required=False, min_value=1, allow_null=True, default=None)


class EvaluateDecision(APIView):
    """200 {"decisionKey", "version", "result": [{output name: value}, ...]}: one entry per matched
    rule (none when no rule matched), as Camunda's evaluate answers, values plain JSON (dates ISO 8601)."""

    required_roles = {"POST": (roles.PROCESS_STARTER,)}

    @extend_schema(request=EvaluationRequestSerializer, responses=inline_serializer("DecisionEvaluation", {
        "decisionKey": serializers.CharField(), "version": serializers.IntegerField(allow_null=True),
        "result": serializers.ListField(child=serializers.DictField())}))
    def post(self, request, key, **kwargs):
        data = valid(EvaluationRequestSerializer, request.data)
        result = services.evaluate(key=key, version=data["version"],
                                   variables=parse_variables(data["variables"], pointer="/variables"))
        return Response({"decisionKey": key, "version": data["version"], "result": result})
