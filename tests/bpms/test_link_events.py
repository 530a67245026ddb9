"""Link events: a link throw event continues at the catch event of the same name in its scope."""

import pytest

from .engine_support import complete, deploy, instance, start, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_client_for):
    return api_client_for("process-starter", "deployer", "task-manager", "operator")


def test_the_path_continues_at_the_link_catch_event(client):
    deploy(client, "link_events.bpmn")
    started = start(client, "link-events")
    [check] = started["openTasks"]

    assert complete(client, check["id"]).status_code == 200

    body = instance(client, started["id"])
    assert body["state"] == "active" and body["activeActivityIds"] == ["archive"]
    history = client.get("/v1/history/activity-instances", {"processInstanceId": started["id"]}).json()["results"]
    assert {"goToArchive", "archiveHere"} <= {row["activityId"] for row in history}


def _links(*events):
    body = "".join(events)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="bad-links" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f" sourceRef="start" targetRef="jump" />
    <bpmn:intermediateThrowEvent id="jump"><bpmn:incoming>f</bpmn:incoming><bpmn:linkEventDefinition name="A" /></bpmn:intermediateThrowEvent>
    {body}
  </bpmn:process>
</bpmn:definitions>""".encode()


def _catch(element_id, name):
    return (f'<bpmn:intermediateCatchEvent id="{element_id}"><bpmn:outgoing>{element_id}Out</bpmn:outgoing>'
            f'<bpmn:linkEventDefinition name="{name}" /></bpmn:intermediateCatchEvent>'
            f'<bpmn:sequenceFlow id="{element_id}Out" sourceRef="{element_id}" targetRef="{element_id}End" />'
            f'<bpmn:endEvent id="{element_id}End"><bpmn:incoming>{element_id}Out</bpmn:incoming></bpmn:endEvent>')


@pytest.mark.parametrize("events, element_id, detail", [
    ([_catch("landB", "B")], "jump", "no link catch event named 'A'"),
    ([_catch("landA", "A"), _catch("landA2", "A")], "landA2", "a second link catch event named 'A'"),
])
def test_a_link_without_exactly_one_catch_event_is_refused(client, events, element_id, detail):
    response = upload(client, extra={"links.bpmn": _links(*events)})

    assert response.status_code == 422, response.json()
    [error] = response.json()["errors"]
    assert error["elementId"] == element_id and detail in error["detail"]
