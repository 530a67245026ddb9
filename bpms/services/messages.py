"""Message correlation.

`correlate(...)` delivers a message to the instances waiting for it (catch events, receive tasks,
boundary events, event-based gateway branches, event subprocesses) or, when no instance waits,
starts the latest version of each process with a matching message start event.

Rules (Camunda 7's, plus buffering):
- criteria: message name, and optionally business key, process instance id and correlation keys
  (values the waiting instance's variables must equal; only scalar variables take part);
- start events are considered when no process instance id and no correlation keys are given, and
  only when no waiting instance matches (with all=True: both);
- no match: eximee.errors.NotFound, unless a time_to_live is given: then the message is buffered
  and delivered to the first matching subscription that appears before it expires. The returned
  `Correlation` is then empty and its `buffered` attribute holds the PublishedMessage;
- more than one match with all=False: eximee.errors.Conflict;
- a message_id makes publishing idempotent: a repeat returns the first outcome without effect.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from bpms.engine import get_engine
from bpms.models import EventSubscription, PublishedMessage, locking
from bpms.selectors import messages as selectors
from datamodel.services import write_business_data
from eximee import timeline
from eximee.errors import Conflict, InvalidRequest, NotFound, RuleViolation

logger = logging.getLogger(__name__)


class Correlation(list):
    """What a correlation triggered: [{"resultType", "processInstanceId", "activityId"}, ...].
    `buffered` is the PublishedMessage when the message was buffered (or replayed while still
    buffered), else None."""

    def __init__(self, results=(), buffered=None):
        super().__init__(results)
        self.buffered = buffered


def _validate(message_name, correlation_keys, variables, time_to_live):
    if not isinstance(message_name, str) or not message_name.strip():
        raise InvalidRequest("messageName is required.", errors=[{"pointer": "/messageName", "detail": "required"}])
    if not isinstance(correlation_keys, dict):
        raise InvalidRequest("correlationKeys must be an object.",
                             errors=[{"pointer": "/correlationKeys", "detail": "must be an object"}])
    for name, value in correlation_keys.items():
        if not (value is None or isinstance(value, (str, int, float, bool))):
            raise InvalidRequest("Correlation keys match scalar variables only.",
                                 errors=[{"pointer": f"/correlationKeys/{name}", "detail": "must be a scalar"}])
    if not isinstance(variables, dict):
        raise InvalidRequest("processVariables must be an object.",
                             errors=[{"pointer": "/processVariables", "detail": "must be an object"}])
    if time_to_live is not None and time_to_live.total_seconds() <= 0:
        raise InvalidRequest("timeToLive must be positive.", errors=[{"pointer": "/timeToLive", "detail": "> 0"}])
    if time_to_live is not None and not get_engine().buffers_messages:
        raise RuleViolation("Buffering a message (timeToLive) is not supported by the remote engine: it correlates "
                            "a message only to what waits for it now.",
                            errors=[{"pointer": "/timeToLive", "detail": "not supported by the engine"}])


def _replay(published):
    if published.state == PublishedMessage.DELIVERED:
        return Correlation(published.result)
    return Correlation([], buffered=published)


def correlate(message_name, *, business_key=None, process_instance_id=None, correlation_keys=None,
              variables=None, business_data=None, all=False, time_to_live=None, message_id=None, actor=""):
    correlation_keys, variables = correlation_keys or {}, variables or {}
    _validate(message_name, correlation_keys, variables, time_to_live)
    with transaction.atomic():
        published = None
        if message_id:
            try:
                with transaction.atomic():
                    # A concurrent publisher of the same id waits here until we commit, then replays.
                    published = PublishedMessage.objects.create(
                        message_id=message_id, message_name=message_name, business_key=business_key,
                        process_instance_id=process_instance_id, correlation_keys=correlation_keys,
                        variables=variables, business_data=business_data, correlate_all=all,
                        state=PublishedMessage.DELIVERED, published_by=actor)
            except IntegrityError:
                return _replay(PublishedMessage.objects.get(message_id=message_id))

        results = get_engine().correlate_message(
            message_name, business_key=business_key, process_instance_id=process_instance_id,
            correlation_keys=correlation_keys, variables=variables, business_data=business_data, all=all, actor=actor)
        if results:
            if published is not None:
                published.result, published.delivered_at = results, timezone.now()
                published.save(update_fields=["result", "delivered_at"])
            return Correlation(results)
        if time_to_live is None:
            raise NotFound(f"No process instance or start event waits for message '{message_name}'.",
                           extra={"messageName": message_name})
        published = published or PublishedMessage(
            message_name=message_name, business_key=business_key, process_instance_id=process_instance_id,
            correlation_keys=correlation_keys, variables=variables, business_data=business_data,
            correlate_all=all, published_by=actor)
        published.state, published.expires_at = PublishedMessage.BUFFERED, timezone.now() + time_to_live
        published.save()
        return Correlation([], buffered=published)


def deliver_to_matches(message_name, *, business_key, process_instance_id, correlation_keys, variables,
                       business_data, all, actor):
    """The embedded engine's correlation (Engine.correlate_message): to our event subscriptions."""
    waiting = selectors.subscriptions(EventSubscription.MESSAGE, message_name, business_key=business_key,
                                      process_instance_id=process_instance_id, correlation_keys=correlation_keys,
                                      limit=None if all else 2)
    starts = []
    if (all or not waiting) and not process_instance_id and not correlation_keys:
        starts = selectors.definitions_started_by("message_start_events", "messageName", message_name)
    if not all and len(waiting) + len(starts) > 1:
        raise Conflict(f"Message '{message_name}' matches more than one waiting instance or start event; "
                       "narrow the criteria or correlate with all=true.", extra={"messageName": message_name})
    results = []
    for subscription in waiting:
        result = deliver(subscription, message_name=message_name, variables=variables,
                         business_data=business_data, actor=actor)
        if result:
            results.append(result)
    for definition, activity_id in starts:
        results.append(_start(definition, activity_id, message_name=message_name, business_key=business_key,
                              variables=variables, business_data=business_data, actor=actor))
    return results


