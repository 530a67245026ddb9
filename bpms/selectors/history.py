from bpms.models import ActivityInstance, UserTask, VariableChange
from eximee import timeline
from eximee.models import TimelineEvent

from .filters import parse_datetime_param


def _common(queryset, params, instance_field="process_instance_id"):
    if params.get("processInstanceId"):
        queryset = queryset.filter(**{instance_field: params["processInstanceId"]})
    return queryset


def process_instances(params):
    from .instances import list_instances
    return list_instances(params)


def activity_instances(params):
    found = _common(ActivityInstance.objects.all(), params)
    if params.get("activityId"):
        found = found.filter(activity_id=params["activityId"])
    if params.get("finished") in ("true", "false"):
        found = found.filter(ended_at__isnull=params["finished"] == "false")
    return found.order_by("started_at", "id")


def tasks(params):
    found = _common(UserTask.objects.all(), params)
    for param, field in (("taskDefinitionKey", "task_definition_key"), ("processDefinitionKey", "process_definition_key"),
                         ("businessKey", "business_key"), ("completedBy", "completed_by"), ("state", "state")):
        if params.get(param):
            found = found.filter(**{field: params[param]})
    if params.get("finished") in ("true", "false"):
        found = found.filter(ended_at__isnull=params["finished"] == "false")
    return found.order_by("created_at", "id")


def variable_changes(params):
    found = _common(VariableChange.objects.all(), params)
    if params.get("variableName"):
        found = found.filter(name=params["variableName"])
    if params.get("changedAfter"):
        found = found.filter(changed_at__gte=parse_datetime_param("changedAfter", params["changedAfter"]))
    return found.order_by("changed_at", "id")


def operations(*, process_instance_id=None, actor=None, after=None, before=None):
    """What someone (a person, a client, the scheduler, a handler) did to process instances: the
    timeline entries that name an actor."""
    found = TimelineEvent.objects.exclude(actor="").filter(process_instance_id__isnull=False)
    for lookup, value in (("process_instance_id", process_instance_id), ("actor", actor),
                          ("occurred_at__gte", after), ("occurred_at__lte", before)):
        if value is not None:
            found = found.filter(**{lookup: value})
    return found.order_by("occurred_at", "id")


def instance_timeline(instance_id):
    return timeline.for_process_instance(instance_id)


