"""Escalations thrown in a subprocess: caught by a non-interrupting catch-all boundary (which gets
the code in camunda:escalationCodeVariable) and by an interrupting boundary for one code."""

import pytest

from .engine_support import complete, deploy, instance, start, task_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, "escalation.bpmn")
    return client


def test_an_intermediate_escalation_notifies_and_the_work_goes_on(client):
    started = start(client, "escalation", {"overdue": True, "suspicious": False})

    body = instance(client, started["id"])
    assert {"handle", "notify", "work"} <= set(body["activeActivityIds"])
    assert body["processVariables"]["escalationCode"]["value"] == "LATE"
    # still armed for the next escalation while the subprocess runs
    assert {"anyEscalation", "fraudEscalation"} <= set(body["activeActivityIds"])


def test_an_escalation_end_event_interrupts_through_the_boundary_for_its_code(client):
    started = start(client, "escalation", {"overdue": False, "suspicious": True})

    body = instance(client, started["id"])
    assert body["activeActivityIds"] == ["investigate", "notify"]
    assert task_keys(client, started["id"]) == ["investigate", "notify"]
    assert body["processVariables"]["fraudCode"]["value"] == "FRAUD"
    assert body["processVariables"]["escalationCode"]["value"] == "FRAUD"


def test_without_escalation_the_subprocess_just_ends(client):
    started = start(client, "escalation", {"overdue": False, "suspicious": False})
    [work] = started["openTasks"]
    assert complete(client, work["id"]).status_code == 200
    assert instance(client, started["id"])["state"] == "completed"
