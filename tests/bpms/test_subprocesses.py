"""An embedded subprocess, then a call activity whose called element is an expression: the child is
its own instance (parent link, camunda:in/out mapping, the parent's business key), and the parent
continues when the child ends."""

import pytest

from bpms.models import ProcessInstance

from .engine_support import complete, deploy, instance, start

pytestmark = pytest.mark.django_db


def test_embedded_subprocess_then_call_activity_with_variable_mapping(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, "subprocesses.bpmn", "scoring.bpmn")
    started = start(client, "subprocesses", {"amount": 5000, "documents": ["id", "payslip"],
                                             "scoringProcess": "scoring"}, businessKey="LOAN-7")
    assert started["activeActivityIds"] == ["collect", "upload"]
    assert complete(client, started["openTasks"][0]["id"]).status_code == 200

    parent = instance(client, started["id"])
    assert parent["activeActivityIds"] == ["score"]
    [child_id] = parent["childInstanceIds"]
    child = instance(client, child_id)
    assert child["parentId"] == started["id"]
    assert child["businessKey"] == "LOAN-7"
    variables = {name: v["value"] for name, v in child["processVariables"].items()}
    assert variables == {"requested": 5000, "documentCount": 2, "score": 52}

    assert complete(client, child["openTasks"][0]["id"]).status_code == 200
    assert instance(client, child_id)["state"] == "completed"
    parent = instance(client, started["id"])
    assert parent["state"] == "completed"
    assert parent["processVariables"]["applicantScore"]["value"] == 52
    assert "requested" not in parent["processVariables"]


def test_cancelling_the_parent_cancels_the_called_instance(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager", "operator")
    deploy(client, "subprocesses.bpmn", "scoring.bpmn")
    started = start(client, "subprocesses", {"amount": 100, "documents": [], "scoringProcess": "scoring"})
    complete(client, started["openTasks"][0]["id"])
    response = client.delete(f"/v1/process-instances/{started['id']}", {"reason": "withdrawn"}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    child = ProcessInstance.objects.get(parent_id=started["id"])
    assert child.state == "cancelled"
    assert child.tasks.get().state == "cancelled"
