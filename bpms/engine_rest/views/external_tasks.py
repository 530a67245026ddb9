"""/external-task: fetch-and-lock with long polling, the worker's answers, retries, the list.

The /v1 service-task API's request validation and topic restrictions are reused as they are."""

from django.http import HttpResponse
from rest_framework.response import Response

from bpms.api import external_tasks as v1
from bpms.selectors import external_tasks as selectors
from bpms.services import external_tasks as services
from bpms.services.variables import parse_camunda_variables
from eximee import roles
from eximee.errors import InvalidRequest

from ..common import (
    BadUserRequest,
    EngineRestView,
    ListView,
    RetriesView,
    body_of,
    boolean_param,
    conflicts_as,
    id_param,
    known_id,
    narrowed,
    no_content,
)
from ..dto import external_task_dto
from ..variables import variables_map

READERS = (roles.SERVICE_WORKER, roles.OPERATOR)


def without_nulls(value):
    """Camunda's clients send null for what they leave out; the /v1 serializers want it absent."""
    return {key: item for key, item in value.items() if item is not None} if isinstance(value, dict) else value


def body_without_nulls(request):
    return without_nulls(body_of(request))


def task_variables(body, *names):
    variables = {}
    for name in names:
        variables.update(parse_camunda_variables(body.get(name), f"/{name}"))
    return variables


class FetchAndLock(EngineRestView):
    required_roles = {"POST": v1.WORKERS}

    def post(self, request, **kwargs):
        body = body_without_nulls(request)
        if isinstance(body.get("topics"), list):
            body["topics"] = [without_nulls(topic) for topic in body["topics"]]
            for index, topic in enumerate(body["topics"]):
                if isinstance(topic, dict) and topic.get("processVariables"):
                    raise InvalidRequest("Filtering topics by processVariables is not supported.", errors=[
                        {"pointer": f"/topics/{index}/processVariables", "detail": "not supported"}])
        data = v1.valid(v1.FetchSerializer, body)
        for index, topic in enumerate(data["topics"]):
            v1.check_topic(request.user, topic["topicName"], f"/topics/{index}/topicName")
        tasks = services.fetch_and_lock(
            worker_id=data["workerId"], max_tasks=data["maxTasks"], use_priority=data["usePriority"],
            async_response_timeout=data["asyncResponseTimeout"] / 1000,
            topics=[services.TopicRequest(
                topic_name=t["topicName"], lock_duration=v1.milliseconds(t["lockDuration"]),
                variables=tuple(t["variables"]) if t["variables"] is not None else None,
                business_key=t["businessKey"]) for t in data["topics"]])
        return Response([external_task_dto(task, variables_map(task.fetched_variables)) for task in tasks])


class _WorkerAction(EngineRestView):
    """204 exactly on success (Camunda's clients accept nothing else); 404 for an unknown or
    finished task; 400 when another worker holds it."""

    required_roles = {"POST": v1.WORKERS}
    serializer_class = v1.WorkerSerializer

    def post(self, request, task_id, **kwargs):
        task_id = known_id(task_id, "External task")
        body = body_without_nulls(request)
        data = v1.valid(self.serializer_class, body)
        v1.check_topic(request.user, selectors.get(task_id).topic)
        with conflicts_as(BadUserRequest):
            self.act(task_id, data, body, request.user.get_username())
        return no_content()


class Complete(_WorkerAction):
    serializer_class = v1.CompleteSerializer

    def act(self, task_id, data, body, actor):
        # The engine's variables are the instance's: local variables land there too.
        services.complete(task_id, worker_id=data["workerId"],
                          variables=task_variables(body, "variables", "localVariables"), actor=actor)


class Failure(_WorkerAction):
    serializer_class = v1.FailureSerializer

    def act(self, task_id, data, body, actor):
        services.fail(task_id, worker_id=data["workerId"], error_message=data["errorMessage"],
                      error_details=data["errorDetails"], retries=data["retries"],
                      retry_timeout=v1.milliseconds(data["retryTimeout"]), actor=actor)


class BpmnError(_WorkerAction):
    serializer_class = v1.BpmnErrorSerializer

    def act(self, task_id, data, body, actor):
        services.throw_bpmn_error(task_id, worker_id=data["workerId"], error_code=data["errorCode"],
                                  error_message=data["errorMessage"], variables=task_variables(body, "variables"),
                                  actor=actor)


class ExtendLock(_WorkerAction):
    serializer_class = v1.ExtendLockSerializer

    def act(self, task_id, data, body, actor):
        services.extend_lock(task_id, worker_id=data["workerId"], new_duration=v1.milliseconds(data["newDuration"]))


class Unlock(EngineRestView):
    required_roles = {"POST": READERS}

    def post(self, request, task_id, **kwargs):
        task = selectors.get(known_id(task_id, "External task"))
        v1.check_topic(request.user, task.topic)
        services.unlock(task.id)
        return no_content()


class Retries(RetriesView):
    required_roles = {"PUT": (roles.OPERATOR,)}
    id_name, what = "task_id", "External task"
    find, set_retries = staticmethod(selectors.get), staticmethod(services.set_retries)


class ExternalTaskList(ListView):
    dto = staticmethod(external_task_dto)
    required_roles = {"GET": READERS}
    sorts = {"id": "id", "lockExpirationTime": "lock_expires_at", "processInstanceId": "process_instance_id",
             "processDefinitionKey": "process_definition_key", "taskPriority": "priority", "createTime": "created_at"}

    def rows(self, request, params):
        locked = boolean_param(params, "locked")
        if boolean_param(params, "notLocked"):
            locked = False
        with_retries_left = boolean_param(params, "withRetriesLeft")
        if boolean_param(params, "noRetriesLeft"):
            with_retries_left = False
        rows = selectors.search(
            topic=params.get("topicName"), worker_id=params.get("workerId"),
            process_instance_id=id_param(params, "processInstanceId", "Process instance"),
            activity_id=params.get("activityId"), locked=locked, with_retries_left=with_retries_left,
            builtin=False).select_related("process_instance")
        return narrowed(rows, id=id_param(params, "externalTaskId", "External task"))


class ErrorDetails(EngineRestView):
    """The full error details a worker's last failure reported, as text/plain (Camunda's answer)."""

    required_roles = {"GET": READERS}

    def get(self, request, task_id, **kwargs):
        task = selectors.get(known_id(task_id, "External task"))
        return HttpResponse(task.error_details, content_type="text/plain; charset=utf-8")


class ExternalTaskDetail(EngineRestView):
    required_roles = {"GET": READERS}

    def get(self, request, task_id, **kwargs):
        return Response(external_task_dto(selectors.get(known_id(task_id, "External task"))))
