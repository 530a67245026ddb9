"""Timers and async continuations: acquired by the scheduler once due, executed by Celery workers.

The scheduler (`acquire_due`, Celery beat every second) locks due jobs in batches with SKIP LOCKED
and sends one `bpms.execute_job` per job straight to the broker. If the broker is down, or a worker
dies, nothing is lost: the job keeps its row and is acquired again once its lock expires. A job runs
in the engine's transaction, so its effect and the removal of its row commit together; a second
delivery of the same job finds no row and does nothing.

Only an engine whose wait states we hold (the embedded one) has jobs for this scheduler. A remote
engine's job executor runs its own jobs; our Job rows of them are its projection (written by its
sync), which nothing here acquires or runs: operators reach them through the engine
(Engine.execute_job, set_job_retries).
"""

import logging
import re
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bpms.engine import get_engine
from bpms.engine.interface import WaitStateEngine
from bpms.models import Job, ProcessInstance, locking
from eximee import outbox
from eximee.celery import app
from eximee.errors import Conflict, InvalidRequest, NotFound, RuleViolation

logger = logging.getLogger(__name__)

SCHEDULER = "scheduler"
_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$")
_REPEAT = re.compile(r"^R(?P<count>\d+)/(?P<duration>P\S+)$")


def parse_duration(text):
    match = _DURATION.match(text.strip())
    if not match or text.strip() in ("P", "PT"):
        raise InvalidRequest(f"'{text}' is not an ISO 8601 duration such as PT5M.")
    return timedelta(**{unit: float(value) for unit, value in match.groupdict().items() if value})


def retry_delays(retry_time_cycle):
    """camunda:failedJobRetryTimeCycle -> the wait before each retry: "R3/PT5M" gives three retries
    five minutes apart; "PT1M,PT5M,PT10M" gives three retries with growing waits. Empty: the
    configured number of retries, at once."""
    text = (retry_time_cycle or "").strip()
    if not text:
        return [timedelta(0)] * settings.BPMS_DEFAULT_RETRIES
    repeat = _REPEAT.match(text)
    if repeat:
        return [parse_duration(repeat["duration"])] * int(repeat["count"])
    return [parse_duration(part) for part in text.split(",")]


def initial_retries(retry_time_cycle):
    try:
        return len(retry_delays(retry_time_cycle))
    except InvalidRequest:
        # A model with an unreadable cycle still runs, with the default retries.
        return settings.BPMS_DEFAULT_RETRIES


def next_retry(retries_left, retry_time_cycle):
    """After a failure with `retries_left` retries before it: (retries after, wait before the next)."""
    try:
        delays = retry_delays(retry_time_cycle)
    except InvalidRequest:
        delays = retry_delays("")
    remaining = max(retries_left - 1, 0)
    if remaining == 0:
        return 0, timedelta(0)
    return remaining, delays[max(len(delays) - retries_left, 0) % len(delays)]


def _fetchable(now, horizon):
    return (Q(retries__gt=0, due_at__lte=horizon)
            & (Q(lock_expires_at__isnull=True) | Q(lock_expires_at__lte=now))
            & (Q(process_instance__isnull=True) | Q(process_instance__suspended=False)))


def ours():
    """Whether our scheduler runs the jobs in our rows (above)."""
    return isinstance(get_engine(), WaitStateEngine)


def lock_due_batch(batch_size):
    """Lock up to batch_size jobs due before the next tick for the scheduler: [(id, due_at)]."""
    if not ours():
        return []
    now = timezone.now()
    horizon = now + timedelta(seconds=settings.BPMS_JOB_TICK_SECONDS)
    with transaction.atomic():
        due = list(Job.objects.select_for_update(skip_locked=True, of=("self",)).filter(_fetchable(now, horizon))
                   .order_by("due_at", "id").values_list("id", "due_at")[:batch_size])
        Job.objects.filter(id__in=[job_id for job_id, _ in due]).update(
            lock_owner=SCHEDULER, lock_expires_at=now + timedelta(seconds=settings.BPMS_JOB_LOCK_SECONDS))
    return due


