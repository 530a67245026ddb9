"""Process instances through the API: list filters (incl. variable filters) and includeVariables in
one query, variables (typed, PUT/PATCH/delete, bad types -> 400 with path), suspend/activate,
cancel with a reason; history and the instance timeline."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .engine_support import complete, deploy, instance, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(api_client_for):
    client = api_client_for("process-starter", "deployer", "operator", "task-manager", "auditor")
    deploy(client, "loan_application.bpmn")
    return client


def _ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_list_filters_and_variable_filters(operator):
    small = start(operator, "loan-application", {"amount": 500, "channel": "web"}, businessKey="A")
    large = start(operator, "loan-application", {"amount": 50000, "channel": "branch"}, businessKey="B")
    assert _ids(operator.get("/v1/process-instances", {"businessKey": "B"})) == [large["id"]]
    assert _ids(operator.get("/v1/process-instances", {"variables": "amount_gt_1000"})) == [large["id"]]
    assert _ids(operator.get("/v1/process-instances", {"variables": "amount_lteq_500,channel_eq_web"})) == [small["id"]]
    assert _ids(operator.get("/v1/process-instances", {"variables": "channel_like_bran"})) == [large["id"]]
    assert _ids(operator.get("/v1/process-instances", {"variables": "channel_neq_web"})) == [large["id"]]
    tasks = operator.get("/v1/tasks", {"variables": "amount_gt_1000,channel_neq_web"}).json()["results"]
    assert {task["processInstanceId"] for task in tasks} == {large["id"]}
    assert set(_ids(operator.get("/v1/process-instances", {"state": "active"}))) == {small["id"], large["id"]}
    assert _ids(operator.get("/v1/process-instances", {"sortBy": "startTime", "sortOrder": "asc"})) == [small["id"], large["id"]]
    response = operator.get("/v1/process-instances", {"variables": "amount_between_1"})
    assert response.status_code == 400 and response.json()["errors"][0]["pointer"] == "/variables"
    assert operator.get("/v1/process-instances", {"state": "sleeping"}).status_code == 400


def test_include_variables_costs_the_same_queries_for_one_row_or_many(operator):
    start(operator, "loan-application", {"amount": 1})

    def queries():
        with CaptureQueriesContext(connection) as captured:
            body = operator.get("/v1/process-instances", {"includeVariables": "true"}).json()
        return len(captured), body

    few, _ = queries()
    for amount in range(2, 7):
        start(operator, "loan-application", {"amount": amount})
    many, body = queries()
    assert many == few
    assert sorted(row["processVariables"]["amount"] for row in body["results"]) == [1, 2, 3, 4, 5, 6]


def test_variables_typed_put_patch_and_their_history(operator):
    started = start(operator, "loan-application", {"amount": 100})
    url = f"/v1/process-instances/{started['id']}/variables"
    assert operator.put(f"{url}/dueOn", {"value": "2026-12-01", "type": "Date"}, format="json").status_code == 200
    response = operator.patch(url, {"modifications": {"amount": {"value": "250", "type": "Long"}},
                                    "deletions": ["dueOn"]}, format="json")
    assert response.json()["amount"] == {"value": 250, "type": "Integer"}
    assert "dueOn" not in response.json()
    response = operator.patch(url, {"modifications": {"a": {"value": "x", "type": "Long"},
                                                      "b": {"value": 1, "type": "Money"}}}, format="json")
    assert response.status_code == 400
    assert {e["pointer"] for e in response.json()["errors"]} == {"/modifications/a/value", "/modifications/b/type"}
    changes = operator.get("/v1/history/variables", {"processInstanceId": started["id"], "variableName": "amount"}).json()
    assert [(c["change"], c["oldValue"], c["newValue"]) for c in changes["results"]] == [
        ("created", None, 100), ("updated", 100, 250)]
    assert changes["results"][1]["changedBy"] == operator.user.username


def test_suspended_instances_refuse_work_until_activated(operator):
    started = start(operator, "loan-application", {"amount": 1})
    task_id = started["openTasks"][0]["id"]
    assert operator.post(f"/v1/process-instances/{started['id']}/suspend").json()["suspended"] is True
    response = complete(operator, task_id, {"decision": "reject"})
    assert response.status_code == 409 and "suspended" in response.json()["detail"]
    assert operator.post(f"/v1/process-instances/{started['id']}/activate").json()["suspended"] is False
    assert complete(operator, task_id, {"decision": "reject"}).status_code == 200


def test_cancel_with_reason_cancels_open_tasks_and_shows_in_history_and_timeline(operator):
    started = start(operator, "loan-application", {"amount": 1}, businessKey="C-1")
    response = operator.delete(f"/v1/process-instances/{started['id']}", {"reason": "customer withdrew"}, format="json")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["endReason"]) == ("cancelled", "customer withdrew")
    tasks = operator.get("/v1/history/tasks", {"processInstanceId": started["id"]}).json()["results"]
    assert [(t["state"], t["deleteReason"]) for t in tasks] == [("cancelled", "customer withdrew")]
    activities = operator.get("/v1/history/activity-instances", {"processInstanceId": started["id"]}).json()["results"]
    assert [(a["activityId"], a["canceled"]) for a in activities] == [("submitted", False), ("review", True)]
    timeline = operator.get(f"/v1/process-instances/{started['id']}/timeline").json()["results"]
    kinds = [event["kind"] for event in timeline]
    assert kinds[0] == "process.started" and kinds[-1] == "process.cancelled"
    assert "task.created" in kinds and "variable.created" in kinds
    assert operator.delete(f"/v1/process-instances/{started['id']}").status_code == 409


def test_task_history_says_who_claimed_and_completed_and_how_long(operator, api_client_for):
    started = start(operator, "loan-application", {"amount": 1})
    walt = api_client_for("task-worker", username="walt")
    task_id = started["openTasks"][0]["id"]
    walt.post(f"/v1/tasks/{task_id}/claim")
    complete(walt, task_id, {"decision": "reject"})
    [task] = operator.get("/v1/history/tasks", {"processInstanceId": started["id"]}).json()["results"]
    assert (task["claimedBy"], task["completedBy"], task["state"]) == ("walt", "walt", "completed")
    assert task["durationMs"] >= 0
    assert instance(operator, started["id"])["state"] == "completed"
    assert api_client_for("task-worker").get("/v1/history/tasks").status_code == 403
