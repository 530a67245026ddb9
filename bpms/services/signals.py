"""Signals: a broadcast to every instance waiting for the signal and to every latest process
definition with a signal start event of that name. Each receiver is its own transaction, so one
failing instance does not take the others' delivery back."""

import logging

from django.db import transaction

from bpms.engine import get_engine
from bpms.models import EventSubscription, locking
from bpms.selectors import messages as selectors
from eximee.errors import DomainError, InvalidRequest

logger = logging.getLogger(__name__)


def broadcast(signal_name, *, variables=None, actor=""):
    """Returns [{"resultType", "processInstanceId", "activityId"}] for every receiver reached, and
    [{"processInstanceId", "activityId", "error"}] in `failed` for those that refused it."""
    if not isinstance(signal_name, str) or not signal_name.strip():
        raise InvalidRequest("signalName is required.", errors=[{"pointer": "/signalName", "detail": "required"}])
    variables = variables or {}
    if not isinstance(variables, dict):
        raise InvalidRequest("variables must be an object.", errors=[{"pointer": "/variables", "detail": "object"}])
    return get_engine().broadcast_signal(signal_name, variables=variables, actor=actor)


def deliver_to_receivers(signal_name, *, variables, actor, sender=None):
    """The embedded engine's broadcast (Engine.broadcast_signal): to our event subscriptions, but
    not to those of `sender`, the instance whose model threw the signal (its engine delivered it
    to itself)."""
    from .instances import start_process_instance

    results, failed = [], []
    for subscription in selectors.subscriptions(EventSubscription.SIGNAL, signal_name):
        if subscription.process_instance_id == sender:
            continue
        try:
            result = _deliver(subscription, signal_name, variables, actor)
        except DomainError as exc:
            failed.append({"processInstanceId": str(subscription.process_instance_id),
                           "activityId": subscription.activity_id, "error": exc.detail})
            continue
        if result:
            results.append(result)
    for definition, activity_id in selectors.definitions_started_by("signal_start_events", "signalName", signal_name):
        instance = start_process_instance(process_definition_key=definition.key, version=definition.version,
                                          variables=variables, start_activity_id=activity_id, actor=actor)
        results.append({"resultType": "ProcessDefinition", "processInstanceId": str(instance.id),
                        "activityId": activity_id})
    return results, failed


def _deliver(subscription, signal_name, variables, actor):
    with transaction.atomic():
        instance = locking.INSTANCE.first(subscription.process_instance_id)
        if instance is None or locking.SUBSCRIPTION.first(subscription.id) is None:
            return None
        get_engine().deliver_signal(instance, subscription.engine_task_id, signal_name=signal_name,
                                    variables=variables, actor=actor)
        return {"resultType": "Execution", "processInstanceId": str(instance.id), "activityId": subscription.activity_id}
