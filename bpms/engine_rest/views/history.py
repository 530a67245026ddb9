"""/history/*: ended and running instances, activities, tasks, variables, incidents, and who did
what (the timeline entries that name an actor, as the user-operation log)."""

from bpms.api.history import HISTORY_READERS
from bpms.selectors import history as selectors, variables as variable_selectors

from ..common import QueryListView, boolean_param, id_list, known_id, parse_date, translated
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
    if params.get("processInstanceId"):
        known_id(params["processInstanceId"], "Process instance")
    query = translated(params, {"processInstanceId": "processInstanceId", **names})
    finished = finished_filter(params)
    if finished is not None:
        query["finished"] = finished
    return query


class _History(QueryListView):
    required_roles = {"GET": HISTORY_READERS, "POST": HISTORY_READERS}


class HistoricInstances(_History):
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

    def dto(self, row):
        return historic_instance_dto(row)


class HistoricActivities(_History):
    sorts = {"activityInstanceId": "id", "activityId": "activity_id", "activityName": "activity_name",
             "activityType": "activity_type", "startTime": "started_at", "endTime": "ended_at",
             "processInstanceId": "process_instance_id"}

    def rows(self, request, params):
        query = selector_query(params, {"activityId": "activityId"})
        rows = selectors.activity_instances(query).select_related("process_instance")
        if params.get("activityType"):
            rows = rows.filter(activity_type=params["activityType"])
        return rows

    def dto(self, row):
        return historic_activity_dto(row)


class HistoricTasks(_History):
    sorts = {"taskId": "id", "activityInstanceId": "id", "processInstanceId": "process_instance_id",
             "taskName": "name", "taskDefinitionKey": "task_definition_key", "assignee": "assignee",
             "startTime": "created_at", "endTime": "ended_at", "priority": "priority", "dueDate": "due_at"}

    def rows(self, request, params):
        query = selector_query(params, {"taskDefinitionKey": "taskDefinitionKey", "businessKey": "processInstanceBusinessKey",
                                        "processDefinitionKey": "processDefinitionKey"})
        rows = selectors.tasks(query).select_related("process_instance")
        if params.get("taskAssignee"):
            rows = rows.filter(assignee=params["taskAssignee"])
        if params.get("taskId"):
            rows = rows.filter(id=known_id(params["taskId"], "Task"))
        return rows

    def dto(self, row):
        return historic_task_dto(row)


class HistoricVariables(_History):
    sorts = {"instanceId": "process_instance_id", "variableName": "name"}

    def rows(self, request, params):
        ids = id_list(params, "processInstanceIdIn") or id_list(params, "processInstanceId")
        return variable_selectors.search(
            process_instance_ids=ids, name=params.get("variableName"),
            name_like=(params.get("variableNameLike") or "").strip("%") or None)

    def dto(self, row):
        return variable_instance_dto(row)


class HistoricIncidents(_History):
    sorts = INCIDENT_SORTS

    def rows(self, request, params):
        open_only = boolean_param(params, "open")
        if boolean_param(params, "resolved") or boolean_param(params, "deleted"):
            open_only = False
        return incident_query(params, open=open_only)

    def dto(self, row):
        return historic_incident_dto(row)


class UserOperations(_History):
    sorts = {"timestamp": "occurred_at"}

    def rows(self, request, params):
        return selectors.operations(
            process_instance_id=known_id(params["processInstanceId"], "Process instance")
            if params.get("processInstanceId") else None, actor=params.get("userId") or None,
            after=parse_date("afterTimestamp", params["afterTimestamp"]) if params.get("afterTimestamp") else None,
            before=parse_date("beforeTimestamp", params["beforeTimestamp"]) if params.get("beforeTimestamp") else None)

    def dto(self, row):
        return user_operation_dto(row)
