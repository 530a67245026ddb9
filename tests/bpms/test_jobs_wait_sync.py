"""waits.sync keeps the async tables equal to the engine's snapshot of what an instance waits for."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bpms.engine.interface import (AsyncContinuation, MessageWait, ServiceTaskWait, SignalWait, TimerWait,
                                   WaitStates)
from bpms.models import EventSubscription, ExternalTask, Incident, Job, ProcessInstance, ProcessVariable
from bpms.services import incidents, waits
from eximee.models import OutboxMessage

from .async_support import instance_row

pytestmark = pytest.mark.django_db

IN_AN_HOUR = timezone.now() + timedelta(hours=1)
SNAPSHOT = WaitStates(
    service_tasks=(ServiceTaskWait("t1", "charge", "Charge card", "payments.charge", priority=5),
                   ServiceTaskWait("t2", "echo", "Echo", "test.echo")),
    messages=(MessageWait("m1", "paid", "PaymentReceived", "catch"),),
    signals=(SignalWait("s1", "stop", "StopAll", "boundary", interrupting=False),),
    timers=(TimerWait("z1", "reminder", IN_AN_HOUR, "boundary"),),
    continuations=(AsyncContinuation("c1", "archive", "before"),),
)


def test_a_snapshot_creates_one_row_per_wait():
    instance = instance_row(business_key="CASE-1")
    waits.sync(instance, SNAPSHOT)

    tasks = {task.topic: task for task in ExternalTask.objects.filter(process_instance=instance)}
    assert set(tasks) == {"payments.charge", "test.echo"}
    assert tasks["payments.charge"].priority == 5 and not tasks["payments.charge"].builtin
    assert tasks["test.echo"].builtin
    assert tasks["payments.charge"].business_key == "CASE-1"
    jobs = {job.type: job for job in Job.objects.filter(process_instance=instance)}
    assert jobs["timer"].due_at == IN_AN_HOUR and jobs["continuation"].kind == "before"
    subscriptions = {s.event_type: s for s in EventSubscription.objects.filter(process_instance=instance)}
    assert subscriptions["message"].event_name == "PaymentReceived"
    assert subscriptions["signal"].interrupting is False


def test_built_in_handler_runs_and_continuations_go_through_the_outbox():
    instance = instance_row()
    waits.sync(instance, SNAPSHOT)

    echo = ExternalTask.objects.get(process_instance=instance, topic="test.echo")
    continuation = Job.objects.get(process_instance=instance, type=Job.CONTINUATION)
    queued = {(message.task_name, message.args[0]) for message in OutboxMessage.objects.all()}
    assert queued == {("bpms.run_service_task_handler", str(echo.id)), ("bpms.execute_job", str(continuation.id))}


def test_waits_that_are_gone_are_deleted_and_the_others_kept():
    instance = instance_row()
    waits.sync(instance, SNAPSHOT)
    kept_task = ExternalTask.objects.get(engine_task_id="t1")

    # The boundary timer's branch was left: its timer must never fire.
    waits.sync(instance, WaitStates(service_tasks=SNAPSHOT.service_tasks[:1]))

    assert list(ExternalTask.objects.filter(process_instance=instance)) == [kept_task]
    assert not Job.objects.filter(process_instance=instance).exists()
    assert not EventSubscription.objects.filter(process_instance=instance).exists()


def test_a_repeating_timer_is_rearmed_with_its_next_due_date():
    instance = instance_row()
    waits.sync(instance, WaitStates(timers=(TimerWait("z1", "tick", IN_AN_HOUR, "boundary", cycle="R3/PT1H"),)))
    job = Job.objects.get(process_instance=instance)
    Job.objects.filter(id=job.id).update(lock_owner="scheduler", lock_expires_at=IN_AN_HOUR)

    later = IN_AN_HOUR + timedelta(hours=1)
    waits.sync(instance, WaitStates(timers=(TimerWait("z1", "tick", later, "boundary", cycle="R2/PT1H"),)))

    job.refresh_from_db()
    assert (job.due_at, job.lock_owner, job.lock_expires_at) == (later, "", None)


def test_subscriptions_carry_the_scalar_variables_correlation_keys_match():
    instance = instance_row()
    ProcessVariable.objects.create(process_instance=instance, name="orderId", type="String", value="A-1")
    ProcessVariable.objects.create(process_instance=instance, name="items", type="Json", value=[1, 2])
    waits.sync(instance, SNAPSHOT)
    subscription = EventSubscription.objects.get(process_instance=instance, event_type="message")
    assert subscription.variables == {"orderId": "A-1"}

    ProcessVariable.objects.filter(name="orderId").update(value="A-2")
    waits.sync(instance, SNAPSHOT)

    subscription.refresh_from_db()
    assert subscription.variables == {"orderId": "A-2"}


def test_an_ended_instance_waits_for_nothing_and_its_incidents_close():
    instance = instance_row()
    waits.sync(instance, SNAPSHOT)
    task = ExternalTask.objects.get(engine_task_id="t1")
    task.retries, task.error_message = 0, "boom"
    task.save()
    incidents.create_for_external_task(task)
    assert ProcessInstance.objects.get(id=instance.id).has_incident

    instance.state = ProcessInstance.CANCELLED
    waits.sync(instance, SNAPSHOT)

    assert not ExternalTask.objects.filter(process_instance=instance).exists()
    assert not Job.objects.filter(process_instance=instance).exists()
    incident = Incident.objects.get(process_instance=instance)
    assert incident.resolution == "deleted" and incident.resolved_at is not None
    assert not ProcessInstance.objects.get(id=instance.id).has_incident


def test_only_waits_an_incident_links_cost_an_update_of_incidents_when_they_go():
    failed_job, clean = instance_row(), instance_row()
    for instance in (failed_job, clean):
        waits.sync(instance, SNAPSHOT)
    job = Job.objects.get(process_instance=failed_job, engine_task_id="z1")
    job.retries, job.exception_message = 0, "boom"
    job.save()
    incidents.create_for_job(job)
    incidents.retry(Incident.objects.get(job=job).id, actor="operator")   # resolved, still linked

    with CaptureQueriesContext(connection) as clean_queries:
        waits.sync(clean, WaitStates())
    with CaptureQueriesContext(connection) as failed_queries:
        waits.sync(failed_job, WaitStates())

    def incident_updates(queries):
        return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "bpms_incident"')]
    assert incident_updates(clean_queries) == [] and len(incident_updates(failed_queries)) == 1
    assert not Job.objects.filter(process_instance__in=[failed_job, clean]).exists()
    incident = Incident.objects.get(process_instance=failed_job)
    assert incident.job_id is None and incident.resolution == "retried"
