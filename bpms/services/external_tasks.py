"""Service tasks: fetched and locked by external workers over REST, or run by built-in handlers on
Celery workers; both then complete, fail or throw a BPMN error through the same functions here.

Locks: a task is fetchable when it has no lock (or it expired) and its retries are null (never
failed) or above 0. Completing needs the caller to be the worker named on the task: once the lock
expired and another worker fetched the task, the first worker's calls get 409.
Every operation on one task locks the process instance row first and the task row second, the
order the engine's own operations lock in, so they never deadlock against each other.
"""

import logging
import os
import socket
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from bpms import handlers, longpoll
from bpms.engine import get_engine
from bpms.models import ExternalTask, ProcessVariable, locking
from datamodel.services import write_business_data
from eximee import outbox, timeline
from eximee.errors import Conflict, DomainError, NotFound

from . import incidents
from .jobs import initial_retries, next_retry

logger = logging.getLogger(__name__)

RUN_HANDLER_TASK = "bpms.run_service_task_handler"


@dataclass(frozen=True)
class TopicRequest:
    topic_name: str
    lock_duration: timedelta
    variables: tuple[str, ...] | None = None     # None: all variables
    business_key: str | None = None


def _runnable(now):
    """Unlocked (or the lock expired), with retries left, on an instance that is not suspended."""
    return ((Q(lock_expires_at__isnull=True) | Q(lock_expires_at__lte=now))
            & (Q(retries__isnull=True) | Q(retries__gt=0))
            & Q(process_instance__suspended=False))


def _fetchable(now):
    return _runnable(now) & Q(builtin=False)


def _topic_filter(topics):
    condition = Q()
    for topic in topics:
        condition |= Q(topic=topic.topic_name, **({"business_key": topic.business_key} if topic.business_key else {}))
    return condition


def _variables_for(tasks, topics):
    by_topic = {topic.topic_name: topic for topic in topics}
    names = set()
    everything = False
    for task in tasks:
        wanted = by_topic[task.topic].variables
        everything = everything or wanted is None
        names.update(wanted or ())
    rows = ProcessVariable.objects.filter(process_instance_id__in={task.process_instance_id for task in tasks})
    if not everything:
        rows = rows.filter(name__in=names)
    values = {}
    for instance_id, name, value in rows.values_list("process_instance_id", "name", "value"):
        values.setdefault(instance_id, {})[name] = value
    for task in tasks:
        wanted = by_topic[task.topic].variables
        current = {**values.get(task.process_instance_id, {}), **task.local_variables}
        task.fetched_variables = current if wanted is None else {k: v for k, v in current.items() if k in wanted}


def _acquire(worker_id, max_tasks, use_priority, topics):
    """Pick and lock in one statement (UPDATE ... RETURNING over a SKIP LOCKED subquery), its own
    transaction: a fetch costs one round trip, not BEGIN, SELECT, UPDATE and COMMIT."""
    now = timezone.now()
    order = ("-priority", "created_at", "id") if use_priority else ("created_at", "id")
    table = connection.ops.quote_name(ExternalTask._meta.db_table)
    picked, picked_params = (ExternalTask.objects.filter(_fetchable(now), _topic_filter(topics)).order_by(*order)
                             .values("id")[:max_tasks].query.sql_with_params())
    lock_until = " ".join("WHEN %s THEN %s" for _ in topics)
    lock_params = [value for topic in topics for value in (topic.topic_name, now + topic.lock_duration)]
    tasks = list(ExternalTask.objects.raw(
        f"UPDATE {table} SET worker_id = %s, lock_expires_at = CASE topic {lock_until} END "
        f"WHERE id IN ({picked} FOR UPDATE OF {table} SKIP LOCKED) RETURNING *",
        [worker_id, *lock_params, *picked_params]))
    tasks.sort(key=(lambda task: (-task.priority, task.created_at, task.id)) if use_priority
               else (lambda task: (task.created_at, task.id)))
    if tasks:
        _variables_for(tasks, topics)
    return tasks


def _seconds_to_next_expiry(topics):
    """Locks that expire make tasks fetchable without any notification: wake up for them too."""
    now = timezone.now()
    soonest = (ExternalTask.objects.filter(_topic_filter(topics), builtin=False, lock_expires_at__gt=now)
               .filter(Q(retries__isnull=True) | Q(retries__gt=0)).aggregate(soonest=Min("lock_expires_at"))["soonest"])
    return None if soonest is None else (soonest - now).total_seconds() + 0.01


