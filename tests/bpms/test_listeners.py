"""Listeners (expressions and JUEL scripts) run where Camunda runs them: an execution listener's
start after the input parameters when the element is entered (a catch event before it waits), its
end when it completes; a user task's create listener after the start listeners (it may set the
assignee), its complete listener before the end listeners. What cannot run here is refused at
deploy time."""

import pytest

from bpms.models import ProcessInstance

from .engine_support import complete, deploy, start, upload, variable_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager", "event-publisher")
    deploy(client, "listeners.bpmn")
    return client


def test_listeners_keep_the_status_through_the_process(client):
    started = start(client, "listeners", {"applicant": "ann"}, businessKey="C-1")
    assert variable_values(client, started["id"]) == {"applicant": "ann", "status": "IN_REVIEW",
                                             "assignedReviewer": "ann-reviewer", "createdTask": "review"}

    [review] = started["openTasks"]
    assert review["assignee"] == "ann-reviewer"
    assert complete(client, review["id"]).status_code == 200
    assert variable_values(client, started["id"])["status"] == "AWAITING_SIGNATURE"
    assert variable_values(client, started["id"])["completedBy"] == "ann-reviewer"

    response = client.post("/v1/messages", {"messageName": "ContractSigned", "businessKey": "C-1"}, format="json")
    assert response.status_code == 200, response.json()
    assert ProcessInstance.objects.get(id=started["id"]).state == "completed"
    assert variable_values(client, started["id"]) == {"applicant": "ann", "status": "DONE", "assignedReviewer": "ann-reviewer",
                                             "createdTask": "review", "completedBy": "ann-reviewer",
                                             "signedAfter": "AWAITING_SIGNATURE"}


def test_a_failing_listener_fails_the_operation_whole(client):
    response = client.post("/v1/process-instances", {"processDefinitionKey": "listeners"}, format="json")

    assert response.status_code == 422, response.json()
    assert response.json()["elementId"] == "review"
    assert not ProcessInstance.objects.exists()


def _model(listener, *, on_process=False, multi_instance=False):
    loop = '<bpmn:multiInstanceLoopCharacteristics camunda:collection="${items}" camunda:elementVariable="item" />' \
        if multi_instance else ""
    process_extensions = f"<bpmn:extensionElements>{listener}</bpmn:extensionElements>" if on_process else ""
    task_extensions = "" if on_process else f"<bpmn:extensionElements>{listener}</bpmn:extensionElements>"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="listening" isExecutable="true">{process_extensions}
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:userTask id="work">{task_extensions}<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>{loop}</bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>""".encode()


@pytest.mark.parametrize("model, element_id, detail", [
    (_model('<camunda:executionListener event="start" class="com.bank.Audit" />'), "work", "Java execution listeners"),
    (_model('<camunda:executionListener event="start" delegateExpression="${audit}" />'), "work", "Java execution listeners"),
    (_model('<camunda:executionListener event="end"><camunda:script scriptFormat="groovy">x</camunda:script>'
            '</camunda:executionListener>'), "work", "'groovy'"),
    (_model('<camunda:executionListener event="take" expression="${true}" />'), "work", "event 'take'"),
    (_model('<camunda:executionListener event="start" expression="${true}" />', on_process=True), "listening",
     "on a process"),
    (_model('<camunda:executionListener event="start" expression="${true}" />', multi_instance=True), "work",
     "multi-instance"),
    (_model('<camunda:taskListener event="assignment" expression="${true}" />'), "work",
     "task listener event 'assignment'"),
    (_model('<camunda:taskListener event="create" class="com.bank.Notify" />'), "work", "Java task listeners"),
])
def test_listeners_that_cannot_run_here_are_refused(api_client_for, model, element_id, detail):
    response = upload(api_client_for("deployer"), extra={"listening.bpmn": model})

    assert response.status_code == 422, response.json()
    [error] = response.json()["errors"]
    assert error["elementId"] == element_id and detail in error["detail"]
