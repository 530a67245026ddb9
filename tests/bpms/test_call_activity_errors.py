"""A BPMN error nobody in a called instance catches goes to its call activity, as in Camunda: an
error boundary there catches it (with its code); the rest of the called instance ends. A call
activity left early (an interrupting timer boundary) cancels its called instance."""

import pytest

from bpms.models import Job, ProcessInstance, UserTask

from .engine_support import complete_open, deploy, instance, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, "call_activity_errors.bpmn")
    return client


def scoring_of(application):
    return ProcessInstance.objects.get(parent_id=application["id"])


def test_an_error_end_event_in_the_called_process_is_caught_at_the_call_activity(client):
    application = start(client, "credit-application")
    scoring = scoring_of(application)

    assert complete_open(client, scoring.id, "assess", {"score": 20}) == 1

    body = instance(client, application["id"])
    assert body["activeActivityIds"] == ["informRejection"]
    assert body["processVariables"]["rejectionCode"]["value"] == "REJECTED"
    scoring.refresh_from_db()
    assert scoring.state == "completed"
    assert UserTask.objects.get(process_instance=scoring, task_definition_key="checkFraud").state == "cancelled"


def test_a_called_process_that_ends_normally_continues_the_caller(client):
    application = start(client, "credit-application")
    scoring = scoring_of(application)

    assert complete_open(client, scoring.id, "assess", {"score": 80}) == 1
    assert "offer" not in instance(client, application["id"])["activeActivityIds"]
    assert complete_open(client, scoring.id, "checkFraud") == 1

    assert instance(client, application["id"])["activeActivityIds"] == ["offer"]


def test_an_interrupting_timer_on_the_call_activity_cancels_the_called_instance(api_client_for, client):
    application = start(client, "credit-application")
    scoring = scoring_of(application)
    [timer] = Job.objects.filter(process_instance_id=application["id"], activity_id="scoringTooSlow")

    assert api_client_for("operator").post(f"/v1/jobs/{timer.id}/execute").status_code == 204

    assert instance(client, application["id"])["activeActivityIds"] == ["chase"]
    scoring.refresh_from_db()
    assert scoring.state == "cancelled"
    assert not UserTask.objects.filter(process_instance=scoring, state=UserTask.CREATED).exists()
