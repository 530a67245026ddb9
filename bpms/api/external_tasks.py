"""Service tasks (external tasks) over REST: fetch-and-lock with long polling, complete, failure,
BPMN error, lock extension, unlock, and the list operators and workers read.

Topic restriction: a user holding a group named `service-worker:<pattern>` (fnmatch, e.g.
`service-worker:payments.*`) may fetch, list, read and act only on tasks whose topic matches one of
their patterns; a service worker without such a group may use every topic. Admins are never
restricted.
"""

from datetime import timedelta
from fnmatch import fnmatchcase

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bpms.engine import get_engine
from bpms.selectors import external_tasks as selectors
from bpms.selectors.tasks import groups_of
from bpms.services import external_tasks as services
from eximee import roles
from eximee.api.serializers import DateTimeField
from eximee.errors import PermissionDenied

from .common import valid

TOPIC_GROUP_PREFIX = "service-worker:"
WORKERS = (roles.SERVICE_WORKER,)


def allowed_topic_patterns(user):
    """None: every topic; else the fnmatch patterns of the user's `service-worker:<pattern>` groups,
    taken from the groups bearer authentication mirrored onto the user (groups_of): a worker's fetch
    or completion reads no groups from the database."""
    if roles.ADMIN in roles.roles_of(user):
        return None
    return [name[len(TOPIC_GROUP_PREFIX):] for name in groups_of(user) if name.startswith(TOPIC_GROUP_PREFIX)] or None


def check_topic(user, topic, pointer=None):
    patterns = allowed_topic_patterns(user)
    if patterns is not None and not any(fnmatchcase(topic, pattern) for pattern in patterns):
        raise PermissionDenied(f"You may not work on topic '{topic}'.",
                               errors=[{"pointer": pointer, "detail": "topic not allowed"}] if pointer else None)


def check_task_topic(user, task_id):
    """A worker restricted to some topics may act only on tasks of those; the task's topic is read
    only for such a worker, not on every completion."""
    if allowed_topic_patterns(user) is not None:
        check_topic(user, selectors.get(task_id).topic)


def milliseconds(value):
    return timedelta(milliseconds=value)


# --- serializers -------------------------------------------------------------------------------

class ExternalTaskSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    topicName = serializers.CharField(source="topic")
    workerId = serializers.CharField(source="worker_id", allow_blank=True)
    lockExpirationTime = DateTimeField(source="lock_expires_at")
    processInstanceId = serializers.UUIDField(source="process_instance_id")
    processDefinitionKey = serializers.CharField(source="process_definition_key")
    activityId = serializers.CharField(source="activity_id")
    activityName = serializers.CharField(source="activity_name")
    businessKey = serializers.CharField(source="business_key")
    retries = serializers.IntegerField()
    errorMessage = serializers.CharField(source="error_message")
    errorDetails = serializers.CharField(source="error_details")
    priority = serializers.IntegerField()
    builtin = serializers.BooleanField()
    extensionProperties = serializers.JSONField(source="extension_properties")
    createTime = DateTimeField(source="created_at")


class FetchedTaskSerializer(ExternalTaskSerializer):
    variables = serializers.JSONField(source="fetched_variables")


class TopicSerializer(serializers.Serializer):
    topicName = serializers.CharField(max_length=255)
    lockDuration = serializers.IntegerField(min_value=1, max_value=7 * 24 * 3600 * 1000)
    variables = serializers.ListField(child=serializers.CharField(max_length=255), allow_null=True, required=False,
                                      default=None)
    businessKey = serializers.CharField(max_length=200, required=False, allow_null=True, default=None)


class FetchSerializer(serializers.Serializer):
    workerId = serializers.CharField(max_length=255)
    maxTasks = serializers.IntegerField(min_value=1, max_value=100)
    usePriority = serializers.BooleanField(required=False, default=False)
    asyncResponseTimeout = serializers.IntegerField(min_value=0, max_value=1_800_000, required=False, default=0)
    topics = TopicSerializer(many=True, allow_empty=False)


class WorkerSerializer(serializers.Serializer):
    workerId = serializers.CharField(max_length=255)


class CompleteSerializer(WorkerSerializer):
    variables = serializers.DictField(required=False, default=dict)
    businessData = serializers.DictField(required=False, allow_null=True, default=None)


class FailureSerializer(WorkerSerializer):
    errorMessage = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")
    errorDetails = serializers.CharField(max_length=100_000, allow_blank=True, required=False, default="")
    retries = serializers.IntegerField(min_value=0, max_value=1000)
    retryTimeout = serializers.IntegerField(min_value=0, max_value=365 * 24 * 3600 * 1000, required=False, default=0)


class BpmnErrorSerializer(WorkerSerializer):
    errorCode = serializers.CharField(max_length=255)
    errorMessage = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")
    variables = serializers.DictField(required=False, default=dict)


