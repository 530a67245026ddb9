"""Local variables as Camunda 7 scopes them: execution.setVariableLocal at a plain task sets a process
variable; inside an embedded subprocess it is local to the subprocess (shadowing, then restoring, a
process variable of the same name); input parameters are local to their activity (also on a
subprocess); a multi-instance element variable is local to its instance. Locals never show as
process variables; a task shows the ones it sees as localVariables."""

import pytest

from .engine_support import complete, deploy, instance, start

pytestmark = pytest.mark.django_db


def _values(typed):
    return {name: v["value"] for name, v in typed.items()}


def test_locals_stay_in_their_scope_and_the_task_shows_them(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, "local_scopes.bpmn")
    started = start(client, "local-scopes", {"reviewers": ["ann", "bob"], "draft": "outer"})
    process = _values(instance(client, started["id"])["processVariables"])
    assert process == {"reviewers": ["ann", "bob"], "draft": "outer", "stage": "prepared"}

    tasks = {t["assignee"]: t for t in started["openTasks"]}
    detail = client.get(f"/v1/tasks/{tasks['bob']['id']}").json()
    assert _values(detail["localVariables"]) == {
        "reviewer": "bob", "checklist": "list-bob", "round": 1, "draft": "inside outer",
        "loopCounter": 1, "nrOfInstances": 2, "nrOfActiveInstances": 2, "nrOfCompletedInstances": 0}
    assert detail["localVariables"]["round"]["type"] == "Integer"
    assert _values(detail["processVariables"]) == process

    for task in tasks.values():
        assert complete(client, task["id"], {"verdict": "ok"}).status_code == 200
    after = instance(client, started["id"])
    assert after["activeActivityIds"] == ["decide"]
    # the subprocess's local draft hid the outer one and is gone; setVariable inside it reached the process
    assert _values(after["processVariables"]) == {
        "reviewers": ["ann", "bob"], "draft": "outer", "stage": "prepared", "verdict": "ok",
        "summary": "inside outer / round 1 / no local stage"}
    decide = client.get(f"/v1/tasks/{after['openTasks'][0]['id']}").json()
    assert decide["localVariables"] == {}


def test_each_external_task_of_a_multi_instance_gets_its_own_locals(api_client_for):
    client = api_client_for("process-starter", "deployer", "service-worker")
    deploy(client, "multi_instance_service.bpmn")
    recipients = [{"to": "ann@example.com", "channel": "email"}, {"to": "+4712345678", "channel": "sms"}]
    started = start(client, "mi-notify", {"recipients": recipients, "subject": "hello"})
    response = client.post("/v1/service-tasks/fetch-and-lock", {
        "workerId": "w1", "maxTasks": 10, "topics": [{"topicName": "notify.send", "lockDuration": 60_000}]},
        format="json")
    fetched = sorted(response.json(), key=lambda t: t["variables"]["loopCounter"])
    assert [t["variables"] for t in fetched] == [
        {"recipients": recipients, "subject": "hello", "recipient": recipient, "channel": recipient["channel"],
         "loopCounter": index, "nrOfInstances": 2, "nrOfActiveInstances": 2, "nrOfCompletedInstances": 0}
        for index, recipient in enumerate(recipients)]
    assert set(instance(client, started["id"])["processVariables"]) == {"recipients", "subject"}


def test_the_element_variable_of_a_sequential_multi_instance_subprocess_is_local_to_each_round(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, "multi_instance_subprocess.bpmn")
    claims = [{"no": 1, "handler": "ann"}, {"no": 2, "handler": "bob"}]
    started = start(client, "mi-subprocess", {"claims": claims})
    handlers = []
    for _ in claims:
        [task] = instance(client, started["id"])["openTasks"]
        handlers.append(task["assignee"])
        detail = client.get(f"/v1/tasks/{task['id']}").json()
        assert detail["localVariables"]["claim"]["value"]["handler"] == task["assignee"]
        assert "claim" not in detail["processVariables"]
        assert complete(client, task["id"], {"settled": True}).status_code == 200
    assert handlers == ["ann", "bob"]
    after = instance(client, started["id"])
    assert after["activeActivityIds"] == ["close"]
    assert _values(after["processVariables"]) == {"claims": claims, "settled": True}