def fetch_and_lock(*, worker_id, max_tasks, topics, use_priority=False, async_response_timeout=0.0):
    """Returns up to max_tasks locked tasks, each with `fetched_variables`. With a timeout (seconds,
    at most BPMS_MAX_LONG_POLL_SECONDS) an empty fetch waits for a task of one of the topics and
    returns [] only once the timeout has passed."""
    deadline = time.monotonic() + min(async_response_timeout, settings.BPMS_MAX_LONG_POLL_SECONDS)
    tasks = _acquire(worker_id, max_tasks, use_priority, topics)
    if tasks or async_response_timeout <= 0:
        return tasks
    names = {topic.topic_name for topic in topics}
    with longpoll.TopicListener() as listener:
        while True:
            # Listening before this read: a task committed in between still wakes us.
            tasks = _acquire(worker_id, max_tasks, use_priority, topics)
            remaining = deadline - time.monotonic()
            if tasks or remaining <= 0:
                return tasks
            next_expiry = _seconds_to_next_expiry(topics)
            listener.wait(names, remaining if next_expiry is None else min(remaining, next_expiry))


def _locked(task_id, *, worker_id=None, with_definition=False):
    """Lock the instance (found through the task, in the same query), then the task; check the
    caller holds the task's lock. The instance's definition row (the whole model, XML and parsed)
    is read only when asked for."""
    if with_definition:
        instance = locking.instance_with_definition(external_tasks__id=task_id)
    else:
        instance = locking.INSTANCE_OF_EXTERNAL_TASK.first(task_id)
    if instance is None:
        raise NotFound(f"Service task {task_id} does not exist.")
    task = locking.EXTERNAL_TASK.first(task_id)
    if task is None:
        raise NotFound(f"Service task {task_id} does not exist any more.")
    if worker_id is not None and task.worker_id != worker_id:
        if task.worker_id:
            raise Conflict(f"Service task {task_id} is locked by another worker.",
                           extra={"lockedBy": task.worker_id})
        raise Conflict(f"Service task {task_id} is not locked by worker '{worker_id}'.")
    task.process_instance = instance
    return task


def complete(task_id, *, worker_id, variables=None, business_data=None, actor):
    with transaction.atomic():
        task = _locked(task_id, worker_id=worker_id, with_definition=business_data is not None)
        instance = task.process_instance
        if business_data is not None:
            write_business_data(data=business_data, actor=actor, business_key=instance.business_key,
                                process_instance_id=instance.id, model_name=instance.definition.data_model or None,
                                idempotency_key=f"servicetask:{task.id}")
        get_engine().complete_service_task(instance, task.engine_task_id, variables=variables or {}, actor=actor)


def throw_bpmn_error(task_id, *, worker_id, error_code, error_message="", variables=None, actor):
    with transaction.atomic():
        task = _locked(task_id, worker_id=worker_id)
        get_engine().throw_bpmn_error(task.process_instance, task.engine_task_id, error_code=error_code,
                                      error_message=error_message or "", variables=variables or {}, actor=actor)


def fail(task_id, *, worker_id, error_message, error_details="", retries, retry_timeout=timedelta(0), actor):
    """A technical failure. retries > 0: fetchable again after retry_timeout; 0: an incident."""
    with transaction.atomic():
        task = _locked(task_id, worker_id=worker_id)
        task.retries = max(retries, 0)
        task.error_message, task.error_details = (error_message or "")[:4000], error_details or ""
        task.worker_id = ""
        task.lock_expires_at = timezone.now() + retry_timeout if task.retries and retry_timeout else None
        task.save(update_fields=["retries", "error_message", "error_details", "worker_id", "lock_expires_at"])
        timeline.record("servicetask.failed", f"Service task {task.activity_id} failed: {error_message}"[:500],
                        business_key=task.business_key, process_instance_id=task.process_instance_id, actor=actor,
                        data={"taskId": str(task.id), "topic": task.topic, "retries": task.retries})
        if task.retries == 0:
            incidents.create_for_external_task(task)
        elif task.builtin:
            outbox.enqueue(RUN_HANDLER_TASK, str(task.id), not_before=task.lock_expires_at)
        elif task.lock_expires_at is None:
            longpoll.announce([task.topic])
        return task


def extend_lock(task_id, *, worker_id, new_duration):
    with transaction.atomic():
        task = _locked(task_id, worker_id=worker_id)
        now = timezone.now()
        if task.lock_expires_at is None or task.lock_expires_at <= now:
            raise Conflict(f"The lock on service task {task_id} has expired.")
        task.lock_expires_at = now + new_duration
        task.save(update_fields=["lock_expires_at"])
        return task


def unlock(task_id):
    with transaction.atomic():
        task = _locked(task_id)
        make_fetchable(task, retries=task.retries)
        return task


def set_retries(task_id, *, retries, actor):
    return incidents.set_retries(task_id, retries=retries, actor=actor, lock=_locked, make_runnable=make_fetchable,
                                 open_incident=incidents.create_for_external_task)