class ExtendLockSerializer(WorkerSerializer):
    newDuration = serializers.IntegerField(min_value=1, max_value=7 * 24 * 3600 * 1000)


class ListQuerySerializer(serializers.Serializer):
    topicName = serializers.CharField(required=False)
    workerId = serializers.CharField(required=False)
    processInstanceId = serializers.UUIDField(required=False)
    businessKey = serializers.CharField(required=False)
    activityId = serializers.CharField(required=False)
    locked = serializers.BooleanField(required=False, allow_null=True, default=None)
    withRetriesLeft = serializers.BooleanField(required=False, allow_null=True, default=None)
    builtin = serializers.BooleanField(required=False, allow_null=True, default=None)


# --- views -------------------------------------------------------------------------------------

class FetchAndLock(APIView):
    required_roles = {"POST": WORKERS}

    @extend_schema(request=FetchSerializer, responses=FetchedTaskSerializer(many=True))
    def post(self, request, **kwargs):
        data = valid(FetchSerializer, request.data)
        for index, topic in enumerate(data["topics"]):
            check_topic(request.user, topic["topicName"], f"/topics/{index}/topicName")
        topics = [services.TopicRequest(topic_name=t["topicName"], lock_duration=milliseconds(t["lockDuration"]),
                                        variables=tuple(t["variables"]) if t["variables"] is not None else None,
                                        business_key=t["businessKey"]) for t in data["topics"]]
        tasks = get_engine().fetch_and_lock(worker_id=data["workerId"], max_tasks=data["maxTasks"], topics=topics,
                                        use_priority=data["usePriority"],
                                        async_response_timeout=data["asyncResponseTimeout"] / 1000)
        return Response(FetchedTaskSerializer(tasks, many=True).data)


class TaskAction(APIView):
    """POST /v1/service-tasks/{id}/<action>: 204 on success, like Camunda's external task API."""

    required_roles = {"POST": WORKERS}
    serializer_class = WorkerSerializer

    @extend_schema(responses={204: None})
    def post(self, request, task_id, **kwargs):
        data = valid(self.serializer_class, request.data)
        check_task_topic(request.user, task_id)
        self.act(task_id, data, request.user.get_username())
        return Response(status=status.HTTP_204_NO_CONTENT)


class Complete(TaskAction):
    serializer_class = CompleteSerializer

    def act(self, task_id, data, actor):
        get_engine().complete_external_task(task_id, worker_id=data["workerId"], variables=data["variables"],
                                            business_data=data["businessData"], actor=actor)


class Failure(TaskAction):
    serializer_class = FailureSerializer

    def act(self, task_id, data, actor):
        get_engine().fail_external_task(task_id, worker_id=data["workerId"], error_message=data["errorMessage"],
                                        error_details=data["errorDetails"], retries=data["retries"],
                                        retry_timeout=milliseconds(data["retryTimeout"]), actor=actor)


class BpmnError(TaskAction):
    serializer_class = BpmnErrorSerializer

    def act(self, task_id, data, actor):
        get_engine().external_task_bpmn_error(task_id, worker_id=data["workerId"], error_code=data["errorCode"],
                                              error_message=data["errorMessage"], variables=data["variables"],
                                              actor=actor)


class ExtendLock(TaskAction):
    serializer_class = ExtendLockSerializer

    def act(self, task_id, data, actor):
        get_engine().extend_external_task_lock(task_id, worker_id=data["workerId"],
                                               new_duration=milliseconds(data["newDuration"]))


class Unlock(APIView):
    required_roles = {"POST": (roles.SERVICE_WORKER, roles.OPERATOR)}

    @extend_schema(request=None, responses={204: None})
    def post(self, request, task_id, **kwargs):
        check_task_topic(request.user, task_id)
        get_engine().unlock_external_task(task_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExternalTaskList(generics.ListAPIView):
    required_roles = {"GET": (roles.SERVICE_WORKER, roles.OPERATOR)}
    serializer_class = ExternalTaskSerializer

    def get_queryset(self):
        query = valid(ListQuerySerializer, self.request.query_params)
        return selectors.search(
            topic=query.get("topicName"), worker_id=query.get("workerId"),
            process_instance_id=query.get("processInstanceId"), business_key=query.get("businessKey"),
            activity_id=query.get("activityId"), locked=query["locked"], with_retries_left=query["withRetriesLeft"],
            builtin=query["builtin"], topic_patterns=allowed_topic_patterns(self.request.user))


class ExternalTaskDetail(APIView):
    required_roles = {"GET": (roles.SERVICE_WORKER, roles.OPERATOR)}

    @extend_schema(responses=ExternalTaskSerializer)
    def get(self, request, task_id, **kwargs):
        task = selectors.get(task_id)
        check_topic(request.user, task.topic)
        return Response(ExternalTaskSerializer(task).data)
