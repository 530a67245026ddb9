from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bpms.selectors import tasks as selectors
from bpms.selectors.variables import typed_variables, variables_for_instances
from bpms.services import tasks as services
from bpms.services.variables import parse_variables
from eximee import roles

from .common import pages_of, paginated, represent, valid
from .serializers import CompleteTaskSerializer, TaskDetailSerializer, TaskUpdateSerializer, UserIdSerializer, UserTaskSerializer

WORKERS = (roles.TASK_WORKER, roles.TASK_MANAGER)


def task_body(user, task_id):
    from datamodel.selectors import business_data_for
    task = selectors.task_for(user, task_id, with_variables=True)
    body = represent(TaskDetailSerializer, task)
    body["processVariables"] = typed_variables((row["name"], row["type"], row["value"]) for row in task.variable_rows)
    body["businessData"] = business_data_for(business_key=task.business_key, process_instance_id=task.process_instance_id)
    return body


def inline_variables(rows, items):
    variables = variables_for_instances({row.process_instance_id for row in rows})
    for row, item in zip(rows, items):
        item["processVariables"] = variables[str(row.process_instance_id)]


@pages_of(UserTaskSerializer)
class TasksView(APIView):
    required_roles = {"GET": WORKERS + (roles.OPERATOR, roles.AUDITOR)}

    def get(self, request, **kwargs):
        extend = inline_variables if request.query_params.get("includeVariables") == "true" else None
        return paginated(self, request, selectors.list_tasks(request.user, request.query_params), UserTaskSerializer, extend)


class TaskView(APIView):
    required_roles = {"GET": WORKERS + (roles.OPERATOR, roles.AUDITOR), "PATCH": WORKERS}

    @extend_schema(responses=TaskDetailSerializer)
    def get(self, request, task_id, **kwargs):
        return Response(task_body(request.user, task_id))

    @extend_schema(request=TaskUpdateSerializer, responses=TaskDetailSerializer)
    def patch(self, request, task_id, **kwargs):
        changes = valid(TaskUpdateSerializer, request.data)
        services.update(request.user, task_id, dict(changes))
        return Response(task_body(request.user, task_id))


def task_action(request_serializer=None):
    """Documents a task action: its body (if any) and the task as it is afterwards."""
    return extend_schema_view(post=extend_schema(request=request_serializer, responses=TaskDetailSerializer))


class _TaskAction(APIView):
    required_roles = {"POST": WORKERS}
    def post(self, request, task_id, **kwargs):
        self.act(request, task_id)
        return Response(task_body(request.user, task_id))


@task_action()
class ClaimView(_TaskAction):
    def act(self, request, task_id):
        services.claim(request.user, task_id)


@task_action()
class UnclaimView(_TaskAction):
    def act(self, request, task_id):
        services.unclaim(request.user, task_id)


@task_action(UserIdSerializer)
class AssigneeView(_TaskAction):
    def act(self, request, task_id):
        services.set_assignee(request.user, task_id, valid(UserIdSerializer, request.data)["userId"])


@task_action(UserIdSerializer)
class DelegateView(_TaskAction):
    def act(self, request, task_id):
        services.delegate(request.user, task_id, valid(UserIdSerializer, request.data)["userId"])


@task_action(CompleteTaskSerializer)
class ResolveView(_TaskAction):
    def act(self, request, task_id):
        data = valid(CompleteTaskSerializer, request.data or {})
        services.resolve(request.user, task_id, parse_variables(data.get("variables"), "/variables"))


class CompleteView(APIView):
    required_roles = {"POST": WORKERS}

    @extend_schema(request=CompleteTaskSerializer, responses=inline_serializer("TaskCompletion", {
        "processInstanceId": serializers.UUIDField(), "processInstanceState": serializers.CharField(),
        "activeActivityIds": serializers.ListField(child=serializers.CharField())}))
    def post(self, request, task_id, **kwargs):
        data = valid(CompleteTaskSerializer, request.data or {})
        result = services.complete(request.user, task_id, variables=parse_variables(data.get("variables"), "/variables"),
                                   business_data=data.get("businessData"))
        return Response({"processInstanceId": result.id, "processInstanceState": result.state,
                         "activeActivityIds": list(result.active_activity_ids)})
