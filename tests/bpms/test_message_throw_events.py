"""Message throw and end events with camunda:type="external" send through an external task of their
topic, as in Camunda: the path goes on (or the instance ends) when a worker completes it. One
implemented with Java (camunda:class, delegateExpression) or an expression is refused."""

import pytest

from bpms.models import ActivityInstance, ExternalTask, ProcessInstance

from .async_support import deploy, start, unique
from .engine_support import upload

pytestmark = pytest.mark.django_db

FETCH = "/v1/service-tasks/fetch-and-lock"


def fetch_and_complete(worker, topic, variables=None):
    response = worker.post(FETCH, {"workerId": "mailer", "maxTasks": 5,
                                   "topics": [{"topicName": topic, "lockDuration": 30_000}]}, format="json")
    assert response.status_code == 200, response.content
    [task] = response.json()
    response = worker.post(f"/v1/service-tasks/{task['id']}/complete",
                           {"workerId": "mailer", "variables": variables or {}}, format="json")
    assert response.status_code == 204, response.content
    return task


def test_throw_and_end_events_wait_for_their_workers(api_client_for):
    deploy("message_throw.bpmn")
    offer, contract = unique("offers"), unique("contracts")
    instance = start("message-throw", variables={"offerTopic": offer, "contractTopic": contract})
    worker, clerk = api_client_for("service-worker"), api_client_for("task-manager")

    [waiting] = ExternalTask.objects.filter(process_instance=instance)
    assert (waiting.topic, waiting.activity_id, waiting.priority) == (offer, "sendOffer", 7)

    fetch_and_complete(worker, offer, {"offerId": "OF-1"})
    [sign] = [t for t in clerk.get("/v1/tasks", {"processInstanceId": str(instance.id)}).json()["results"]]
    assert sign["taskDefinitionKey"] == "sign"
    assert clerk.post(f"/v1/tasks/{sign['id']}/complete", {"variables": {}}, format="json").status_code == 200

    assert ProcessInstance.objects.get(id=instance.id).state == "active"
    fetch_and_complete(worker, contract)
    assert ProcessInstance.objects.get(id=instance.id).state == "completed"
    drawn = dict(ActivityInstance.objects.filter(process_instance=instance).values_list("activity_id", "activity_type"))
    assert drawn["sendOffer"] == "intermediateThrowEvent" and drawn["sendContract"] == "endEvent"


JAVA_MESSAGE_END = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="java-message" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f" sourceRef="start" targetRef="notify" />
    <bpmn:endEvent id="notify"><bpmn:incoming>f</bpmn:incoming>
      <bpmn:messageEventDefinition camunda:class="com.bank.Notify" /></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""


def test_a_message_event_implemented_in_java_is_refused(api_client_for):
    response = upload(api_client_for("deployer"), extra={"java.bpmn": JAVA_MESSAGE_END.encode()})

    assert response.status_code == 422, response.json()
    [error] = response.json()["errors"]
    assert error["elementId"] == "notify" and "external task" in error["detail"]
