"""camunda: attributes not covered elsewhere, each through the API: asyncAfter (a continuation job
after the activity), a timeDate timer given by a Date variable, a repeating timeCycle boundary timer
(non-interrupting), and camunda:properties of an external task."""

from datetime import datetime, timezone

import pytest

from bpms.models import ExternalTask, Job

from .engine_support import complete, deploy, instance, start

pytestmark = pytest.mark.django_db


def _execute(client, job):
    assert client.post(f"/v1/jobs/{job.id}/execute").status_code == 204


def test_async_after_a_date_timer_a_cycle_and_task_properties(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager", "operator")
    deploy(client, "more_attributes.bpmn")
    started = start(client, "more-attributes", {"reviewDate": {"type": "Date", "value": "2030-01-01T09:00:00+0100"}})
    assert complete(client, started["openTasks"][0]["id"]).status_code == 200

    # asyncAfter: the activity is done, the instance waits for the continuation job before going on
    [job] = Job.objects.filter(process_instance_id=started["id"])
    assert (job.type, job.kind, job.activity_id) == ("continuation", "after", "prepare")
    assert instance(client, started["id"])["openTasks"] == []
    _execute(client, job)

    # timeDate from a Date variable
    [timer] = Job.objects.filter(process_instance_id=started["id"])
    assert (timer.type, timer.activity_id) == ("timer", "reviewDay")
    assert timer.due_at == datetime(2030, 1, 1, 8, 0, tzinfo=timezone.utc)
    _execute(client, timer)

    # a non-interrupting R3/PT10M boundary timer on the waiting task
    body = instance(client, started["id"])
    assert [t["taskDefinitionKey"] for t in body["openTasks"]] == ["review"]
    [cycle] = Job.objects.filter(process_instance_id=started["id"])
    assert (cycle.activity_id, cycle.kind, cycle.interrupting, cycle.cycle) == ("reminder", "boundary", False, "R3/PT10M")
    _execute(client, cycle)
    assert [t["id"] for t in instance(client, started["id"])["openTasks"]] == [body["openTasks"][0]["id"]]
    [again] = Job.objects.filter(process_instance_id=started["id"])
    assert again.activity_id == "reminder" and again.due_at > cycle.due_at

    # camunda:properties travel with the external task
    assert complete(client, body["openTasks"][0]["id"]).status_code == 200
    task = ExternalTask.objects.get(process_instance_id=started["id"])
    assert (task.topic, task.extension_properties) == ("notify.customer", {"channel": "sms"})
    assert not Job.objects.filter(process_instance_id=started["id"]).exists()
