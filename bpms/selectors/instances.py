from django.db.models import Prefetch, prefetch_related_objects

from bpms.models import ProcessDefinition, ProcessInstance, UserTask
from eximee.errors import InvalidRequest, NotFound

from .filters import apply_variable_filters, ordering, parse_datetime_param

SORTS = {"startTime": "started_at", "endTime": "ended_at", "businessKey": "business_key",
         "processDefinitionKey": "process_definition_key"}
STATES = ("active", "completed", "cancelled", "incident", "suspended")


def instance(instance_id):
    try:
        return ProcessInstance.objects.for_reading().select_related("parent").defer("parent__engine_state").get(
            id=instance_id)
    except (ProcessInstance.DoesNotExist, ValueError):
        raise NotFound(f"Process instance {instance_id} does not exist.") from None


# The rows an instance's view shows beside it: its variables (by name), its open user tasks (oldest
# first) and its child instances (in the order they started).
DETAILS = (
    Prefetch("variables", to_attr="variable_rows"),
    Prefetch("tasks", queryset=UserTask.objects.filter(state=UserTask.CREATED).order_by("created_at", "id"),
             to_attr="open_tasks"),
    Prefetch("children", queryset=ProcessInstance.objects.order_by("started_at").only("id", "parent_id"),
             to_attr="child_rows"),
)


def attach_details(instance, *, variables, open_tasks, children):
    """An operation that has just written all of them (a start) hands them over as written."""
    instance.variable_rows = sorted(variables, key=lambda row: row.name)
    instance.open_tasks = sorted(open_tasks, key=lambda row: (row.created_at, row.id))
    instance.child_rows = sorted(children, key=lambda row: row.started_at)
    return instance


def with_details(instance):
    """`instance` with its DETAILS and its business data (`business_data`), read unless attached."""
    from datamodel.selectors import business_data_for
    missing = [detail for detail in DETAILS if not hasattr(instance, detail.to_attr)]
    if missing:
        prefetch_related_objects([instance], *missing)
    if not hasattr(instance, "business_data"):
        instance.business_data = business_data_for(business_key=instance.business_key, process_instance_id=instance.id)
    return instance


def list_instances(params):
    instances = ProcessInstance.objects.for_reading()
    if params.get("processDefinitionKey"):
        instances = instances.filter(process_definition_key=params["processDefinitionKey"])
    if params.get("businessKey"):
        instances = instances.filter(business_key=params["businessKey"])
    if params.get("parentId"):
        instances = instances.filter(parent_id=params["parentId"])
    state = params.get("state")
    if state:
        if state not in STATES:
            raise InvalidRequest(f"state must be one of {', '.join(STATES)}.", errors=[{"pointer": "/state", "detail": "unknown"}])
        if state == "incident":
            instances = instances.filter(has_incident=True, state=ProcessInstance.ACTIVE)
        elif state == "suspended":
            instances = instances.filter(suspended=True, state=ProcessInstance.ACTIVE)
        else:
            instances = instances.filter(state=state)
    for param, lookup in (("startedAfter", "started_at__gte"), ("startedBefore", "started_at__lte"),
                          ("endedAfter", "ended_at__gte"), ("endedBefore", "ended_at__lte")):
        if params.get(param):
            instances = instances.filter(**{lookup: parse_datetime_param(param, params[param])})
    instances = apply_variable_filters(instances, params.getlist("variables"), "pk")
    return instances.order_by(*ordering(params, SORTS, default="startTime"))


def latest_definitions(params):
    definitions = ProcessDefinition.objects.order_by("key", "-version").distinct("key")
    if params.get("key"):
        definitions = definitions.filter(key=params["key"])
    if params.get("keyLike"):
        definitions = definitions.filter(key__icontains=params["keyLike"])
    if params.get("nameLike"):
        definitions = definitions.filter(name__icontains=params["nameLike"])
    return definitions


def definition_versions(key):
    versions = ProcessDefinition.objects.filter(key=key).order_by("-version")
    if not versions.exists():
        raise NotFound(f"Process definition '{key}' is not deployed.")
    return versions


def definition_version(key, version):
    found = ProcessDefinition.objects.filter(key=key, version=version).first()
    if found is None:
        raise NotFound(f"Process definition '{key}' has no version {version}.")
    return found


def definitions(*, id=None, key=None, key_like=None, name=None, name_like=None, version=None, latest_only=False):
    """Deployed versions (or only each key's latest), by key, newest version first."""
    found = ProcessDefinition.objects.order_by("key", "-version", "id")
    if latest_only:
        found = found.filter(id__in=ProcessDefinition.objects.order_by("key", "-version").distinct("key").values("id"))
    for lookup, value in (("id", id), ("key", key), ("key__icontains", key_like), ("name", name),
                          ("name__icontains", name_like), ("version", version)):
        if value is not None:
            found = found.filter(**{lookup: value})
    return found
