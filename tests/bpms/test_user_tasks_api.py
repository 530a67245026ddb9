"""A Camunda-style loan application through the REST API: deploy, start with variables and
business data, the user task with candidate group, due date, priority expression and form, claim,
form validation, completion through an exclusive gateway to an external service task."""

import pytest

from bpms.engine import get_engine
from bpms.models import ExternalTask

from .engine_support import complete, deploy, instance, on_locked, open_tasks, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(api_client_for):
    return {
        "deployer": api_client_for("deployer"),
        "starter": api_client_for("process-starter", username="anna"),
        "worker": api_client_for("task-worker", username="walt"),
        "other_worker": api_client_for("case-reader", "task-worker", username="olga"),
        "outsider": api_client_for("case-reader", username="xavier"),
    }


@pytest.fixture
def started(clients):
    deploy(clients["deployer"], "loan_application.bpmn")
    return start(clients["starter"], "loan-application", {"amount": {"value": 25000, "type": "Long"}},
                 businessKey="LOAN-1", businessData={"applicant": {"name": "Anna"}})


def test_start_returns_the_instance_with_its_open_user_task(started):
    assert started["state"] == "active"
    assert started["activeActivityIds"] == ["review"]
    assert started["processVariables"]["amount"] == {"value": 25000, "type": "Integer"}
    assert started["processVariables"]["applicant"]["value"] == "anna"        # camunda:initiator
    assert started["businessData"] == {"applicant": {"name": "Anna"}}
    [task] = started["openTasks"]
    assert task["taskDefinitionKey"] == "review"
    assert task["candidateGroups"] == ["task-worker"]
    assert task["priority"] == 80                                               # ${amount > 10000 ? 80 : 50}
    assert task["due"] is not None


def test_task_worker_sees_candidate_group_tasks_and_others_do_not(clients, started):
    assert [t["taskDefinitionKey"] for t in open_tasks(clients["worker"])] == ["review"]
    assert clients["outsider"].get("/v1/tasks").status_code == 403
    assert open_tasks(clients["worker"], candidateGroup="other-group") == []


def test_task_detail_has_form_variables_and_business_data(clients, started):
    task_id = started["openTasks"][0]["id"]
    body = clients["worker"].get(f"/v1/tasks/{task_id}").json()
    assert [f["id"] for f in body["form"]["fields"]] == ["decision", "comment"]
    assert body["form"]["key"] == "embedded:app:forms/review.html"
    assert body["processVariables"]["amount"]["value"] == 25000
    assert body["businessData"] == {"applicant": {"name": "Anna"}}


def test_completion_is_validated_against_the_form(clients, started):
    task_id = started["openTasks"][0]["id"]
    response = complete(clients["worker"], task_id, {"decision": "maybe", "comment": "x" * 201})
    assert response.status_code == 422
    assert {e["pointer"] for e in response.json()["errors"]} == {"/variables/decision", "/variables/comment"}
    response = complete(clients["worker"], task_id, {})
    assert response.json()["errors"] == [{"pointer": "/variables/decision", "detail": "is required"}]


def test_claimed_task_is_held_and_a_second_claim_conflicts(clients, started):
    task_id = started["openTasks"][0]["id"]
    assert clients["worker"].post(f"/v1/tasks/{task_id}/claim").json()["assignee"] == "walt"
    response = clients["other_worker"].post(f"/v1/tasks/{task_id}/claim")
    assert response.status_code == 409
    assert "walt" in response.json()["detail"]


def test_approval_runs_to_the_service_task_and_its_completion_ends_the_instance(clients, started):
    task_id = started["openTasks"][0]["id"]
    response = complete(clients["worker"], task_id, {"decision": "approve"})
    assert response.status_code == 200, response.json()
    assert response.json()["activeActivityIds"] == ["setApproved"]
    body = instance(clients["starter"], started["id"])
    assert body["openTasks"] == []
    # the service task's input parameter is local to it: its worker gets it, the process does not see it...
    assert "status" not in body["processVariables"]

    service_task = ExternalTask.objects.get(process_instance_id=started["id"])
    assert service_task.topic == "case.set-status"
    assert service_task.local_variables == {"status": "approved"}
    on_locked(started["id"], get_engine().complete_service_task, service_task.engine_task_id,
              variables={"caseStatus": "approved"}, actor="worker")
    body = instance(clients["starter"], started["id"])
    assert body["state"] == "completed"
    assert body["processVariables"]["caseStatus"]["value"] == "approved"
    assert "status" not in body["processVariables"]       # ...nor after it is left


def test_rejection_takes_the_default_flow(clients, started):
    complete(clients["worker"], started["openTasks"][0]["id"], {"decision": "reject"})
    assert instance(clients["starter"], started["id"])["state"] == "completed"


def test_completing_a_completed_task_conflicts(clients, started):
    task_id = started["openTasks"][0]["id"]
    complete(clients["worker"], task_id, {"decision": "reject"})
    response = complete(clients["worker"], task_id, {"decision": "reject"})
    assert response.status_code == 409
    assert "completed" in response.json()["detail"]

