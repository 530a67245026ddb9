"""Scenarios that need the Celery worker: a process moves its case through statuses with the
built-in handlers, and the case history shows every step with who did it; a buffered event
message reaches the process that starts waiting for it later."""

from datetime import timedelta

import pytest

from bpms.models import ProcessInstance, UserTask
from cases.models import Case, EventRoute
from datamodel.models import DataRecord
from tests.bpms.async_support import wait_until
from tests.datamodel.conftest import valid_loan

from .process_support import CASE_NUMBER, clients, deploy, start  # noqa: F401  (clients: fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def case_status():
    return Case.objects.get(case_number=CASE_NUMBER).status


def open_task(instance_id, key):
    return UserTask.objects.filter(process_instance_id=instance_id, task_definition_key=key,
                                   state=UserTask.CREATED).first()


def test_a_process_moves_its_case_and_the_history_shows_every_step(clients, celery_worker):
    case = clients["portal"].post("/v1/cases", {"caseNumber": CASE_NUMBER, "caseType": "loan-application"},
                                  format="json").json()
    deploy(clients["deployer"], "case_lifecycle.bpmn")
    instance = start(clients["portal"], "case-lifecycle", businessData=valid_loan()).json()

    wait_until(lambda: case_status() == "in-review")
    decide = wait_until(lambda: open_task(instance["id"], "decide"))
    response = clients["worker"].post(f"/v1/tasks/{decide.id}/complete", {"variables": {"decision": "approve"}},
                                      format="json")
    assert response.status_code == 200, response.json()
    wait_until(lambda: ProcessInstance.objects.get(id=instance["id"]).state == "completed")

    assert case_status() == "approved"
    record = DataRecord.objects.get(business_key=CASE_NUMBER)
    assert (record.revision, record.data["decision"]) == (2, "approve")
    history = clients["crm"].get(f"/v1/cases/{case['id']}/history", {"pageSize": 200}).json()["results"]
    steps = [(entry["kind"], entry["actor"]) for entry in history]
    expected = [
        ("case.created", "portal"),
        ("process.started", "portal"),
        ("businessdata.updated", "portal"),
        ("case.status-changed", "process:setInReview"),
        ("task.created", None),
        ("task.completed", "walt"),
        ("case.status-changed", "process:setApproved"),
        ("businessdata.updated", "process:recordDecision"),
        ("process.completed", None),
    ]
    position = 0
    for kind, actor in expected:
        while position < len(steps) and not (steps[position][0] == kind and actor in (None, steps[position][1])):
            position += 1
        assert position < len(steps), f"{kind} by {actor} missing in order from {steps}"
    status_changes = [entry for entry in history if entry["kind"] == "case.status-changed"]
    assert [(e["data"]["from"], e["data"]["to"]) for e in status_changes] == [("submitted", "in-review"),
                                                                              ("in-review", "approved")]
    assert [e["occurredAt"] for e in history] == sorted(e["occurredAt"] for e in history)


def test_a_buffered_event_message_reaches_the_process_that_waits_later(clients, celery_worker):
    EventRoute.objects.create(name="scoring", event_type="scoring.completed", action=EventRoute.CORRELATE_MESSAGE,
                              message_name="ScoringCompleted", message_time_to_live=timedelta(minutes=5))
    deploy(clients["deployer"], "await_scoring.bpmn")
    event = {"eventType": "scoring.completed", "source": "scoring", "eventId": "early-1",
             "occurredAt": "2026-11-27T18:00:00Z", "correlation": {"caseNumber": CASE_NUMBER},
             "payload": {"score": 640}}
    assert clients["scoring"].post("/v1/events", event, format="json").json()["outcome"] == "buffered"

    instance = start(clients["portal"], "await-scoring", businessData=valid_loan()).json()

    wait_until(lambda: open_task(instance["id"], "review"))
    variables = clients["portal"].get(f"/v1/process-instances/{instance['id']}").json()["processVariables"]
    assert variables["score"]["value"] == 640
