"""What only camunda7 mode has: the same instance under the same id on both sides."""

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