def deliver(subscription, *, message_name, variables, business_data, actor):
    """Deliver to one subscription; None if it went away meanwhile (another message took it).
    Always inside the caller's transaction, which a failure here fails as a whole: no savepoint."""
    with transaction.atomic(savepoint=False):
        if business_data is not None:   # the definition row is the whole model: read only for its data model
            instance = locking.instance_with_definition(id=subscription.process_instance_id)
        else:
            instance = locking.INSTANCE.first(subscription.process_instance_id)
        if instance is None or locking.SUBSCRIPTION.first(subscription.id) is None:
            return None
        if business_data is not None:
            write_business_data(data=business_data, actor=actor, business_key=instance.business_key,
                                process_instance_id=instance.id, model_name=instance.definition.data_model or None)
        get_engine().deliver_message(instance, subscription.engine_task_id, message_name=message_name,
                                     variables=variables, actor=actor)
        return {"resultType": "Execution", "processInstanceId": str(instance.id),
                "activityId": subscription.activity_id}


def _start(definition, activity_id, *, message_name, business_key, variables, business_data, actor):
    from .instances import start_process_instance

    instance = start_process_instance(process_definition_key=definition.key, version=definition.version,
                                      business_key=business_key, variables=variables, business_data=business_data,
                                      start_activity_id=activity_id, actor=actor)
    timeline.record("message.correlated", f"Message {message_name} started {definition.key}",
                    business_key=business_key, process_instance_id=instance.id, actor=actor,
                    data={"messageName": message_name, "activityId": activity_id})
    return {"resultType": "ProcessDefinition", "processInstanceId": str(instance.id), "activityId": activity_id}


def deliver_buffered(process_instance_id, *, limit=100):
    """Deliver live buffered messages to the subscriptions an instance just opened. Returns how many
    were delivered. Each buffered message is delivered once."""
    delivered = 0
    for _ in range(limit):
        now = timezone.now()
        names = set(EventSubscription.objects.filter(process_instance_id=process_instance_id,
                                                     event_type=EventSubscription.MESSAGE)
                    .values_list("event_name", flat=True))
        if not names or not _deliver_one_buffered(process_instance_id, names, now):
            return delivered
        delivered += 1
    return delivered


def _deliver_one_buffered(process_instance_id, names, now):
    for candidate in selectors.live_buffered_messages(names, now):
        if candidate.process_instance_id and str(candidate.process_instance_id) != str(process_instance_id):
            continue
        matches = selectors.subscriptions(
            EventSubscription.MESSAGE, candidate.message_name, business_key=candidate.business_key,
            process_instance_id=process_instance_id, correlation_keys=candidate.correlation_keys, limit=1)
        if not matches:
            continue
        with transaction.atomic():
            published = (PublishedMessage.objects.select_for_update(skip_locked=True)
                         .filter(id=candidate.id, state=PublishedMessage.BUFFERED, expires_at__gt=now).first())
            if published is None:
                continue
            result = deliver(matches[0], message_name=published.message_name, variables=published.variables,
                             business_data=published.business_data, actor=published.published_by)
            if result is None:
                continue
            published.state, published.result, published.delivered_at = (
                PublishedMessage.DELIVERED, [result], timezone.now())
            published.save(update_fields=["state", "result", "delivered_at"])
            return True
    return False


def expire_buffered():
    return PublishedMessage.objects.filter(state=PublishedMessage.BUFFERED, expires_at__lte=timezone.now()).update(
        state=PublishedMessage.EXPIRED)
