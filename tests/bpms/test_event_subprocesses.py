"""Event subprocesses started by a message, a timer or a condition, interrupting or not, in a
process and inside an embedded subprocess; a scope whose own flow ends stops waiting for them."""

import pytest

from bpms.models import EventSubscription, Job, ProcessInstance, UserTask

from .engine_support import complete_open, deploy, instance, start, task_keys

pytestmark = pytest.mark.django_db

LOAN = "loan-with-event-subprocesses"


@pytest.fixture
def client(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager", "operator", "event-publisher")
    deploy(client, "event_subprocesses.bpmn")
    return client


def send(client, name, business_key):
    response = client.post("/v1/messages", {"messageName": name, "businessKey": business_key}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_the_event_subprocesses_wait_as_subscriptions_and_a_timer_not_as_activities(client):
    started = start(client, LOAN, businessKey="LOAN-1")

    assert started["activeActivityIds"] == ["assess"]
    subscriptions = EventSubscription.objects.filter(process_instance_id=started["id"])
    assert sorted(subscriptions.values_list("event_name", "kind")) == [
        ("CancelRequested", "event-subprocess"), ("NoteAdded", "event-subprocess")]
    [deadline] = Job.objects.filter(process_instance_id=started["id"])
    assert (deadline.activity_id, deadline.kind) == ("deadlinePassed", "event-subprocess")


def test_an_interrupting_message_cancels_the_work_and_the_process_ends_with_the_subprocess(client):
    started = start(client, LOAN, businessKey="LOAN-2")

    [delivered] = send(client, "CancelRequested", "LOAN-2")

    assert delivered["activityId"] == "cancelReceived"
    assert task_keys(client, started["id"]) == ["confirmCancellation"]
    assert UserTask.objects.get(process_instance_id=started["id"], task_definition_key="assess").state == "cancelled"
    assert not EventSubscription.objects.filter(process_instance_id=started["id"]).exists()
    assert not Job.objects.filter(process_instance_id=started["id"]).exists()

    complete_open(client, started["id"], "confirmCancellation")
    assert instance(client, started["id"])["state"] == "completed"


def test_a_non_interrupting_message_starts_one_subprocess_per_message_and_the_process_waits_for_them(client):
    started = start(client, LOAN, businessKey="LOAN-3")

    send(client, "NoteAdded", "LOAN-3")
    send(client, "NoteAdded", "LOAN-3")
    assert task_keys(client, started["id"]) == ["assess", "readNote", "readNote"]

    complete_open(client, started["id"], "assess")
    assert instance(client, started["id"])["state"] == "active"
    complete_open(client, started["id"], "readNote")
    assert instance(client, started["id"])["state"] == "completed"


def test_an_interrupting_timer_fires_through_its_job(client):
    started = start(client, LOAN, businessKey="LOAN-4")
    [deadline] = Job.objects.filter(process_instance_id=started["id"])

    assert client.post(f"/v1/jobs/{deadline.id}/execute").status_code == 204

    assert task_keys(client, started["id"]) == ["rejectLate"]


def test_a_non_interrupting_conditional_start_fires_when_its_variable_changes(client):
    started = start(client, LOAN, {"risk": "low"}, businessKey="LOAN-5")

    response = client.patch(f"/v1/process-instances/{started['id']}/variables",
                            {"modifications": {"risk": "high"}}, format="json")

    assert response.status_code == 200, response.json()
    assert task_keys(client, started["id"]) == ["assess", "reviewRisk"]


def test_when_the_own_flow_ends_the_waiting_event_subprocesses_go_and_the_process_completes(client):
    started = start(client, LOAN, businessKey="LOAN-6")

    complete_open(client, started["id"], "assess")

    assert ProcessInstance.objects.get(id=started["id"]).state == "completed"
    assert not EventSubscription.objects.filter(process_instance_id=started["id"]).exists()
    assert not Job.objects.filter(process_instance_id=started["id"]).exists()


def test_an_event_subprocess_of_an_embedded_subprocess_interrupts_only_that_subprocess(client):
    started = start(client, "scoped-event-subprocess", businessKey="STAGE-1")
    assert task_keys(client, started["id"]) == ["collect"]

    send(client, "CancelRequested", "STAGE-1")
    assert task_keys(client, started["id"]) == ["noteCancellation"]

    complete_open(client, started["id"], "noteCancellation")
    assert task_keys(client, started["id"]) == ["archive"]
    complete_open(client, started["id"], "archive")
    assert instance(client, started["id"])["state"] == "completed"
