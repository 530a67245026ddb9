"""One transaction per operation: a failing expression leaves the instance exactly as it was and
names the element; of two concurrent completions of one task exactly one wins, the other gets 409."""

import pytest

from bpms.models import ActivityInstance, ProcessInstance, ProcessVariable, UserTask, VariableChange
from eximee.models import TimelineEvent
from tests.concurrency import at_once

from .engine_support import complete, deploy, start


def test_a_failing_expression_rolls_the_whole_operation_back(db, api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, "failing_expression.bpmn")
    started = start(client, "failing-expression", {"price": 10})
    task_id = started["openTasks"][0]["id"]
    before = ProcessInstance.objects.get(id=started["id"]).engine_state
    counts = [model.objects.count() for model in (ActivityInstance, VariableChange, TimelineEvent, ProcessVariable)]

    response = complete(client, task_id, {"note": "quantity forgotten"})

    assert response.status_code == 422
    body = response.json()
    assert body["elementId"] == "total"
    assert "${price * quantity}" in body["detail"]
    assert ProcessInstance.objects.get(id=started["id"]).engine_state == before
    assert UserTask.objects.get(id=task_id).state == "created"
    assert [model.objects.count() for model in (ActivityInstance, VariableChange, TimelineEvent, ProcessVariable)] == counts
    assert complete(client, task_id, {"quantity": 3}).status_code == 200
    assert ProcessVariable.objects.get(process_instance_id=started["id"], name="total").value == 30


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_completions_one_wins_one_conflicts(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, "review_loop.bpmn")
    started = start(client, "review-loop", {"author": "ann"})
    task_id = started["openTasks"][0]["id"]

    def attempt():
        return complete(client, task_id, {"accepted": True}).status_code

    statuses = at_once(attempt, attempt)
    assert sorted(statuses) == [200, 409]
    assert ProcessInstance.objects.get(id=started["id"]).state == "completed"
    assert UserTask.objects.get(id=task_id).completed_by == client.user.username


def test_an_unusable_due_date_is_a_422_naming_the_task(db, api_client_for):
    client = api_client_for("process-starter", "deployer")
    from .engine_support import MODELS, upload
    model = (MODELS / "review_loop.bpmn").read_bytes().replace(b'camunda:assignee="reviewer"',
                                                               b'camunda:assignee="reviewer" camunda:dueDate="${due}"')
    assert upload(client, extra={"due.bpmn": model}).status_code == 201
    response = client.post("/v1/process-instances", {"processDefinitionKey": "review-loop",
                                                     "processVariables": {"due": "next tuesday"}}, format="json")
    assert response.status_code == 422
    assert response.json()["elementId"] == "review"
    assert not ProcessInstance.objects.exists()
