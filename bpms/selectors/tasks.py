"""User task queries. A task-worker sees only tasks they are assignee or candidate of (every group
name they hold counts as a candidate group); task-manager, operator and admin see all."""

from django.db.models import OuterRef, Q

from bpms.models import UserTask
from eximee import roles
from eximee.errors import InvalidRequest, NotFound

from .filters import apply_variable_filters, ordering, parse_datetime_param
from .variables import variable_rows

SEES_ALL = (roles.TASK_MANAGER, roles.OPERATOR, roles.AUDITOR)


def groups_of(user):
    """The user's group names, read once per request: cached on the user object, where bearer
    authentication puts the groups it mirrored from the token."""
    cached = getattr(user, "_eximee_groups", None)
    if cached is None:
        cached = user._eximee_groups = list(user.groups.values_list("name", flat=True))
    return cached


def sees_all_tasks(user):
    return roles.has_any_role(user, *SEES_ALL)


def involving(user):
    return Q(assignee=user.username) | Q(candidate_users__contains=[user.username]) | \
        Q(candidate_groups__overlap=groups_of(user) or [""]) | Q(owner=user.username)


def visible_tasks(user):
    tasks = UserTask.objects.all()
    return tasks if sees_all_tasks(user) else tasks.filter(involving(user))


def task_for(user, task_id, *, with_variables=False):
    """The task if `user` sees it; `with_variables`: its instance's variables as `variable_rows` too
    (see bpms.selectors.variables.variable_rows), in the same query."""
    tasks = visible_tasks(user).select_related("process_instance__definition").defer(
        "process_instance__engine_state", "process_instance__definition__engine_spec",
        "process_instance__definition__bpmn_xml")
    if with_variables:
        tasks = tasks.annotate(variable_rows=variable_rows(OuterRef("process_instance_id")))
    try:
        return tasks.get(id=task_id)
    except (UserTask.DoesNotExist, ValueError):
        raise NotFound(f"Task {task_id} does not exist.") from None


SORTS = {"created": "created_at", "due": "due_at", "priority": "priority", "name": "name"}


def list_tasks(user, params):
    tasks = visible_tasks(user).filter(state=UserTask.CREATED)
    simple = {"assignee": "assignee", "processInstanceId": "process_instance_id", "businessKey": "business_key",
              "processDefinitionKey": "process_definition_key", "taskDefinitionKey": "task_definition_key",
              "name": "name"}
    for param, field in simple.items():
        if params.get(param):
            tasks = tasks.filter(**{field: params[param]})
    if params.get("nameLike"):
        tasks = tasks.filter(name__icontains=params["nameLike"])
    if params.get("candidateUser"):
        tasks = tasks.filter(candidate_users__contains=[params["candidateUser"]])
    if params.get("candidateGroup"):
        tasks = tasks.filter(candidate_groups__contains=[params["candidateGroup"]])
    if params.get("unassigned") == "true":
        tasks = tasks.filter(assignee__isnull=True)
    if params.get("involvingMe") == "true":
        tasks = tasks.filter(involving(user))
    if params.get("priority"):
        tasks = tasks.filter(priority=_int(params["priority"], "priority"))
    for param, lookup in (("createdAfter", "created_at__gte"), ("createdBefore", "created_at__lte"),
                          ("dueAfter", "due_at__gte"), ("dueBefore", "due_at__lte"),
                          ("followUpAfter", "follow_up_at__gte"), ("followUpBefore", "follow_up_at__lte")):
        if params.get(param):
            tasks = tasks.filter(**{lookup: parse_datetime_param(param, params[param])})
    tasks = apply_variable_filters(tasks, params.getlist("variables"), "process_instance")
    return tasks.order_by(*ordering(params, SORTS, default="created"))


def _int(value, name):
    try:
        return int(value)
    except ValueError:
        raise InvalidRequest(f"{name} must be an integer.", errors=[{"pointer": f"/{name}", "detail": "not an integer"}]) from None
