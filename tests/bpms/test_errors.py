"""BPMN errors: thrown by an external task's completion (the engine operation the async layer
calls) and caught by an error boundary event with errorCodeVariable/errorMessageVariable; thrown by
an error end event and caught by an error event subprocess whose errorRef names no <error> (Camunda
takes it as the code) and which has no end event; uncaught, the execution ends (Camunda 7 default)."""

import pytest

from bpms.engine import get_engine

from .engine_support import deploy, instance, on_locked, start, wait_states

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_client_for):
    return api_client_for("process-starter", "deployer", "task-manager")


def test_error_boundary_catches_the_service_task_error(client):
    deploy(client, "errors.bpmn")
    started = start(client, "errors")
    [service_task] = wait_states(started["id"]).service_tasks
    assert service_task.topic == "fraud.check"
    on_locked(started["id"], get_engine().throw_bpmn_error, service_task.engine_task_id, error_code="FRAUD",
              error_message="card reported stolen", actor="worker")
    body = instance(client, started["id"])
    assert body["activeActivityIds"] == ["investigate"]
    variables = {name: v["value"] for name, v in body["processVariables"].items()}
    assert variables == {"errorCode": "FRAUD", "errorMessage": "card reported stolen"}
    assert wait_states(started["id"]).service_tasks == ()


def test_an_uncaught_error_ends_the_execution(client):
    deploy(client, "errors.bpmn")
    started = start(client, "errors")
    [service_task] = wait_states(started["id"]).service_tasks
    on_locked(started["id"], get_engine().throw_bpmn_error, service_task.engine_task_id, error_code="OTHER",
              actor="worker")
    assert instance(client, started["id"])["state"] == "completed"


def test_error_end_event_is_caught_by_the_error_event_subprocess(client, api_client_for):
    deploy(client, "error_subprocess.bpmn")
    started = start(client, "error-subprocess", {"amount": 900, "limit": 500})
    from .engine_support import complete
    assert complete(client, started["openTasks"][0]["id"]).status_code == 200
    body = instance(client, started["id"])
    assert [t["taskDefinitionKey"] for t in body["openTasks"]] == ["escalate"]
    assert body["processVariables"]["code"]["value"] == "LIMIT_EXCEEDED"
    assert complete(client, body["openTasks"][0]["id"]).status_code == 200
    assert instance(client, started["id"])["state"] == "completed"
