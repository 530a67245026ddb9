"""Timer start events: one Job per timer start event of the latest version of each process, kept in
step by `schedule()` (Celery beat) and fired like any other job.

timeDate (ISO 8601 date-time), timeDuration (from the deployment) and timeCycle (`R3/PT10M`,
`R/PT1H`, counted from the deployment), literal or `${...}`. An expression is evaluated when the
job is scheduled, without variables: there is no instance yet (as in Camunda, which evaluates it at
deployment). A deployment whose expression cannot be evaluated so is refused (bpmn_xml._check).
"""

import logging
import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from bpms.engine import juel
from bpms.models import Job, ProcessDefinition

from .jobs import parse_duration

logger = logging.getLogger(__name__)

_CYCLE = re.compile(r"^R(?P<count>\d*)/(?P<duration>P\S+)$")


def _text(event, kind):
    text = (event.get(kind) or "").strip()
    if not juel.is_expression(text):
        return text
    value = juel.evaluate(text, juel.Context({}))
    return value.isoformat() if isinstance(value, datetime) else str(value if value is not None else "").strip()


def _first_due(event, deployed_at):
    """(due_at, cycle) for a timer start event; None when it cannot be scheduled."""
    if event.get("timeDate"):
        text = _text(event, "timeDate")
        due = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return (due if timezone.is_aware(due) else timezone.make_aware(due, timezone.utc)), ""
    if event.get("timeDuration"):
        return deployed_at + parse_duration(_text(event, "timeDuration")), ""
    match = _CYCLE.match(_text(event, "timeCycle"))
    if match:
        return deployed_at + parse_duration(match["duration"]), match.group(0)
    return None


def schedule():
    """Create the jobs of new timer start events; drop those of replaced versions. Returns the
    number of jobs created. A remote engine schedules its own timer start events."""
    from .jobs import ours

    if not ours():
        return 0
    latest = list(ProcessDefinition.objects.order_by("key", "-version").distinct("key"))
    wanted = {definition.id: definition for definition in latest if definition.timer_start_events}
    created = 0
    with transaction.atomic():
        Job.objects.filter(type=Job.TIMER_START).exclude(process_definition_id__in=wanted).delete()
        existing = set(Job.objects.filter(type=Job.TIMER_START).values_list("process_definition_id", "activity_id"))
        for definition in wanted.values():
            for event in definition.timer_start_events:
                if (definition.id, event["activityId"]) in existing:
                    continue
                try:
                    first = _first_due(event, definition.created_at)
                except Exception as exc:
                    first = None
                    logger.warning("timer start event not scheduled", extra={"definition": str(definition.id),
                                                                             "error": str(exc)})
                if first is None:
                    continue
                Job.objects.create(type=Job.TIMER_START, process_definition=definition,
                                   process_definition_key=definition.key, engine_task_id=event["activityId"],
                                   activity_id=event["activityId"], kind="start", due_at=first[0], cycle=first[1])
                created += 1
    return created


def fire(job, *, actor):
    """Start an instance at the timer start event, then arm the next occurrence. A job that will not
    fire again stays, marked "fired" without retries, so `schedule()` does not create it anew."""
    from .instances import start_process_instance

    start_process_instance(process_definition_key=job.process_definition.key, version=job.process_definition.version,
                           start_activity_id=job.activity_id, actor=actor)
    match = _CYCLE.match(job.cycle)
    remaining = None if not match or not match["count"] else int(match["count"]) - 1
    if match is None or remaining == 0:
        job.kind, job.retries, job.lock_owner, job.lock_expires_at = "fired", 0, "", None
        job.save(update_fields=["kind", "retries", "lock_owner", "lock_expires_at"])
        return
    job.cycle = f"R{'' if remaining is None else remaining}/{match['duration']}"
    job.due_at += parse_duration(match["duration"])
    job.lock_owner, job.lock_expires_at = "", None
    job.save(update_fields=["cycle", "due_at", "lock_owner", "lock_expires_at"])
