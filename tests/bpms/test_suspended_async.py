"""A suspended instance's work waits without harm: a built-in handler run that comes while it is
suspended is skipped and queued again on activation; a job that comes due or was queued before the
suspension keeps its retries and runs after activation; operators cannot run it meanwhile."""

import pytest

from bpms.models import ExternalTask, Incident, Job, UserTask
from bpms.services import external_tasks, instances, jobs
from eximee.models import OutboxMessage

from .async_support import deploy, start

pytestmark = pytest.mark.django_db


def handler_runs_queued(task):
    return OutboxMessage.objects.filter(task_name=external_tasks.RUN_HANDLER_TASK, args=[str(task.id)]).count()


def has_open_task(instance, key):
    return UserTask.objects.filter(process_instance=instance, task_definition_key=key, state=UserTask.CREATED).exists()


def test_a_handler_run_skipped_while_suspended_is_queued_again_on_activation():
    deploy("async_service_task.bpmn")
    instance = start("async-service-task", variables={"topic": "test.echo", "input": "hi"})
    task = ExternalTask.objects.get(process_instance=instance)
    instances.suspend(instance.id, actor="olga")

    assert external_tasks.run_builtin(task.id) == "skipped"
    queued = handler_runs_queued(task)
    instances.activate(instance.id, actor="olga")

    assert handler_runs_queued(task) == queued + 1
    assert external_tasks.run_builtin(task.id) == "completed"
    assert has_open_task(instance, "afterWork")


def test_a_handler_whose_instance_is_suspended_while_it_runs_is_run_again_after_activation():
    deploy("async_service_task.bpmn")
    instance = start("async-service-task", variables={"topic": "test.suspend-own-instance"})
    task = ExternalTask.objects.get(process_instance=instance)

    assert external_tasks.run_builtin(task.id) == "skipped"
    task.refresh_from_db()
    assert (task.worker_id, task.lock_expires_at, task.retries) == ("", None, None)  # unlocked, no retry spent

    instances.activate(instance.id, actor="olga")
    assert external_tasks.run_builtin(task.id) == "completed"
    assert has_open_task(instance, "afterWork")


def test_a_continuation_queued_before_a_suspension_keeps_its_retries_and_runs_after_activation(api_client_for):
    deploy("async_continuation.bpmn")
    instance = start("async-continuation")
    job = Job.objects.get(process_instance=instance)
    jobs.lock_due_batch(10)  # handed to a worker...
    instances.suspend(instance.id, actor="olga")  # ...and suspended before the worker got to it

    assert jobs.execute(job.id) is False
    job.refresh_from_db()
    assert (job.retries, job.exception_message, job.lock_owner, job.lock_expires_at) == (3, "", "", None)
    assert not Incident.objects.filter(process_instance=instance).exists()
    assert jobs.lock_due_batch(10) == []  # the scheduler passes over a suspended instance
    refused = api_client_for("operator").post(f"/v1/jobs/{job.id}/execute")
    assert refused.status_code == 409 and "suspended" in refused.json()["detail"]

    instances.activate(instance.id, actor="olga")

    assert [job_id for job_id, _ in jobs.lock_due_batch(10)] == [job.id]
    assert jobs.execute(job.id) is True
    assert has_open_task(instance, "step")