def make_fetchable(task, *, retries):
    """Clear the lock (and set retries); wake fetchers or queue the built-in handler."""
    task.worker_id, task.lock_expires_at, task.retries = "", None, retries
    task.save(update_fields=["worker_id", "lock_expires_at", "retries"])
    if task.builtin:
        outbox.enqueue(RUN_HANDLER_TASK, str(task.id))
    else:
        longpoll.announce([task.topic])


# --- built-in handlers ---------------------------------------------------------------------------

def _builtin_worker_id():
    return f"builtin@{socket.gethostname()}:{os.getpid()}"


def _lock_for_handler(task_id, worker_id):
    now = timezone.now()
    with transaction.atomic():
        task = (ExternalTask.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(_runnable(now), id=task_id, builtin=True).first())
        if task is None:
            return None
        task.worker_id = worker_id
        task.lock_expires_at = now + timedelta(seconds=settings.BPMS_HANDLER_LOCK_SECONDS)
        task.save(update_fields=["worker_id", "lock_expires_at"])
    return task


def run_builtin(task_id):
    """Run the built-in handler of a task, once: a task that is gone, locked by a live run, or out
    of retries is left alone. Returns what happened ("completed", "bpmn-error", "failed", "skipped")."""
    worker_id = _builtin_worker_id()
    task = _lock_for_handler(task_id, worker_id)
    if task is None:
        return "skipped"
    handler = handlers.get(task.topic)
    actor = f"handler:{task.topic}"
    context = handlers.ServiceTaskContext(
        id=str(task.id), topic=task.topic, process_instance_id=str(task.process_instance_id),
        business_key=task.business_key, activity_id=task.activity_id,
        variables={**get_engine().get_variables(task.process_instance_id), **task.local_variables},
        retries=task.retries)
    try:
        output = handler(context)
    except handlers.BpmnError as error:
        outcome, report = "bpmn-error", partial(
            throw_bpmn_error, task.id, worker_id=worker_id, error_code=error.code, error_message=error.message,
            variables=error.variables, actor=actor)
    except Exception as exc:
        return _fail_builtin(task, worker_id, exc, actor)
    else:
        outcome, report = "completed", partial(complete, task.id, worker_id=worker_id, variables=output or {},
                                               actor=actor)
    try:
        report()
    except (NotFound, Conflict):
        # The instance moved on (cancelled) or was suspended meanwhile, or our lock expired and
        # another run took the task.
        logger.info("built-in handler result dropped", extra={"task": str(task.id)})
        _unlock_for_activation(task.id, worker_id)
        return "skipped"
    except DomainError as exc:   # e.g. output variables the engine refuses
        return _fail_builtin(task, worker_id, exc, actor)
    return outcome


def _fail_builtin(task, worker_id, failure, actor):
    retries_left = task.retries if task.retries is not None else initial_retries(task.retry_time_cycle)
    retries, wait = next_retry(retries_left, task.retry_time_cycle)
    try:
        fail(task.id, worker_id=worker_id, error_message=str(failure) or type(failure).__name__,
             error_details="".join(traceback.format_exception(failure))[-20000:], retries=retries,
             retry_timeout=wait, actor=actor)
    except (NotFound, Conflict):
        return "skipped"
    return "failed"


def _unlock_for_activation(task_id, worker_id):
    """A run whose instance was suspended while the handler worked: drop our lock, so that
    `resume` queues the run again when the instance is activated (handlers are idempotent)."""
    ExternalTask.objects.filter(id=task_id, worker_id=worker_id, process_instance__suspended=True) \
        .update(worker_id="", lock_expires_at=None)


def resume(process_instance_id):
    """An instance was activated: what came for its service tasks while it was suspended was
    passed over (built-in runs skipped, fetchers not woken), so queue and announce them again."""
    runnable = ExternalTask.objects.filter(_runnable(timezone.now()), process_instance_id=process_instance_id)
    topics = set()
    for task_id, topic, builtin in runnable.values_list("id", "topic", "builtin"):
        if builtin:
            outbox.enqueue(RUN_HANDLER_TASK, str(task_id))
        else:
            topics.add(topic)
    longpoll.announce(topics)


def requeue_stale_builtin():
    """Built-in runs whose worker died: queue them again once their lock has expired (Celery's
    redelivery after the visibility timeout normally does it; this catches what it misses)."""
    now = timezone.now()
    stale = (ExternalTask.objects.filter(builtin=True, lock_expires_at__lte=now - timedelta(seconds=60))
             .filter(Q(retries__isnull=True) | Q(retries__gt=0)).values_list("id", flat=True)[:1000])
    with transaction.atomic():
        for task_id in stale:
            outbox.enqueue(RUN_HANDLER_TASK, str(task_id))
    return len(stale)

