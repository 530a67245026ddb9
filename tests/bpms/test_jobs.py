"""Async continuations as jobs: run by the worker; a failing job counts its retries down to a
failedJob incident; the operator fixes the data and retries."""

import pytest

from bpms.models import Incident, Job, UserTask
from bpms.services import instances

from .async_support import deploy, handler_worker, start, wait_until  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_an_async_before_continuation_is_run_by_the_worker(handler_worker):
    deploy("async_continuation.bpmn")
    instance = start("async-continuation")
    assert Job.objects.filter(process_instance=instance, type="continuation", kind="before").exists()

    wait_until(lambda: UserTask.objects.filter(process_instance=instance, task_definition_key="step").exists())

    assert not Job.objects.filter(process_instance=instance).exists()


@pytest.mark.django_db
def test_a_failing_job_ends_in_an_incident_and_a_retry_after_the_fix_runs_it(api_client_for):
    deploy("async_failing_job.bpmn")
    instance = start("async-failing-job")
    job = Job.objects.get(process_instance=instance)
    operator = api_client_for("operator", username="olga")

    for expected_retries in (2, 1, 0):
        response = operator.post(f"/v1/jobs/{job.id}/execute")
        assert response.status_code == 422 and "amount" in response.json()["detail"]
        assert response.json()["retries"] == expected_retries

    incident = Incident.objects.get(process_instance=instance)
    assert (incident.type, incident.configuration, incident.activity_id) == ("failedJob", str(job.id), "route")
    listed = operator.get("/v1/jobs", {"processInstanceId": str(instance.id), "withException": "true"}).json()
    assert listed["results"][0]["exceptionMessage"].startswith("expression")
    assert "Traceback" in operator.get(f"/v1/jobs/{job.id}").json()["exceptionDetails"]

    instances.modify_variables(instance.id, modifications={"amount": {"value": 500}}, deletions=[], actor="olga")
    assert operator.post(f"/v1/incidents/{incident.id}/retry", {}, format="json").status_code == 200
    assert Job.objects.get(id=job.id).retries == 1
    assert operator.post(f"/v1/jobs/{job.id}/execute").status_code == 204

    assert UserTask.objects.filter(process_instance=instance, task_definition_key="bigTask").exists()
