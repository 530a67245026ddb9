"""Signals thrown by a model (intermediate throw or end event) reach every other instance waiting
for them and start the processes with that signal start event, carrying the event's camunda:in
variables, in the thrower's operation; the thrower's timeline says whom they reached."""

import pytest

from bpms.models import ProcessInstance, ProcessVariable
from eximee.models import TimelineEvent

from .engine_support import complete, deploy, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, "signal_throw.bpmn")
    return client


def variables(instance_id):
    return dict(ProcessVariable.objects.filter(process_instance_id=instance_id).values_list("name", "value"))


def test_a_thrown_signal_reaches_waiting_instances_and_starts_signal_start_processes(client):
    listeners = [start(client, "signal-listener") for _ in range(2)]
    sender = start(client, "signal-sender", {"reason": "holiday", "secret": "x"})

    assert complete(client, sender["openTasks"][0]["id"]).status_code == 200

    for listener in listeners:
        row = ProcessInstance.objects.get(id=listener["id"])
        assert row.active_activity_ids == ["settle"]
        assert variables(listener["id"]) == {"closeReason": "holiday", "explained": True}
    [report] = ProcessInstance.objects.filter(process_definition_key="signal-report")
    assert report.active_activity_ids == ["report"]
    assert variables(report.id) == {"closeReason": "holiday", "explained": True}

    assert ProcessInstance.objects.get(id=sender["id"]).state == "completed"
    [thrown] = TimelineEvent.objects.filter(process_instance_id=sender["id"], kind="signal.thrown")
    assert thrown.data["signalName"] == "MarketClosed" and thrown.data["failed"] == []
    assert {r["processInstanceId"] for r in thrown.data["reached"]} == {l["id"] for l in listeners} | {str(report.id)}


def test_a_signal_nobody_waits_for_still_starts_nothing_twice(client):
    sender = start(client, "signal-sender", {"reason": None})
    assert complete(client, sender["openTasks"][0]["id"]).status_code == 200

    assert ProcessInstance.objects.filter(process_definition_key="signal-report").count() == 1
    assert variables(ProcessInstance.objects.get(process_definition_key="signal-report").id) == {"closeReason": None, "explained": False}


def test_a_signal_end_event_starts_an_event_subprocess_elsewhere_and_the_work_goes_on(client):
    desk = start(client, "signal-trading-desk")

    start(client, "signal-end-sender")

    row = ProcessInstance.objects.get(id=desk["id"])
    assert sorted(row.active_activity_ids) == ["hedge", "overnight", "trade"]
