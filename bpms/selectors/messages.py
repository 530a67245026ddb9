"""Who waits for a message or a signal: indexed subscriptions and the start events of the latest
definition versions."""

from bpms.models import EventSubscription, ProcessDefinition, PublishedMessage
from eximee.compiled import CompiledRead


def subscriptions(event_type, name, *, business_key=None, process_instance_id=None, correlation_keys=None,
                  limit=None):
    """Active (not suspended) subscriptions matching the criteria, oldest first. The lookup uses the
    (type, name, business key) index and the GIN index on the variables, so its cost does not grow
    with the number of instances waiting for other messages or keys. Each correlation runs one:
    without correlation keys (a JSON containment, compiled each time) its SQL is compiled once."""
    criteria = {"event_type": event_type, "event_name": name}
    if business_key:
        criteria["business_key"] = business_key
    if process_instance_id:
        criteria["process_instance_id"] = process_instance_id
    if correlation_keys:
        return list(_matching(criteria, limit, variables__contains=correlation_keys))
    names = tuple(criteria)
    if (names, limit) not in _COMPILED:
        _COMPILED[names, limit] = CompiledRead(lambda *values: _matching(dict(zip(names, values)), limit),
                                               *map(EventSubscription._meta.get_field, names))
    return _COMPILED[names, limit].all(*criteria.values())


_COMPILED = {}


def _matching(criteria, limit, **more):
    query = EventSubscription.objects.filter(process_instance__suspended=False)
    for lookup, value in criteria.items():    # one filter each: the parameters keep this order
        query = query.filter(**{lookup: value})
    query = query.filter(**more).order_by("created_at", "id")
    return query[:limit] if limit else query


def definitions_started_by(event_field, name_field, name):
    """Latest versions of the process definitions with a start event of that name:
    event_field "message_start_events"/"signal_start_events", name_field "messageName"/"signalName"."""
    keys = set(ProcessDefinition.objects.filter(**{f"{event_field}__contains": [{name_field: name}]})
               .values_list("key", flat=True))
    if not keys:
        return []
    latest = ProcessDefinition.objects.filter(key__in=keys).order_by("key", "-version").distinct("key")
    return [(definition, event["activityId"]) for definition in latest
            for event in getattr(definition, event_field) if event.get(name_field) == name]


def live_buffered_messages(names, now):
    return list(PublishedMessage.objects.filter(state=PublishedMessage.BUFFERED, message_name__in=names,
                                                expires_at__gt=now).order_by("created_at", "id"))
