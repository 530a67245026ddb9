"""Incidents for operators: list with filters and sorting, read, retry, annotate."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bpms.engine import get_engine
from bpms.models import Incident
from bpms.selectors import incidents as selectors
from bpms.services import incidents as services
from eximee import roles
from eximee.api.serializers import DateTimeField

from .external_tasks import valid


class IncidentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    incidentType = serializers.CharField(source="type")
    processInstanceId = serializers.UUIDField(source="process_instance_id")
    processDefinitionKey = serializers.CharField(source="process_definition_key")
    businessKey = serializers.CharField(source="business_key")
    activityId = serializers.CharField(source="activity_id")
    configuration = serializers.CharField()
    externalTaskId = serializers.UUIDField(source="external_task_id")
    jobId = serializers.UUIDField(source="job_id")
    incidentMessage = serializers.CharField(source="message")
    annotation = serializers.CharField()
    incidentTimestamp = DateTimeField(source="created_at")
    open = serializers.BooleanField(source="is_open")
    resolvedAt = DateTimeField(source="resolved_at")
    resolvedBy = serializers.CharField(source="resolved_by")
    resolution = serializers.CharField()


class IncidentDetailSerializer(IncidentSerializer):
    errorDetails = serializers.CharField(source="details")


class ListQuerySerializer(serializers.Serializer):
    incidentType = serializers.ChoiceField(choices=[t for t, _ in Incident.TYPES], required=False)
    processDefinitionKey = serializers.CharField(required=False)
    processInstanceId = serializers.UUIDField(required=False)
    activityId = serializers.CharField(required=False)
    businessKey = serializers.CharField(required=False)
    createdAfter = serializers.DateTimeField(required=False)
    createdBefore = serializers.DateTimeField(required=False)
    open = serializers.BooleanField(required=False, allow_null=True, default=None)
    sortBy = serializers.ChoiceField(choices=sorted(selectors.SORT_FIELDS), required=False, default="createdAt")
    sortOrder = serializers.ChoiceField(choices=["asc", "desc"], required=False, default="desc")


class RetrySerializer(serializers.Serializer):
    retries = serializers.IntegerField(min_value=1, max_value=1000, required=False, default=1)


class AnnotationSerializer(serializers.Serializer):
    annotation = serializers.CharField(max_length=4000, allow_blank=True)


class IncidentList(generics.ListAPIView):
    required_roles = {"GET": (roles.OPERATOR, roles.AUDITOR)}
    serializer_class = IncidentSerializer

    def get_queryset(self):
        query = valid(ListQuerySerializer, self.request.query_params)
        return selectors.search(
            type=query.get("incidentType"), process_definition_key=query.get("processDefinitionKey"),
            process_instance_id=query.get("processInstanceId"), activity_id=query.get("activityId"),
            business_key=query.get("businessKey"), created_after=query.get("createdAfter"),
            created_before=query.get("createdBefore"), open=query["open"], sort_by=query["sortBy"],
            descending=query["sortOrder"] == "desc")


class IncidentDetail(APIView):
    required_roles = {"GET": (roles.OPERATOR, roles.AUDITOR)}

    @extend_schema(responses=IncidentDetailSerializer)
    def get(self, request, incident_id, **kwargs):
        return Response(IncidentDetailSerializer(selectors.get(incident_id)).data)


class RetryIncident(APIView):
    required_roles = {"POST": (roles.OPERATOR,)}

    @extend_schema(request=RetrySerializer, responses=IncidentDetailSerializer)
    def post(self, request, incident_id, **kwargs):
        data = valid(RetrySerializer, request.data)
        incident = get_engine().retry_incident(incident_id, retries=data["retries"],
                                               actor=request.user.get_username())
        return Response(IncidentDetailSerializer(incident).data)


class IncidentAnnotation(APIView):
    required_roles = {"PUT": (roles.OPERATOR,)}

    @extend_schema(request=AnnotationSerializer, responses=IncidentDetailSerializer)
    def put(self, request, incident_id, **kwargs):
        data = valid(AnnotationSerializer, request.data)
        incident = services.annotate(incident_id, annotation=data["annotation"], actor=request.user.get_username())
        return Response(IncidentDetailSerializer(incident).data)
