"""Built-in handlers run by a real Celery worker process: completion, BPMN error, retries to an
incident."""

import pytest

from bpms.models import ExternalTask, Incident, ProcessInstance, ProcessVariable, UserTask
from eximee.models import TimelineEvent

from .async_support import deploy, handler_worker, start, wait_until  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def open_task(instance, activity_id):
    return UserTask.objects.filter(process_instance=instance, task_definition_key=activity_id,
                                   state=UserTask.CREATED).first()


def variables(instance):
    return dict(ProcessVariable.objects.filter(process_instance=instance).values_list("name", "value"))


def test_a_handler_runs_on_the_worker_and_completes_the_service_task(handler_worker):
    deploy("async_service_task.bpmn")
    instance = start("async-service-task", variables={"topic": "test.echo", "input": "hello"})
    task_id = str(ExternalTask.objects.get(process_instance=instance).id)

    wait_until(lambda: open_task(instance, "afterWork"))

    assert variables(instance)["echoed"] == "hello"
    assert variables(instance)["handledTaskId"] == task_id
    assert not ExternalTask.objects.filter(process_instance=instance).exists()


def test_a_bpmn_error_of_a_handler_is_caught_by_the_error_boundary(handler_worker):
    deploy("async_service_task.bpmn")
    instance = start("async-service-task", variables={"topic": "test.reject"})

    wait_until(lambda: open_task(instance, "handleRejection"))

    assert variables(instance)["rejectionCode"] == "REJECTED"
    assert variables(instance)["rejectionMessage"] == "rejected by the test handler"
    assert open_task(instance, "afterWork") is None


def test_failures_count_down_the_retries_of_the_cycle_to_an_incident(handler_worker):
    deploy("async_service_task.bpmn")
    instance = start("async-service-task", variables={"topic": "test.fail"})

    incident = wait_until(lambda: Incident.objects.filter(process_instance=instance).first())

    task = ExternalTask.objects.get(process_instance=instance)
    assert task.retries == 0 and "fails on purpose" in task.error_message
    assert incident.type == "failedExternalTask" and incident.configuration == str(task.id)
    assert "RuntimeError" in incident.details and incident.activity_id == "work"
    assert ProcessInstance.objects.get(id=instance.id).has_incident
    # R2/PT0S: two attempts in all, each recorded on the timeline.
    assert TimelineEvent.objects.filter(process_instance_id=instance.id, kind="servicetask.failed").count() == 2


def test_handler_runs_outside_a_request_are_audited(handler_worker):
    from eximee.models import AuditEntry

    deploy("async_service_task.bpmn")
    instance = start("async-service-task", variables={"topic": "test.echo"})
    task_id = str(ExternalTask.objects.get(process_instance=instance).id)

    wait_until(lambda: open_task(instance, "afterWork"))

    entry = wait_until(lambda: AuditEntry.objects.filter(target=f"service-task:{task_id}").first())
    assert (entry.operation, entry.outcome, entry.actor) == ("bpms.service-task.run-handler", "completed", "celery")
