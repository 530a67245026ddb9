"""What only camunda7 mode has: the same instance under the same id on both sides, and messages
with a time-to-live refused (the engine cannot buffer them)."""

import httpx
import pytest

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