def acquire_due(batch_size=None):
    """Lock the jobs due before the next tick, in batches, and hand each to a worker with its due
    time as ETA (so a timer fires on time, not up to a tick late); returns how many were handed out."""
    batch_size = batch_size or settings.BPMS_JOB_BATCH_SIZE
    handed_out = 0
    while True:
        due = lock_due_batch(batch_size)
        now = timezone.now()
        ready = [str(job_id) for job_id, due_at in due if due_at <= now]
        messages = [("bpms.execute_jobs", [chunk], None) for chunk in _chunks(ready)]
        messages += [("bpms.execute_job", [str(job_id)], due_at) for job_id, due_at in due if due_at > now]
        for task_name, args, eta in messages:
            try:
                app.send_task(task_name, args=args, eta=eta, ignore_result=True)
            except Exception:  # broker down: the lock expires and the job is acquired again
                logger.warning("could not queue jobs, they are acquired again when their lock expires",
                               extra={"jobs": args[0]})
                return handed_out
        handed_out += len(due)
        if len(due) < batch_size:
            return handed_out


# Jobs that are already due when the scheduler locks them (thousands at once after a pause, or a
# burst of timers) go out in chunks: a broker message per job costs the scheduler a round trip
# each and the worker a task dispatch each. At least SPREAD messages keep every worker process
# busy; at most CHUNK jobs share one.
SPREAD, CHUNK = 16, 50


