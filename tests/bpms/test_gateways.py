"""Parallel split/join, inclusive split with a condition, a condition-less flow (Camunda: always
taken) and a default flow, inclusive join; and the event-based gateway's engine side."""

import pytest

from bpms.engine import get_engine

from .engine_support import complete, deploy, instance, on_locked, open_tasks, start, wait_states

pytestmark = pytest.mark.django_db


@pytest.fixture
def walt(api_client_for):
    return api_client_for("task-worker", username="walt")


@pytest.fixture
def starter(api_client_for):
    client = api_client_for("process-starter", "deployer")
    return client


def _complete_all(client, walt, instance_id, *keys):
    for task in open_tasks(walt, processInstanceId=instance_id):
        if task["taskDefinitionKey"] in keys:
            assert complete(walt, task["id"]).status_code == 200


def test_parallel_branches_join_then_inclusive_takes_every_true_flow(starter, walt):
    deploy(starter, "gateways.bpmn")
    started = start(starter, "gateways", {"amount": 5000, "reviewer": "rita"})
    assert started["activeActivityIds"] == ["checkCredit", "checkIdentity"]
    credit = next(t for t in started["openTasks"] if t["taskDefinitionKey"] == "checkCredit")
    assert credit["candidateUsers"] == ["walt", "rita"]
    _complete_all(starter, walt, started["id"], "checkCredit")
    assert instance(starter, started["id"])["activeActivityIds"] == ["checkIdentity", "join"]
    _complete_all(starter, walt, started["id"], "checkIdentity")
    assert instance(starter, started["id"])["activeActivityIds"] == ["archive", "largeLoanReview"]
    _complete_all(starter, walt, started["id"], "archive")
    assert "merge" in instance(starter, started["id"])["activeActivityIds"]
    _complete_all(starter, walt, started["id"], "largeLoanReview")
    assert instance(starter, started["id"])["state"] == "completed"


def test_inclusive_gateway_takes_the_default_flow_only_when_no_condition_holds(starter, walt):
    deploy(starter, "gateways.bpmn")
    started = start(starter, "gateways", {"amount": 10, "reviewer": "rita"})
    _complete_all(starter, walt, started["id"], "checkCredit", "checkIdentity")
    # the condition-less flow counts as true, so the default flow is not taken
    assert instance(starter, started["id"])["activeActivityIds"] == ["archive"]


def test_event_based_gateway_reports_both_waits_and_the_message_wins(starter, walt):
    deploy(starter, "event_gateway.bpmn")
    started = start(starter, "event-gateway")
    waits = wait_states(started["id"])
    [message], [timer] = waits.messages, waits.timers
    assert (message.message_name, message.kind, message.activity_id) == ("approval", "event-gateway", "approvalReceived")
    assert (timer.kind, timer.activity_id) == ("event-gateway", "tooLate")
    assert 290 <= (timer.due_at - __import__("django.utils.timezone").utils.timezone.now()).total_seconds() <= 300
    on_locked(started["id"], get_engine().deliver_message, message.engine_task_id, message_name="approval",
              variables={"approvedBy": "boss"}, actor="test")
    body = instance(starter, started["id"])
    assert body["activeActivityIds"] == ["proceed"]
    assert body["processVariables"]["approvedBy"]["value"] == "boss"
    assert wait_states(started["id"]).timers == ()


def test_event_based_gateway_timer_fired_by_the_engine_operation(starter, walt):
    deploy(starter, "event_gateway.bpmn")
    started = start(starter, "event-gateway")
    [timer] = wait_states(started["id"]).timers
    on_locked(started["id"], get_engine().fire_timer, timer.engine_task_id, actor="test")
    assert instance(starter, started["id"])["activeActivityIds"] == ["chase"]
    assert wait_states(started["id"]).messages == ()


def test_several_flows_out_of_a_task_fork_in_parallel(starter, walt):
    deploy(starter, "implicit_split.bpmn")
    started = start(starter, "implicit-split")
    _complete_all(starter, walt, started["id"], "register")
    assert instance(starter, started["id"])["activeActivityIds"] == ["archive", "notify"]
    _complete_all(starter, walt, started["id"], "archive", "notify")
    assert instance(starter, started["id"])["state"] == "completed"
