"""Events from external domains: stored once per (source, eventId), then routed to what the
admin-managed routes of their type say: correlate a message, start a process, set a case status.

Outcome of an event: `unrouted` (no enabled route for its type), `routed` (every action done),
`buffered` (done, and at least one message found no waiting process and was buffered for the
route's time-to-live), `failed` (at least one action was refused; each action's entry in
`triggered` carries its result or its error). A failed action is rolled back alone; the event
and the other actions stay. A repeat of (source, eventId) returns the stored event unchanged."""

from django.db import IntegrityError, transaction

from bpms.services import instances, messages
from eximee import timeline
from eximee.errors import DomainError, RuleViolation

from ..models import DomainEvent, EventRoute
from .cases import change_status


def receive_event(*, event_type, source, event_id, occurred_at, correlation, payload, actor):
    """Returns (event, created): created is False for a repeat, which triggers nothing."""
    case_number = correlation.get("caseNumber") or correlation.get("businessKey")
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = DomainEvent.objects.create(
                    event_type=event_type, source=source, event_id=event_id, occurred_at=occurred_at,
                    case_number=case_number, correlation=correlation, payload=payload,
                    outcome=DomainEvent.UNROUTED, published_by=actor or "")
        except IntegrityError:
            # A concurrent first delivery waits on the unique index until it commits; either way
            # the first one's outcome is the answer.
            return DomainEvent.objects.get(source=source, event_id=event_id), False
        entry = timeline.record("event.received", f"Event {event_type} from {source}", business_key=case_number,
                                actor=actor,
                                data={"eventId": str(event.id), "eventType": event_type, "source": source,
                                      "sourceEventId": event_id})
        routes = EventRoute.objects.filter(event_type=event_type, enabled=True).order_by("order", "id")
        event.triggered = [_trigger(route, event, actor) for route in routes]
        event.outcome = _outcome(event.triggered)
        event.save(update_fields=["triggered", "outcome"])
        entry.data["outcome"] = event.outcome
        entry.save(update_fields=["data"])
    return event, True


def _outcome(triggered):
    if not triggered:
        return DomainEvent.UNROUTED
    if any("error" in item for item in triggered):
        return DomainEvent.FAILED
    if any(item.get("buffered") for item in triggered):
        return DomainEvent.BUFFERED
    return DomainEvent.ROUTED


def _trigger(route, event, actor):
    done = {"route": route.name, "action": route.action}
    try:
        with transaction.atomic():
            done.update(_ACTIONS[route.action](route, event, actor))
    except DomainError as exc:
        done["error"] = {"status": exc.status, "title": exc.title, "detail": exc.detail, "errors": exc.errors}
    return done


def _payload_as(route, payload):
    """(variables, business_data) as the route says the payload is passed on."""
    if route.payload_target == EventRoute.TO_VARIABLES:
        return dict(payload), None
    if route.payload_target == EventRoute.TO_BUSINESS_DATA:
        return {}, dict(payload)
    return {}, None


def _correlate_message(route, event, actor):
    variables, business_data = _payload_as(route, event.payload)
    results = messages.correlate(
        route.message_name, business_key=event.case_number, correlation_keys=event.correlation.get("keys") or None,
        variables=variables, business_data=business_data, time_to_live=route.message_time_to_live,
        message_id=f"{event.source}:{event.event_id}", actor=actor)
    return {"messageName": route.message_name, "results": list(results), "buffered": results.buffered is not None}


def _start_process(route, event, actor):
    variables, business_data = _payload_as(route, event.payload)
    instance = instances.start_process_instance(
        process_definition_key=route.process_definition_key, business_key=event.case_number,
        variables=variables, business_data=business_data, actor=actor)
    return {"processDefinitionKey": route.process_definition_key, "processInstanceId": str(instance.id)}


def _set_case_status(route, event, actor):
    if not event.case_number:
        raise RuleViolation("The event names no case.",
                            errors=[{"pointer": "/correlation/caseNumber", "detail": "required by the route"}])
    status = route.case_status or event.payload.get("status")
    if not isinstance(status, str) or not status:
        raise RuleViolation("The route sets no status and the payload has none.",
                            errors=[{"pointer": "/payload/status", "detail": "required by the route"}])
    reason = event.payload.get("reason") or f"{event.event_type} from {event.source}"
    case = change_status(case_number=event.case_number, status=status, reason=str(reason), actor=actor)
    return {"caseNumber": case.case_number, "status": case.status, "caseVersion": case.version}


_ACTIONS = {
    EventRoute.CORRELATE_MESSAGE: _correlate_message,
    EventRoute.START_PROCESS: _start_process,
    EventRoute.SET_CASE_STATUS: _set_case_status,
}
