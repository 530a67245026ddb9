"""Timers due together run together (jobs.execute_due): one transaction and one statement per kind
of row for the batch, the same rows as one by one; what cannot join a batch, and every job of a batch
that fails, runs alone."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bpms.models import ActivityInstance, Job, ProcessInstance, UserTask
from bpms.services import jobs
from bpms.services.instances import suspend
from bpms.tasks import execute_jobs
from eximee.models import AuditEntry, TimelineEvent
from tests.concurrency import at_once

from .async_support import deploy, start

pytestmark = pytest.mark.django_db


def waiting(count):
    deploy("async_short_timer.bpmn")
    instances = [start("async-short-timer", variables={"wait": "PT1H"}) for _ in range(count)]
    Job.objects.filter(process_instance__in=instances).update(due_at=timezone.now())
    ids = [str(job_id) for job_id in Job.objects.filter(process_instance__in=instances)
           .order_by("process_instance__started_at").values_list("id", flat=True)]
    return instances, ids


def history(instance):
    """What an instance's fired timer leaves behind, without ids and times."""
    activities = sorted((activity_id, ended_at is None, canceled) for activity_id, ended_at, canceled in
                        ActivityInstance.objects.filter(process_instance=instance)
                        .values_list("activity_id", "ended_at", "canceled"))
    events = list(TimelineEvent.objects.filter(process_instance_id=instance.id).order_by("id")
                  .values_list("kind", "summary"))
    tasks = list(UserTask.objects.filter(process_instance=instance).values_list("task_definition_key", "state"))
    instance.refresh_from_db()
    return (activities, events, tasks, instance.state, instance.active_activity_ids,
            Job.objects.filter(process_instance=instance).exists())


def test_timers_fired_together_leave_what_they_leave_one_by_one():
    instances, ids = waiting(4)

    assert jobs.execute_due(ids[:3]) == (sorted(ids[:3]), [])
    assert jobs.execute(ids[3])

    alone = history(instances[3])
    assert alone[2] == [("afterPause", UserTask.CREATED)] and alone[4] == ["afterPause"] and not alone[5]
    for instance in instances[:3]:
        assert history(instance) == alone


def test_a_batch_costs_the_statements_of_one_job_whatever_its_size():
    _, ids = waiting(12)
    counts = []
    for batch in (ids[:2], ids[2:12]):
        with CaptureQueriesContext(connection) as queries:
            together, alone = jobs.execute_due(batch)
        assert (len(together), alone) == (len(batch), [])
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_batch_with_a_failing_job_writes_nothing_and_each_job_then_runs_alone():
    instances, ids = waiting(3)
    Job.objects.filter(id=ids[1]).update(engine_task_id="00000000-0000-0000-0000-000000000000")

    assert jobs.execute_due(ids) == ([], ids)
    assert not TimelineEvent.objects.filter(kind="timer.fired").exists()

    execute_jobs(ids)      # the Celery task: the batch fails, then one by one

    assert UserTask.objects.filter(process_instance__in=[instances[0], instances[2]]).count() == 2
    failed = Job.objects.get(id=ids[1])
    assert failed.retries == 2 and failed.exception_message
    assert AuditEntry.objects.filter(operation="bpms.job.execute", outcome="success").count() == 2


def test_jobs_of_suspended_and_of_parent_or_child_instances_run_alone():
    instances, ids = waiting(4)
    suspend(instances[0].id, actor="tester")
    ProcessInstance.objects.filter(id=instances[2].id).update(parent=instances[1])

    together, alone = jobs.execute_due(ids)

    assert (together, alone) == ([ids[3]], ids[:3])


@pytest.mark.django_db(transaction=True)
def test_an_instance_another_transaction_holds_is_left_to_run_alone():
    instances, ids = waiting(2)
    held, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            ProcessInstance.objects.select_for_update().get(id=instances[0].id)
            held.set()
            release.wait(30)
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(30)
        assert jobs.execute_due(ids) == ([ids[1]], [ids[0]])
    finally:
        release.set()
        holder.join()
    assert jobs.execute(ids[0])
    assert UserTask.objects.filter(process_instance__in=instances).count() == 2


def test_an_instance_with_several_due_jobs_joins_a_batch_with_one_of_them():
    deploy("async_retry_cycles.bpmn")
    instance = start("async-retry-cycles", variables={"amount": 50, "deadline": 0})
    Job.objects.filter(process_instance=instance).update(due_at=timezone.now())
    ids = [str(job_id) for job_id in Job.objects.filter(process_instance=instance).values_list("id", flat=True)]
    assert len(ids) == 3     # a continuation and two timers

    together, alone = jobs.execute_due(ids)

    assert len(together) == 1 and sorted(together + alone) == sorted(ids)
    assert all(jobs.execute(job_id) for job_id in alone)
    assert set(UserTask.objects.filter(process_instance=instance, state=UserTask.CREATED)
               .values_list("task_definition_key", flat=True)) == {"smallTask", "earlyTask", "escalate"}
    assert not Job.objects.filter(process_instance=instance).exists()


@pytest.mark.django_db(transaction=True)
def test_a_chunk_delivered_twice_at_once_fires_each_timer_once():
    instances, ids = waiting(20)

    at_once(lambda: execute_jobs(ids), lambda: execute_jobs(ids))

    assert TimelineEvent.objects.filter(kind="timer.fired").count() == 20
    assert UserTask.objects.filter(process_instance__in=instances).count() == 20
    assert not Job.objects.exists()
    assert AuditEntry.objects.filter(operation="bpms.job.execute", outcome="success").count() == 20
