"""Remote mode: our Celery workers are external-task workers of the engine. The engine server
runs no built-in handlers (BPMS_BUILTIN_HANDLERS=false), so its built-in topics wait for us; one
run of the Celery task fetches and locks them, runs our handlers and reports each outcome back."""

import httpx
import pytest

from bpms.models import ActivityInstance
from bpms.tasks import camunda7_run_handlers, camunda7_sync
from tests.bpms import handlers_for_tests  # noqa: F401  (registers the test handlers in this process)
from tests.bpms.engine_support import instance, open_tasks, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(api_client_for, camunda7):
    client = api_client_for("process-starter", "deployer", "operator", "task-manager", "auditor")
    camunda7.deploy(client, "async_service_task.bpmn")
    return client


def _run_handlers_for(instance_id):
    """Run the Celery task until it has handled this instance's service task (the engine server is
    shared by the session: other tests' leftovers may be fetched first)."""
    for _ in range(20):
        camunda7_run_handlers()
        if ActivityInstance.objects.filter(process_instance_id=instance_id, activity_id="work",
                                           ended_at__isnull=False).exists():
            return
    raise AssertionError(f"the service task of {instance_id} was not handled")


def test_a_handler_output_completes_the_engines_external_task(operator):
    started = start(operator, "async-service-task", {"topic": "test.echo", "input": "hello"})
    assert started["activeActivityIds"] == ["work"]
    _run_handlers_for(started["id"])
    body = instance(operator, started["id"])
    assert body["activeActivityIds"] == ["afterWork"]
    assert body["processVariables"]["echoed"]["value"] == "hello"
    assert [t["taskDefinitionKey"] for t in open_tasks(operator, processInstanceId=started["id"])] == ["afterWork"]


def test_a_handler_bpmn_error_is_caught_by_the_boundary_event_in_the_engine(operator):
    started = start(operator, "async-service-task", {"topic": "test.reject"})
    _run_handlers_for(started["id"])
    body = instance(operator, started["id"])
    assert body["activeActivityIds"] == ["handleRejection"]
    assert body["processVariables"]["rejectionCode"]["value"] == "REJECTED"


def test_a_failing_handler_counts_down_the_retries_in_the_engine(operator, camunda7):
    started = start(operator, "async-service-task", {"topic": "test.fail"})
    assert camunda7_run_handlers() >= 1
    server = camunda7.server
    tasks = httpx.get(f"{server.url}/engine-rest/external-task", params={"processInstanceId": started["id"]},
                      headers={"Authorization": f"Bearer {server.token()}"}, timeout=10).json()
    assert [(t["retries"], t["errorMessage"]) for t in tasks] == [(2, "the test handler fails on purpose")]
    assert instance(operator, started["id"])["activeActivityIds"] == ["work"]


def test_the_periodic_sync_picks_up_work_done_on_the_engine_by_others(operator, camunda7):
    started = start(operator, "async-service-task", {"topic": "others.topic"})
    server = camunda7.server
    headers = {"Authorization": f"Bearer {server.token()}"}
    fetched = httpx.post(f"{server.url}/engine-rest/external-task/fetchAndLock", headers=headers, timeout=10, json={
        "workerId": "bank-worker", "maxTasks": 1,
        "topics": [{"topicName": "others.topic", "lockDuration": 60000, "processInstanceId": started["id"]}]}).json()
    mine = [t for t in fetched if t["processInstanceId"] == started["id"]]
    assert mine, fetched
    done = httpx.post(f"{server.url}/engine-rest/external-task/{mine[0]['id']}/complete", headers=headers, timeout=10,
                      json={"workerId": "bank-worker", "variables": {"by": {"value": "bank", "type": "String"}}})
    assert done.status_code == 204
    assert instance(operator, started["id"])["activeActivityIds"] == ["work"]     # not seen yet
    camunda7_sync()
    body = instance(operator, started["id"])
    assert body["activeActivityIds"] == ["afterWork"]
    assert body["processVariables"]["by"]["value"] == "bank"
