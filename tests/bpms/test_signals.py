"""Signals broadcast to every waiting catch event and start the processes with a signal start."""

import pytest

from bpms.models import ProcessInstance, UserTask

from .async_support import deploy, start

pytestmark = pytest.mark.django_db


def test_a_signal_reaches_every_waiting_instance_and_starts_signal_start_processes(api_client_for):
    deploy("async_signals.bpmn")
    waiting = [start("async-signal-catch") for _ in range(3)]

    response = api_client_for("event-publisher").post("/v1/signals", {"signalName": "StopAll",
                                                                      "variables": {"reason": "maintenance"}},
                                                      format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["failed"] == []
    executions = {r["processInstanceId"] for r in body["triggered"] if r["resultType"] == "Execution"}
    assert executions == {str(instance.id) for instance in waiting}
    assert all(ProcessInstance.objects.get(id=i.id).state == "completed" for i in waiting)
    [started] = [r for r in body["triggered"] if r["resultType"] == "ProcessDefinition"]
    assert UserTask.objects.filter(process_instance_id=started["processInstanceId"],
                                   task_definition_key="report").exists()


def test_a_signal_nobody_waits_for_reaches_nobody(api_client_for):
    client = api_client_for("event-publisher")
    assert client.post("/v1/signals", {"signalName": "Nothing"}, format="json").json() == {"triggered": [],
                                                                                          "failed": []}
    assert client.post("/v1/signals", {}, format="json").status_code == 400
