"""Conditional events (Camunda 7 semantics): evaluated when entered and, while they wait, on every
change of a variable (narrowed by camunda:variableName / variableEvents); a condition naming a
variable that does not exist yet does not hold; a process's conditional start event is refused."""

import pytest

from .engine_support import complete, deploy, instance, set_variables, start, task_keys, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager", "operator")
    deploy(client, "conditional_events.bpmn")
    return client


def test_an_interrupting_boundary_fires_when_its_variable_changes_to_make_it_true(client):
    started = start(client, "conditional-boundary", {"amount": 10})
    assert task_keys(client, started["id"]) == ["review"]

    set_variables(client, started["id"], amount=500)
    assert task_keys(client, started["id"]) == ["review"]

    set_variables(client, started["id"], amount=5000)
    assert task_keys(client, started["id"]) == ["seniorReview"]


def test_a_condition_true_when_the_activity_is_entered_fires_at_once(client):
    started = start(client, "conditional-boundary", {"amount": 5000})
    assert [t["taskDefinitionKey"] for t in started["openTasks"]] == ["seniorReview"]


def test_variable_name_narrows_which_changes_wake_the_event(client):
    started = start(client, "conditional-boundary", {"amount": 10})
    # tooLarge listens to `amount` only: a change of another variable does not re-evaluate it, even
    # though the condition would hold by then (the value came with the first change).
    set_variables(client, started["id"], flagged=False)
    assert task_keys(client, started["id"]) == ["review"]


def test_a_non_interrupting_boundary_fires_on_each_change_while_its_condition_holds(client):
    started = start(client, "conditional-boundary", {"amount": 10})

    set_variables(client, started["id"], flagged=True)
    assert task_keys(client, started["id"]) == ["followUp", "review"]

    set_variables(client, started["id"], note="called the customer")   # any variable: no variableName
    assert task_keys(client, started["id"]) == ["followUp", "followUp", "review"]

    set_variables(client, started["id"], flagged=False)
    assert task_keys(client, started["id"]) == ["followUp", "followUp", "review"]


def test_an_intermediate_catch_waits_until_a_completion_on_another_branch_makes_it_true(client):
    started = start(client, "conditional-wait", {"documents": 1})
    assert instance(client, started["id"])["activeActivityIds"] == ["collect", "documentsIn"]

    [collect] = [t for t in started["openTasks"] if t["taskDefinitionKey"] == "collect"]
    assert complete(client, collect["id"], {"documents": 3}).status_code == 200

    body = instance(client, started["id"])
    assert body["activeActivityIds"] == ["assess"]
    assert body["processVariables"]["documents"]["value"] == 3


def test_a_condition_on_a_variable_that_does_not_exist_yet_waits_for_it(client):
    started = start(client, "conditional-wait")
    assert instance(client, started["id"])["activeActivityIds"] == ["collect", "documentsIn"]

    set_variables(client, started["id"], documents=4)
    assert "assess" in task_keys(client, started["id"])


CONDITIONAL_START = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="conditional-start" isExecutable="true">
    <bpmn:startEvent id="whenReady"><bpmn:outgoing>f</bpmn:outgoing>
      <bpmn:conditionalEventDefinition><bpmn:condition>${ready}</bpmn:condition></bpmn:conditionalEventDefinition>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="f" sourceRef="whenReady" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>f</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""


def test_a_process_conditional_start_event_is_refused_at_deploy_time(client):
    response = upload(client, extra={"start.bpmn": CONDITIONAL_START.encode()})

    assert response.status_code == 422, response.json()
    [error] = response.json()["errors"]
    assert error["elementId"] == "whenReady" and "conditional start events of processes" in error["detail"]


DELETE_WATCH = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="hold-released" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="released" />
    <bpmn:intermediateCatchEvent id="released"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:conditionalEventDefinition camunda:variableName="hold" camunda:variableEvents="delete">
        <bpmn:condition>${!execution.hasVariable('hold')}</bpmn:condition></bpmn:conditionalEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="released" targetRef="pay" />
    <bpmn:userTask id="pay"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="pay" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""


def test_variable_events_delete_wakes_the_event_only_when_the_variable_goes(client):
    assert upload(client, extra={"hold.bpmn": DELETE_WATCH.encode()}).status_code == 201
    started = start(client, "hold-released", {"hold": "compliance"})

    set_variables(client, started["id"], hold="still compliance")
    assert instance(client, started["id"])["activeActivityIds"] == ["released"]

    response = client.patch(f"/v1/process-instances/{started['id']}/variables", {"deletions": ["hold"]}, format="json")
    assert response.status_code == 200, response.json()
    assert task_keys(client, started["id"]) == ["pay"]
