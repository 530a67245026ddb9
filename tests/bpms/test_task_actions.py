"""Task actions and lists: who may assign, delegate and resolve, unclaim, PATCH, and the list's
filters, sorting and includeVariables."""

import pytest

from .engine_support import complete, deploy, open_tasks, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(api_client_for):
    starter = api_client_for("process-starter", "deployer")
    deploy(starter, "loan_application.bpmn")
    big = start(starter, "loan-application", {"amount": 20000}, businessKey="BIG")
    small = start(starter, "loan-application", {"amount": 10}, businessKey="SMALL")
    return {
        "walt": api_client_for("task-worker", username="walt"),
        "tina": api_client_for("task-worker", username="tina"),
        "manager": api_client_for("task-manager", username="mona"),
        "big": big["openTasks"][0]["id"], "small": small["openTasks"][0]["id"],
    }


def _keys(tasks):
    return [t["businessKey"] for t in tasks]


def test_only_a_manager_assigns_others_and_the_assignee_then_sees_it(setup):
    walt, manager, task_id = setup["walt"], setup["manager"], setup["big"]
    assert walt.post(f"/v1/tasks/{task_id}/assignee", {"userId": "tina"}, format="json").status_code == 403
    assert manager.post(f"/v1/tasks/{task_id}/assignee", {"userId": "tina"}, format="json").json()["assignee"] == "tina"
    assert walt.post(f"/v1/tasks/{task_id}/unclaim").status_code == 403
    assert _keys(open_tasks(setup["tina"], assignee="tina")) == ["BIG"]
    assert setup["tina"].post(f"/v1/tasks/{task_id}/unclaim").json()["assignee"] is None


def test_delegation_goes_back_to_the_owner_on_resolve(setup):
    walt, task_id = setup["walt"], setup["big"]
    walt.post(f"/v1/tasks/{task_id}/claim")
    body = walt.post(f"/v1/tasks/{task_id}/delegate", {"userId": "tina"}, format="json").json()
    assert (body["assignee"], body["owner"], body["delegationState"]) == ("tina", "walt", "pending")
    body = setup["tina"].post(f"/v1/tasks/{task_id}/resolve", {"variables": {"checked": True}}, format="json").json()
    assert (body["assignee"], body["delegationState"]) == ("walt", "resolved")
    assert body["processVariables"]["checked"]["value"] is True
    assert complete(walt, task_id, {"decision": "reject"}).status_code == 200


def test_patch_changes_due_priority_and_name(setup):
    task_id = setup["big"]
    response = setup["manager"].patch(f"/v1/tasks/{task_id}", {"priority": 99, "name": "Urgent review",
                                                               "due": "2027-01-01T10:00:00+00:00"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["priority"], body["name"], body["due"]) == (99, "Urgent review", "2027-01-01T10:00:00.000+00:00")
    assert setup["manager"].patch(f"/v1/tasks/{task_id}", {"priority": "high"}, format="json").status_code == 400


def test_list_filters_sorting_and_inline_variables(setup):
    walt = setup["walt"]
    walt.post(f"/v1/tasks/{setup['small']}/claim")
    assert _keys(open_tasks(walt, unassigned="true")) == ["BIG"]
    assert _keys(open_tasks(walt, involvingMe="true", sortBy="priority", sortOrder="desc")) == ["BIG", "SMALL"]
    assert _keys(open_tasks(walt, sortBy="priority", sortOrder="asc")) == ["SMALL", "BIG"]
    assert _keys(open_tasks(walt, variables="amount_gt_100")) == ["BIG"]
    assert _keys(open_tasks(walt, dueBefore="2000-01-01T00:00:00+00:00")) == []
    tasks = open_tasks(walt, includeVariables="true", businessKey="SMALL")
    assert tasks[0]["processVariables"]["amount"] == 10
    assert walt.get("/v1/tasks", {"dueBefore": "tomorrow"}).status_code == 400
    assert walt.get("/v1/tasks", {"sortBy": "colour"}).status_code == 400


def test_a_worker_cannot_see_or_touch_tasks_they_are_no_candidate_for(api_client_for):
    starter = api_client_for("process-starter", "deployer")
    deploy(starter, "gateways.bpmn")
    task_id = start(starter, "gateways", {"amount": 1, "reviewer": "rita"})["openTasks"][0]["id"]
    ulla = api_client_for("task-worker", username="ulla")
    assert open_tasks(ulla) == []
    assert ulla.get(f"/v1/tasks/{task_id}").status_code == 404
    assert ulla.post(f"/v1/tasks/{task_id}/claim").status_code == 404
    assert len(open_tasks(api_client_for("task-worker", username="rita"))) == 1
    assert len(open_tasks(api_client_for("task-manager", username="sam"))) == 2


def test_idempotency_key_replays_the_start(api_client_for):
    client = api_client_for("process-starter", "deployer")
    deploy(client, "loan_application.bpmn")
    body = {"processDefinitionKey": "loan-application", "processVariables": {"amount": 1}}
    first = client.post("/v1/process-instances", body, format="json", HTTP_IDEMPOTENCY_KEY="start-1")
    second = client.post("/v1/process-instances", body, format="json", HTTP_IDEMPOTENCY_KEY="start-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]


def test_candidate_groups_and_follow_up_from_expressions(api_client_for):
    from .engine_support import MODELS, upload
    client = api_client_for("process-starter", "deployer", "task-manager")
    model = (MODELS / "review_loop.bpmn").read_bytes().replace(
        b'camunda:assignee="reviewer"',
        b'camunda:candidateGroups="${groups}" camunda:followUpDate="${followUp}" camunda:dueDate="2027-03-01"')
    assert upload(client, extra={"review.bpmn": model}).status_code == 201
    [task] = start(client, "review-loop", {"groups": ["credit", "risk"], "followUp": "2027-02-01T09:00:00+00:00"},
                   )["openTasks"]
    assert task["candidateGroups"] == ["credit", "risk"]
    assert task["followUp"] == "2027-02-01T09:00:00.000+00:00"
    assert task["due"].startswith("2027-03-01T00:00:00")
    risk_worker = api_client_for("task-worker", "risk", username="rick")
    assert [t["id"] for t in open_tasks(risk_worker)] == [task["id"]]
