"""What only camunda7 mode has: the same instance under the same id on both sides, messages with a
time-to-live refused (the engine cannot buffer them), a long-polling fetch held by the engine, and
the engine's jobs left to its job executor."""

import json
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from bpms.engine import get_engine
from bpms.models import Incident, Job, ProcessInstance
from bpms.services import jobs
from tests.bpms.async_support import deploy, start as start_row, unique
from tests.bpms.engine_support import start

pytestmark = pytest.mark.django_db


def test_on_camunda7_a_v1_instance_is_the_engines_instance_under_the_same_id(api_client_for, camunda7):
    client = api_client_for("process-starter", "deployer", "operator")
    camunda7.deploy(client, "loan_application.bpmn")
    started = start(client, "loan-application", {"amount": 7}, businessKey="SAME-ID")
    server = camunda7.server
    remote = httpx.get(f"{server.url}/engine-rest/process-instance/{started['id']}", timeout=10,
                       headers={"Authorization": f"Bearer {server.token()}"})
    assert remote.status_code == 200
    assert (remote.json()["id"], remote.json()["businessKey"]) == (started["id"], "SAME-ID")


def test_on_camunda7_a_message_with_time_to_live_is_refused_not_dropped(api_client_for, camunda7):
    camunda7.deploy(api_client_for("deployer"), "async_message_catch.bpmn")
    response = api_client_for("event-publisher").post("/v1/messages", {
        "messageName": "PaymentReceived", "businessKey": "NOBODY", "timeToLive": "PT1H"}, format="json")

    assert response.status_code == 422 and response.json()["errors"][0]["pointer"] == "/timeToLive"


def test_on_camunda7_a_waiting_fetch_gets_a_task_the_engine_creates_meanwhile(api_client_for, camunda7):
    """The fetch's asyncResponseTimeout is passed on: the engine holds the request until another
    client (here the engine's own REST API, in a thread) starts an instance with a task of the topic."""
    deploy("async_service_task.bpmn")
    topic, server = unique("held"), camunda7.server

    def start_on_the_engine():
        time.sleep(1)
        httpx.post(f"{server.url}/engine-rest/process-definition/key/async-service-task/start", timeout=30,
                   headers={"Authorization": f"Bearer {server.token()}"},
                   json={"businessKey": topic, "variables": {"topic": {"value": topic, "type": "String"}}})

    starter = threading.Thread(target=start_on_the_engine)
    starter.start()
    response = api_client_for("service-worker").post("/v1/service-tasks/fetch-and-lock", {
        "workerId": "w1", "maxTasks": 1, "asyncResponseTimeout": 30_000,
        "topics": [{"topicName": topic, "lockDuration": 60_000}]}, format="json")
    starter.join()

    assert response.status_code == 200, response.content
    [task] = response.json()
    assert (task["topicName"], task["businessKey"], task["workerId"]) == (topic, topic, "w1")
    assert ProcessInstance.objects.get(id=task["processInstanceId"]).business_key == topic


def test_on_camunda7_our_scheduler_leaves_the_engines_jobs_to_it(camunda7):
    deploy("async_failing_job.bpmn", "async_boundaries.bpmn")
    continued, timed = start_row("async-failing-job"), start_row("async-boundaries")
    projected = Job.objects.filter(process_instance__in=[continued, timed]).order_by("id")
    # Both due in our rows too: the continuation at once, the timer moved into the past here.
    projected.filter(type=Job.TIMER).update(due_at=timezone.now() - timedelta(minutes=1))
    before = list(projected.values_list("id", "retries", "lock_owner", "lock_expires_at", "exception_message"))
    assert sorted(job_type for job_type in projected.values_list("type", flat=True)) == ["continuation", "timer"]

    assert (jobs.acquire_due(), jobs.lock_due_batch(100)) == (0, [])
    assert [jobs.execute(job_id) for job_id, *_ in before] == [False, False]

    assert list(projected.values_list("id", "retries", "lock_owner", "lock_expires_at", "exception_message")) == before
    engine_jobs = get_engine().client.get("/job", processInstanceId=str(continued.id))
    assert [(j["retries"], j["exceptionMessage"]) for j in engine_jobs] == [(3, None)]


def test_in_camunda7_mode_beat_schedules_no_job_acquisition_of_ours():
    def beat_entries(engine):
        listed = subprocess.run(
            [sys.executable, "-c", "import json, django; django.setup(); from django.conf import settings; "
                                   "print(json.dumps(sorted(settings.CELERY_BEAT_SCHEDULE)))"],
            env={**os.environ, "EXIMEE_ENGINE": engine, "DJANGO_SETTINGS_MODULE": "eximee.settings"},
            capture_output=True, text=True, check=True)
        return set(json.loads(listed.stdout.strip().splitlines()[-1]))

    ours = {"bpms-acquire-due-jobs", "bpms-schedule-timer-starts"}
    remote = beat_entries("camunda7")
    assert ours <= beat_entries("embedded")
    assert not ours & remote and "bpms-camunda7-sync" in remote


def test_on_camunda7_a_job_of_a_suspended_instance_is_refused_by_the_engine_without_a_failure(
        api_client_for, camunda7):
    deploy("async_continuation.bpmn")
    instance = start_row("async-continuation")
    job = Job.objects.get(process_instance=instance)
    operator = api_client_for("operator")
    assert operator.post(f"/v1/process-instances/{instance.id}/suspend").status_code == 200

    refused = operator.post(f"/v1/jobs/{job.id}/execute")

    assert refused.status_code == 409 and "suspended" in refused.json()["detail"], refused.content
    job.refresh_from_db()
    assert (job.retries, job.exception_message) == (3, "")
    assert operator.post(f"/v1/process-instances/{instance.id}/activate").status_code == 200
    assert operator.post(f"/v1/jobs/{job.id}/execute").status_code == 204
    assert not Job.objects.filter(process_instance=instance).exists()


def test_on_camunda7_job_retries_set_through_our_facade_reach_the_engine(api_client_for, camunda7):
    deploy("async_boundaries.bpmn")
    instance = start_row("async-boundaries")
    job = Job.objects.get(process_instance=instance)
    operator = api_client_for("operator")
    url = f"/engine-rest/job/{job.id}/retries"

    assert operator.put(url, {"retries": 0}, format="json").status_code == 204
    incident = Incident.objects.get(process_instance=instance)
    assert (incident.type, incident.job_id, incident.configuration, incident.is_open) == (
        "failedJob", job.id, str(job.id), True)
    assert operator.put(url, {"retries": 2}, format="json").status_code == 204

    incident.refresh_from_db()
    assert (incident.resolution, Job.objects.get(id=job.id).retries) == ("retried", 2)
    engine_job = get_engine().client.get(f"/job/{job.engine_task_id}")
    assert engine_job["retries"] == 2 and get_engine().client.get("/incident", processInstanceId=str(instance.id)) == []
    assert operator.put(url, {"retries": -1}, format="json").status_code == 400
