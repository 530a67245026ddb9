"""Keep the async layer's rows in step with what an instance waits for.

The engine calls `sync(process_instance, wait_states)` after every operation (`sync_all` after
several written together), inside its transaction, with the complete current snapshot. Rows whose
engine task is no longer waited for are deleted (a timer on a cancelled branch never fires; the
subscription of a taken gateway branch goes); new waits get rows. Everything that must happen elsewhere afterwards goes out only when the
transaction commits: long-poll wake-ups (NOTIFY is transactional) and Celery work (outbox).
"""

import json

from django.db import connection
from django.utils import timezone

from bpms import handlers, longpoll
from bpms.engine.interface import WaitStates
from bpms.models import (EventSubscription, ExternalTask, Incident, Job, ProcessInstance, ProcessVariable,
                         PublishedMessage)
from eximee import outbox

from . import incidents
from .jobs import initial_retries

RUN_HANDLER_TASK = "bpms.run_service_task_handler"
EXECUTE_JOB_TASK = "bpms.execute_job"
DELIVER_BUFFERED_TASK = "bpms.deliver_buffered_messages"


def correlation_variables(process_instance_id):
    """The instance's scalar variables: what correlation keys are matched against."""
    rows = ProcessVariable.objects.filter(process_instance_id=process_instance_id).values_list("name", "value")
    return {name: value for name, value in rows
            if value is None or isinstance(value, (bool, int, float)) or (isinstance(value, str) and len(value) <= 500)}


def sync(process_instance, wait_states: WaitStates):
    sync_all([(process_instance, wait_states)])


def sync_all(snapshots):
    """`sync` of several instances, [(process_instance, wait_states)]: one read of their rows and one
    write per kind of row for all of them (a batch of timers fired together)."""
    if not snapshots:
        return
    existing = _existing([instance.id for instance, _ in snapshots])
    created = {ExternalTask: [], Job: [], EventSubscription: []}
    gone = {ExternalTask: [], Job: [], EventSubscription: []}
    rearmed = []
    for instance, wait_states in snapshots:
        if instance.state != ProcessInstance.ACTIVE:
            wait_states = WaitStates()
        rows = existing.get(instance.id) or _no_rows()
        tasks, gone_tasks = _sync_external_tasks(instance, wait_states.service_tasks, rows[ExternalTask])
        jobs, rearmed_jobs, gone_jobs = _sync_jobs(instance, wait_states.timers, wait_states.continuations, rows[Job])
        subscriptions, gone_subscriptions = _sync_subscriptions(instance, wait_states.messages, wait_states.signals,
                                                                rows[EventSubscription])
        linked_tasks, linked_jobs = _with_incidents(gone_tasks), _with_incidents(gone_jobs)
        if linked_tasks or linked_jobs:
            incidents.resolve_deleted(instance, external_task_ids=linked_tasks, job_ids=linked_jobs)
        created[ExternalTask] += tasks
        created[Job] += jobs
        created[EventSubscription] += subscriptions
        rearmed += rearmed_jobs
        gone[ExternalTask] += gone_tasks
        gone[Job] += gone_jobs
        gone[EventSubscription] += gone_subscriptions
    for model, rows in created.items():
        model.objects.bulk_create(rows)
    if rearmed:
        Job.objects.bulk_update(rearmed, ["due_at", "lock_owner", "lock_expires_at"])
    # What must happen elsewhere, once the rows exist and the transaction commits.
    longpoll.announce(task.topic for task in created[ExternalTask] if not task.builtin)
    for task in created[ExternalTask]:
        if task.builtin:
            outbox.enqueue(RUN_HANDLER_TASK, str(task.id))
    for job in created[Job]:
        if job.type == Job.CONTINUATION:
            outbox.enqueue(EXECUTE_JOB_TASK, str(job.id))
    for model, rows in gone.items():
        _delete(model, [row.id for row in rows])


def _with_incidents(rows):
    return [row.id for row in rows if row.has_incident]


# One round trip for the three tables, and only the columns sync compares: it runs after every
# engine operation, on the hot path of completions, correlations and timers. Whether an incident
# links a task or job (an index probe) spares the UPDATE of incidents when one goes that never failed.
_EXISTING = """
    SELECT 'task', t.process_instance_id, t.id, t.engine_task_id, '', NULL::timestamptz, NULL::jsonb,
           EXISTS (SELECT 1 FROM {incident} i WHERE i.external_task_id = t.id)
    FROM {task} t WHERE t.process_instance_id = ANY(%(ids)s)
    UNION ALL
    SELECT 'job', j.process_instance_id, j.id, j.engine_task_id, j.type, j.due_at, NULL,
           EXISTS (SELECT 1 FROM {incident} i WHERE i.job_id = j.id)
    FROM {job} j WHERE j.process_instance_id = ANY(%(ids)s)
    UNION ALL
    SELECT 'subscription', process_instance_id, id, engine_task_id, event_type, NULL, variables, false
    FROM {subscription} WHERE process_instance_id = ANY(%(ids)s)
"""


def _no_rows():
    return {ExternalTask: {}, Job: {}, EventSubscription: {}}