def _chunks(job_ids):
    size = max(1, min(CHUNK, len(job_ids) // SPREAD))
    return [job_ids[start:start + size] for start in range(0, len(job_ids), size)]


def execute(job_id, *, actor=SCHEDULER):
    """Run one job now. Returns True when it ran, False when it failed (retries counted down) or
    was gone already (or is a remote engine's, not ours to run)."""
    if not ours():
        return False
    try:
        with transaction.atomic():
            # Instance first (found through the job in the same query; none for a timer start
            # event), then job: the order every engine operation locks in.
            instance = locking.INSTANCE_OF_JOB.first(job_id)
            # Without its definition row (the whole model): only a timer start event reads it.
            job = locking.JOB.first(job_id)
            if job is None:
                return False
            if instance is not None and instance.suspended:
                # Queued before the suspension: not a failure. Unlocked, it is acquired again once
                # the instance is activated (the scheduler passes over suspended instances).
                job.lock_owner, job.lock_expires_at = "", None
                job.save(update_fields=["lock_owner", "lock_expires_at"])
                return False
            _run(job, instance, actor)
            return True
    except Exception as exc:
        record_failure(job_id, exc)
        return False


def execute_due(job_ids, *, actor=SCHEDULER):
    """Run jobs the scheduler found due together. The timers and continuations of instances that
    nobody else holds run in one transaction and are written together (one statement per kind of
    row for the whole batch, docs/performance.md); a timer start, a suspended instance, a parent or
    child of another, a second job of one instance, and every job of a batch that fails run alone
    (execute). Returns (ids run together, ids left to run alone)."""
    if not ours():
        return [], []
    try:
        with transaction.atomic():
            batch = _lock_batch(job_ids)
            if batch:
                get_engine().run_jobs(
                    [(instance, job.engine_task_id, job.type == Job.TIMER) for job, instance in batch], actor=actor)
    except Exception:  # nothing of the batch is written; alone, the failing job counts down its retries
        logger.info("a batch of due jobs failed; running them one by one", exc_info=True)
        return [], list(job_ids)
    together = {str(job.id) for job, _ in batch}
    return sorted(together), [job_id for job_id in job_ids if str(job_id) not in together]


def _lock_batch(job_ids):
    """[(job, instance)] locked, in the engine's order (instances, then their jobs): instances that no
    other transaction holds, active and not suspended, neither a child nor the parent of an active
    child (a child's end changes its parent); one job each."""
    instance_ids = {instance_id for instance_id in Job.objects.filter(id__in=job_ids)
                    .values_list("process_instance_id", flat=True) if instance_id is not None}
    # Locked by primary key alone and checked here: the plan stays an index lookup whatever the
    # table's statistics say.
    instances = {instance.id: instance for instance in locking.instances_unless_held(instance_ids)
                 if instance.state == ProcessInstance.ACTIVE and not instance.suspended and instance.parent_id is None}
    # By parent alone (an index probe each); the state is checked here, as above.
    for parent_id, state in ProcessInstance.objects.filter(parent_id__in=instances).values_list("parent_id", "state"):
        if state == ProcessInstance.ACTIVE:
            instances.pop(parent_id, None)
    batch, taken = [], set()
    for job in Job.objects.select_for_update(of=("self",)).filter(id__in=job_ids, process_instance_id__in=instances,
                                                                  type__in=(Job.TIMER, Job.CONTINUATION)):
        if job.process_instance_id not in taken:
            taken.add(job.process_instance_id)
            batch.append((job, instances[job.process_instance_id]))
    return batch


def _run(job, instance, actor):
    engine = get_engine()
    if job.type == Job.TIMER:
        engine.fire_timer(instance, job.engine_task_id, actor=actor)
    elif job.type == Job.CONTINUATION:
        engine.run_continuation(instance, job.engine_task_id, actor=actor)
    else:
        from .timer_starts import fire

        fire(job, actor=actor)


def record_failure(job_id, exc):
    from . import incidents

    with transaction.atomic():
        job = Job.objects.select_for_update().filter(id=job_id).first()
        if job is None:
            return None
        job.retries, wait = next_retry(job.retries, job.retry_time_cycle)
        job.exception_message = str(getattr(exc, "detail", None) or exc)[:4000] or type(exc).__name__
        job.exception_details = "".join(traceback.format_exception(exc))[-20000:]
        job.lock_owner, job.lock_expires_at = "", None
        job.due_at = timezone.now() + wait
        job.save(update_fields=["retries", "exception_message", "exception_details", "lock_owner",
                                "lock_expires_at", "due_at"])
        if job.retries == 0:
            incidents.create_for_job(job)
        return job


def execute_now(job_id, *, actor):
    """An operator runs a job at once (POST /v1/jobs/{id}/execute), whatever its due date."""
    job = Job.objects.filter(id=job_id).select_related("process_instance").first()
    if job is None:
        raise NotFound(f"Job {job_id} does not exist.")
    if job.process_instance is not None and job.process_instance.suspended:
        raise Conflict(f"Process instance {job.process_instance_id} is suspended: activate it to run its jobs.")
    if execute(job_id, actor=actor):
        return
    job = Job.objects.filter(id=job_id).first()
    if job is not None and job.exception_message:
        raise RuleViolation(f"The job failed: {job.exception_message}",
                            extra={"jobId": str(job.id), "retries": job.retries})


def set_retries(job_id, *, retries, actor):
    from . import incidents

    return incidents.set_retries(job_id, retries=retries, actor=actor, lock=_locked, make_runnable=requeue,
                                 open_incident=incidents.create_for_job)


def _locked(job_id):
    """Lock the job's instance (found through the job in the same query; none for a timer start
    event), then the job: the engine's order."""
    locking.INSTANCE_OF_JOB.first(job_id)
    job = locking.JOB.first(job_id)
    if job is None:
        raise NotFound(f"Job {job_id} does not exist.")
    return job


def requeue(job, *, retries):
    """Give a failed job new retries and run it (incident retry)."""
    job.retries, job.due_at, job.lock_owner, job.lock_expires_at = retries, timezone.now(), "", None
    job.save(update_fields=["retries", "due_at", "lock_owner", "lock_expires_at"])
    outbox.enqueue("bpms.execute_job", str(job.id))
