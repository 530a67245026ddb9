"""/history/*: ended and running instances, activities, tasks, variables, incidents, and who did
what (the timeline entries that name an actor, as the user-operation log)."""

from bpms.api.history import HISTORY_READERS
from bpms.selectors import history as selectors, variables as variable_selectors

from ..common import QueryListView, boolean_param, date_param, id_list, id_param, narrowed, translated
from ..dto import (
    historic_activity_dto,
    historic_incident_dto,
    historic_instance_dto,
    historic_task_dto,
    user_operation_dto,
)
from ..variables import variable_instance_dto
from .incidents import INCIDENT_SORTS, incident_query
from .instances import SORTS as INSTANCE_SORTS, instance_query

STATES = {"ACTIVE": "active", "SUSPENDED": "suspended", "COMPLETED": "completed",
          "EXTERNALLY_TERMINATED": "cancelled"}


def finished_filter(params):
    if boolean_param(params, "finished"):
        return "true"
    if boolean_param(params, "unfinished"):
        return "false"
    return None


def selector_query(params, names):
    """The history selectors' own query: processInstanceId, finished, and `names` translated."""
    id_param(params, "processInstanceId", "Process instance")
    query = translated(params, {"processInstanceId": "processInstanceId", **names})
    finished = finished_filter(params)
    if finished is not None:
        query["finished"] = finished
    return query


class _History(QueryListView):
    required_roles = {"GET": HISTORY_READERS, "POST": HISTORY_READERS}


class HistoricInstances(_History):
    dto = staticmethod(historic_instance_dto)
    sorts = {**INSTANCE_SORTS, "startTime": "started_at", "endTime": "ended_at"}

    def rows(self, request, params):
        state = STATES.get(params.get("state") or "")
        rows = instance_query(params, state=state)
        finished = finished_filter(params)
        if finished is not None:
            rows = rows.filter(ended_at__isnull=finished == "false")
        if params.get("processInstanceBusinessKey"):
            rows = rows.filter(business_key=params["processInstanceBusinessKey"])
        return rows


class _SelectorHistory(_History):
    """A history list answered by a /v1 history selector: `names` maps the selector's query names
    to Camunda's, `equal` maps further Camunda parameters to the fields they must equal."""

    selector = None
    names = {}
    equal = {}

    def rows(self, request, params):
        rows = self.selector(selector_query(params, self.names)).select_related("process_instance")
        return rows.filter(**{field: params[param] for param, field in self.equal.items() if params.get(param)})


class HistoricActivities(_SelectorHistory):
    selector = staticmethod(selectors.activity_instances)
    dto = staticmethod(historic_activity_dto)
    names = {"activityId": "activityId"}
    equal = {"activityType": "activity_type"}
    sorts = {"activityInstanceId": "id", "activityId": "activity_id", "activityName": "activity_name",
             "activityType": "activity_type", "startTime": "started_at", "endTime": "ended_at",
             "processInstanceId": "process_instance_id"}


class HistoricTasks(_SelectorHistory):
    selector = staticmethod(selectors.tasks)
    dto = staticmethod(historic_task_dto)
    names = {"taskDefinitionKey": "taskDefinitionKey", "businessKey": "processInstanceBusinessKey",
             "processDefinitionKey": "processDefinitionKey"}
    equal = {"taskAssignee": "assignee"}
    sorts = {"taskId": "id", "activityInstanceId": "id", "processInstanceId": "process_instance_id",
             "taskName": "name", "taskDefinitionKey": "task_definition_key", "assignee": "assignee",
             "startTime": "created_at", "endTime": "ended_at", "priority": "priority", "dueDate": "due_at"}

    def rows(self, request, params):
        return narrowed(super().rows(request, params), id=id_param(params, "taskId", "Task"))


class HistoricVariables(_History):
    dto = staticmethod(variable_instance_dto)
    sorts = {"instanceId": "process_instance_id", "variableName": "name"}

    def rows(self, request, params):
        ids = id_list(params, "processInstanceIdIn") or id_list(params, "processInstanceId")
        return variable_selectors.search(
            process_instance_ids=ids, name=params.get("variableName"),
            name_like=(params.get("variableNameLike") or "").strip("%") or None)


class HistoricIncidents(_History):
    dto = staticmethod(historic_incident_dto)
    sorts = INCIDENT_SORTS

    def rows(self, request, params):
        open_only = boolean_param(params, "open")
        if boolean_param(params, "resolved") or boolean_param(params, "deleted"):
            open_only = False
        return incident_query(params, open=open_only)


class UserOperations(_History):
    dto = staticmethod(user_operation_dto)
    sorts = {"timestamp": "occurred_at"}

    def rows(self, request, params):
        return selectors.operations(
            process_instance_id=id_param(params, "processInstanceId", "Process instance"),
            actor=params.get("userId") or None, after=date_param(params, "afterTimestamp"),
            before=date_param(params, "beforeTimestamp"))
