"""Variables are the process's, whichever branch they arrive on: a completion's variables survive
the end of its branch, and a variable changed through the API stays changed when a waiting catch
event on another branch later receives its message."""

import pytest

from .engine_support import complete, deploy, instance, start, variable_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager", "operator", "event-publisher")
    deploy(client, "parallel_variables.bpmn")
    return client


def test_a_completion_on_a_branch_that_ends_keeps_its_variables(client):
    started = start(client, "parallel-variables", {"address": "old street"}, businessKey="ORDER-7")
    [collect] = started["openTasks"]

    assert complete(client, collect["id"], {"address": "new street", "phone": "123"}).status_code == 200
    assert variable_values(client, started["id"]) == {"address": "new street", "phone": "123"}

    response = client.post("/v1/messages", {"messageName": "Paid", "businessKey": "ORDER-7"}, format="json")
    assert response.status_code == 200, response.json()
    body = instance(client, started["id"])
    assert body["activeActivityIds"] == ["ship"]
    assert variable_values(client, started["id"]) == {"address": "new street", "phone": "123"}


def test_a_variable_changed_through_the_api_survives_a_message_arriving_later(client):
    started = start(client, "parallel-variables", {"address": "old street"}, businessKey="ORDER-8")
    response = client.patch(f"/v1/process-instances/{started['id']}/variables",
                            {"modifications": {"address": "corrected street"}}, format="json")
    assert response.status_code == 200, response.json()

    response = client.post("/v1/messages", {"messageName": "Paid", "businessKey": "ORDER-8",
                                            "processVariables": {"paidAmount": 10}}, format="json")
    assert response.status_code == 200, response.json()

    assert variable_values(client, started["id"]) == {"address": "corrected street", "paidAmount": 10}
