"""What only camunda7 mode has: the same instance under the same id on both sides, messages with a
time-to-live refused (the engine cannot buffer them), and a long-polling fetch held by the engine."""

import threading
import time

import httpx
import pytest

from bpms.models import ProcessInstance
from tests.bpms.async_support import deploy, unique
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
