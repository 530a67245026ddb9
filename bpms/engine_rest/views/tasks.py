"""/task: open user tasks, their actions, variables and form variables."""

from rest_framework.response import Response

from bpms.api.tasks import WORKERS
from bpms.models import UserTask
from bpms.selectors import tasks as selectors
from bpms.services import tasks as services
from bpms.services.variables import parse_camunda_variables
from eximee import roles
from eximee.errors import InvalidRequest, NotFound

from ..common import (
    EngineRestView,
    QueryListView,
    body_of,
    id_param,
    known_id,
    narrowed,
    no_content,
    parse_date,
    translated,
)
from ..dto import task_dto
from ..variables import instance_variables, typed_value
from .instances import variable_filters

READERS = WORKERS + (roles.OPERATOR, roles.AUDITOR)
FILTERS = {"assignee": "assignee", "processInstanceId": "processInstanceId", "businessKey": "processInstanceBusinessKey",
           "processDefinitionKey": "processDefinitionKey", "taskDefinitionKey": "taskDefinitionKey", "name": "name",
           "candidateUser": "candidateUser", "candidateGroup": "candidateGroup", "unassigned": "unassigned",
           "priority": "priority", "createdAfter": "createdAfter", "createdBefore": "createdBefore",
           "dueAfter": "dueAfter", "dueBefore": "dueBefore", "followUpAfter": "followUpAfter",
           "followUpBefore": "followUpBefore"}
UPDATABLE = {"name": "name", "description": "description", "due": "due_at", "followUp": "follow_up_at",
             "priority": "priority"}
FORM_TYPES = {"string": "String", "long": "Long", "boolean": "Boolean", "date": "Date", "enum": "String"}


def open_task(user, task_id):
    task = selectors.task_for(user, known_id(task_id, "Task"))
    if task.state != UserTask.CREATED:
        raise NotFound(f"No matching task with id {task_id}")
    return task


def user_id_of(request):
    return user_id_of_value(body_of(request).get("userId"))


def user_id_of_value(user_id):
    if user_id is not None and (not isinstance(user_id, str) or len(user_id) > 150):
        raise InvalidRequest("userId must be a user name.", errors=[{"pointer": "/userId", "detail": "string"}])
    return user_id


class TaskList(QueryListView):
    dto = staticmethod(task_dto)
    required_roles = {"GET": READERS, "POST": READERS}
    sorts = {"created": "created_at", "dueDate": "due_at", "followUpDate": "follow_up_at", "priority": "priority",
             "name": "name", "assignee": "assignee", "id": "id", "instanceId": "process_instance_id",
             "description": "description"}

    def rows(self, request, params):
        query = translated(params, FILTERS)
        if params.get("nameLike"):
            query["nameLike"] = params["nameLike"].strip("%")
        query.setlist("variables", variable_filters(params, "processVariables"))
        rows = selectors.list_tasks(request.user, query).select_related("process_instance")
        return narrowed(rows, id=id_param(params, "taskId", "Task"))


class TaskDetail(EngineRestView):
    required_roles = {"GET": READERS, "PUT": WORKERS}

    def get(self, request, task_id, **kwargs):
        return Response(task_dto(open_task(request.user, task_id)))

    def put(self, request, task_id, **kwargs):
        """Camunda replaces the whole task: the fields that differ are changed (name, description,
        due, followUp, priority through an update, assignee through the assignment rules)."""
        task = open_task(request.user, task_id)
        body = body_of(request)
        current = task_dto(task)
        changes = {field: body.get(name) for name, field in UPDATABLE.items()
                   if name in body and body.get(name) != current[name]}
        for name in ("due", "followUp"):
            field = UPDATABLE[name]
            if changes.get(field) is not None:
                changes[field] = parse_date(name, changes[field])
        for field in ("name", "description"):
            if field in changes and not isinstance(changes[field] or "", str):
                raise InvalidRequest(f"{field} must be a text.", errors=[{"pointer": f"/{field}", "detail": "string"}])
            if field in changes:
                changes[field] = changes[field] or ""
        if "priority" in changes and (not isinstance(changes["priority"], int) or isinstance(changes["priority"], bool)):
            raise InvalidRequest("priority must be a whole number.", errors=[{"pointer": "/priority", "detail": "integer"}])
        if changes:
            services.update(request.user, task.id, changes)
        if "assignee" in body and body["assignee"] != task.assignee:
            services.set_assignee(request.user, task.id, user_id_of_value(body["assignee"]))
        return no_content()


