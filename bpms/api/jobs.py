"""Jobs (timers and async continuations) for operators: list, read, run now."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bpms.engine import get_engine
from bpms.models import Job
from bpms.selectors import jobs as selectors
from eximee import roles
from eximee.api.serializers import DateTimeField

from .external_tasks import valid

OPERATORS = (roles.OPERATOR,)


class JobSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    type = serializers.CharField()
    processInstanceId = serializers.UUIDField(source="process_instance_id")
    processDefinitionId = serializers.UUIDField(source="process_definition_id")
    processDefinitionKey = serializers.CharField(source="process_definition_key")
    businessKey = serializers.CharField(source="business_key")
    activityId = serializers.CharField(source="activity_id")
    kind = serializers.CharField()
    interrupting = serializers.BooleanField()
    cycle = serializers.CharField()
    dueDate = DateTimeField(source="due_at")
    retries = serializers.IntegerField()
    exceptionMessage = serializers.CharField(source="exception_message")
    lockOwner = serializers.CharField(source="lock_owner")
    lockExpirationTime = DateTimeField(source="lock_expires_at")
    createTime = DateTimeField(source="created_at")


class JobDetailSerializer(JobSerializer):
    exceptionDetails = serializers.CharField(source="exception_details")


class ListQuerySerializer(serializers.Serializer):
    processInstanceId = serializers.UUIDField(required=False)
    processDefinitionKey = serializers.CharField(required=False)
    type = serializers.ChoiceField(choices=[t for t, _ in Job.TYPES], required=False)
    activityId = serializers.CharField(required=False)
    withException = serializers.BooleanField(required=False, allow_null=True, default=None)
    dueBefore = serializers.DateTimeField(required=False)


class JobList(generics.ListAPIView):
    required_roles = {"GET": OPERATORS}
    serializer_class = JobSerializer

    def get_queryset(self):
        query = valid(ListQuerySerializer, self.request.query_params)
        return selectors.search(process_instance_id=query.get("processInstanceId"),
                                process_definition_key=query.get("processDefinitionKey"), type=query.get("type"),
                                activity_id=query.get("activityId"), with_exception=query["withException"],
                                due_before=query.get("dueBefore"))


class JobDetail(APIView):
    required_roles = {"GET": OPERATORS}

    @extend_schema(responses=JobDetailSerializer)
    def get(self, request, job_id, **kwargs):
        return Response(JobDetailSerializer(selectors.get(job_id)).data)


class ExecuteJob(APIView):
    """Runs the job now, in this request: 204 when it ran, 422 with the failure when it failed (its
    retries were counted down as for a scheduled run)."""

    required_roles = {"POST": OPERATORS}

    @extend_schema(request=None, responses={204: None})
    def post(self, request, job_id, **kwargs):
        get_engine().execute_job(job_id, actor=request.user.get_username())
        return Response(status=status.HTTP_204_NO_CONTENT)