def _existing(process_instance_ids):
    """{instance id: {model: {engine task id: row with id, engine_task_id, what sync compares and
    `has_incident`}}} of the instances that have any."""
    existing = {}
    sql = _EXISTING.format(task=ExternalTask._meta.db_table, job=Job._meta.db_table,
                           subscription=EventSubscription._meta.db_table, incident=Incident._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": list(process_instance_ids)})
        for source, instance_id, row_id, engine_task_id, type_, due_at, variables, has_incident in cursor.fetchall():
            if source == "task":
                row = ExternalTask(id=row_id, engine_task_id=engine_task_id)
            elif source == "job":
                row = Job(id=row_id, engine_task_id=engine_task_id, type=type_, due_at=due_at)
            else:
                row = EventSubscription(id=row_id, engine_task_id=engine_task_id, event_type=type_,
                                        variables=json.loads(variables) if isinstance(variables, str) else variables)
            row.has_incident = has_incident
            rows = existing.setdefault(instance_id, _no_rows())
            rows[type(row)][engine_task_id] = row
    return existing


def _delete(model, ids):
    """A plain DELETE: these queue rows carry no signals (not tracked by django-auditlog, see
    AUDITLOG_EXCLUDE_TRACKING_MODELS) and incidents.resolve_deleted has unlinked their incidents,
    so Django's collector would only add a SELECT of the rows and an UPDATE of nothing."""
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE id = ANY(%s)", [ids])


def _sync_external_tasks(instance, waits, existing):
    wanted = {wait.engine_task_id: wait for wait in waits}
    new = [
        ExternalTask(
            process_instance=instance, engine_task_id=wait.engine_task_id,
            process_definition_key=instance.process_definition_key, business_key=instance.business_key,
            activity_id=wait.activity_id, activity_name=wait.activity_name or "", topic=wait.topic,
            priority=wait.priority, builtin=handlers.get(wait.topic) is not None,
            retry_time_cycle=wait.retry_time_cycle or "", extension_properties=dict(wait.extension_properties),
            local_variables=dict(wait.local_variables),
        )
        for task_id, wait in wanted.items() if task_id not in existing
    ]
    return new, [row for task_id, row in existing.items() if task_id not in wanted]


def _sync_jobs(instance, timers, continuations, existing):
    now = timezone.now()
    common = {"process_instance": instance, "process_definition_id": instance.definition_id,
              "process_definition_key": instance.process_definition_key, "business_key": instance.business_key}
    wanted = {}
    for timer in timers:
        wanted[timer.engine_task_id] = Job(
            type=Job.TIMER, engine_task_id=timer.engine_task_id, activity_id=timer.activity_id, kind=timer.kind,
            interrupting=timer.interrupting, cycle=timer.cycle or "", due_at=timer.due_at,
            retry_time_cycle=timer.retry_time_cycle or "", retries=initial_retries(timer.retry_time_cycle), **common)
    for continuation in continuations:
        wanted[continuation.engine_task_id] = Job(
            type=Job.CONTINUATION, engine_task_id=continuation.engine_task_id, activity_id=continuation.activity_id,
            kind=continuation.position, due_at=now, retry_time_cycle=continuation.retry_time_cycle or "",
            retries=initial_retries(continuation.retry_time_cycle), **common)

    new, rearmed = [], []
    for task_id, job in wanted.items():
        current = existing.get(task_id)
        if current is None:
            new.append(job)
        elif current.type == Job.TIMER and current.due_at != job.due_at:
            # A repeating timer fired and the engine armed its next occurrence.
            current.due_at, current.lock_owner, current.lock_expires_at = job.due_at, "", None
            rearmed.append(current)
    return new, rearmed, [row for task_id, row in existing.items() if task_id not in wanted]


def _sync_subscriptions(instance, messages, signals, existing):
    wanted = {}
    for event_type, waits, name_of in ((EventSubscription.MESSAGE, messages, lambda w: w.message_name),
                                       (EventSubscription.SIGNAL, signals, lambda w: w.signal_name)):
        for wait in waits:
            wanted[wait.engine_task_id] = EventSubscription(
                event_type=event_type, event_name=name_of(wait), process_instance=instance,
                process_definition_key=instance.process_definition_key, business_key=instance.business_key,
                engine_task_id=wait.engine_task_id, activity_id=wait.activity_id, kind=wait.kind,
                interrupting=wait.interrupting)
    new = [sub for task_id, sub in wanted.items() if task_id not in existing]
    kept = [sub for task_id, sub in existing.items() if task_id in wanted]

    if any(sub.event_type == EventSubscription.MESSAGE for sub in (*new, *kept)):
        variables = correlation_variables(instance.id)
        for sub in new:
            sub.variables = variables if sub.event_type == EventSubscription.MESSAGE else {}
        changed = [sub for sub in kept if sub.event_type == EventSubscription.MESSAGE and sub.variables != variables]
        for sub in changed:
            sub.variables = variables
        if changed:
            EventSubscription.objects.bulk_update(changed, ["variables"])

    new_message_names = {sub.event_name for sub in new if sub.event_type == EventSubscription.MESSAGE}
    if new_message_names and PublishedMessage.objects.filter(
            state=PublishedMessage.BUFFERED, message_name__in=new_message_names,
            expires_at__gt=timezone.now()).exists():
        outbox.enqueue(DELIVER_BUFFERED_TASK, str(instance.id))
    return new, [row for task_id, row in existing.items() if task_id not in wanted]