class IdentityLinks(EngineRestView):
    """Assignee, owner and candidates as Camunda's identity links; `type` filters."""

    required_roles = {"GET": READERS}

    def get(self, request, task_id, **kwargs):
        task = open_task(request.user, task_id)
        links = [{"userId": task.assignee, "groupId": None, "type": "assignee"}] if task.assignee else []
        links += [{"userId": task.owner, "groupId": None, "type": "owner"}] if task.owner else []
        links += [{"userId": user, "groupId": None, "type": "candidate"} for user in task.candidate_users]
        links += [{"userId": None, "groupId": group, "type": "candidate"} for group in task.candidate_groups]
        wanted = request.query_params.get("type")
        return Response([link for link in links if wanted in (None, link["type"])])


class _TaskAction(EngineRestView):
    required_roles = {"POST": WORKERS}

    def post(self, request, task_id, **kwargs):
        task = open_task(request.user, task_id)
        self.act(request, task)
        return no_content()


class Claim(_TaskAction):
    def act(self, request, task):
        user_id = user_id_of(request)
        if not user_id:
            raise InvalidRequest("userId is required.", errors=[{"pointer": "/userId", "detail": "required"}])
        services.claim(request.user, task.id, user_id)


class Unclaim(_TaskAction):
    def act(self, request, task):
        services.unclaim(request.user, task.id)


class Assignee(_TaskAction):
    def act(self, request, task):
        services.set_assignee(request.user, task.id, user_id_of(request))


class Delegate(_TaskAction):
    def act(self, request, task):
        services.delegate(request.user, task.id, user_id_of(request))


class Resolve(_TaskAction):
    def act(self, request, task):
        services.resolve(request.user, task.id, parse_camunda_variables(body_of(request).get("variables")))


class Complete(EngineRestView):
    """204, or 200 with the instance's variables afterwards when withVariablesInReturn is true.
    submit-form is the same: form fields are validated on every completion."""

    required_roles = {"POST": WORKERS}

    def post(self, request, task_id, **kwargs):
        task = open_task(request.user, task_id)
        body = body_of(request)
        services.complete(request.user, task.id, variables=parse_camunda_variables(body.get("variables")))
        if body.get("withVariablesInReturn") is True:
            return Response(instance_variables(task.process_instance_id))
        return no_content()


class TaskVariables(EngineRestView):
    required_roles = {"GET": READERS}

    def get(self, request, task_id, **kwargs):
        return Response(instance_variables(open_task(request.user, task_id).process_instance_id))


class TaskVariable(EngineRestView):
    required_roles = {"GET": READERS, "PUT": WORKERS}

    def get(self, request, task_id, name, **kwargs):
        variables = instance_variables(open_task(request.user, task_id).process_instance_id)
        if name not in variables:
            raise NotFound(f"task variable with name {name} does not exist")
        return Response(variables[name])

    def put(self, request, task_id, name, **kwargs):
        task = open_task(request.user, task_id)
        services.set_variables(request.user, task.id, parse_camunda_variables({name: request.data}, pointer=""))
        return no_content()


class FormVariables(EngineRestView):
    """The task's form fields with the instance's value (or the field's default), typed."""

    required_roles = {"GET": READERS}

    def get(self, request, task_id, **kwargs):
        task = open_task(request.user, task_id)
        wanted = request.query_params.get("variableNames")
        wanted = set(wanted.split(",")) if wanted else None
        current = instance_variables(task.process_instance_id)
        body = {}
        for field in task.form_fields:
            name = field["id"]
            if wanted is not None and name not in wanted:
                continue
            if name in current:
                body[name] = current[name]
            else:
                body[name] = {**typed_value(field.get("defaultValue")),
                              "type": FORM_TYPES.get(field.get("type"), "String")}
        return Response(body)
