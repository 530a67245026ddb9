"""Scripts and expressions: a juel script from a deployment resource, an expression service task
with resultVariable, input/output parameters (text and list); Python scripts refused unless an
admin enables them, and then restricted."""

import pytest

from bpms.engine.embedded.scripting import ScriptRejected, run_restricted_python

from .engine_support import deploy, start, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_client_for):
    return api_client_for("process-starter", "deployer")


def _values(body):
    return {name: v["value"] for name, v in body["processVariables"].items()}


def test_resource_script_expression_task_and_parameter_mapping(client):
    assert upload(client, "scripts.bpmn", extra={"fee.juel": b"${amount * 0.01}"}).status_code == 201
    body = start(client, "scripts", {"amount": 2000, "customer": "anna"})
    assert body["activeActivityIds"] == ["wait"]
    assert _values(body) == {"amount": 2000, "customer": "anna", "fee": 20.0, "label": "loan-anna",
                             "total": 41.0, "codes": ["A", "loan-anna"]}       # "base" stayed local


def test_a_script_resource_missing_from_the_deployment_is_rejected(client):
    response = upload(client, "scripts.bpmn")
    assert response.status_code == 422
    assert response.json()["errors"][0]["elementId"] == "fee"


def test_python_scripts_are_refused_by_default(client):
    response = upload(client, "python_script.bpmn")
    assert response.status_code == 422
    assert "BPMS_ALLOW_PYTHON_SCRIPTS" in response.json()["errors"][0]["detail"]


def test_python_scripts_run_restricted_when_enabled(client, settings):
    settings.BPMS_ALLOW_PYTHON_SCRIPTS = True
    deploy(client, "python_script.bpmn")
    assert _values(start(client, "python-script", {"items": [1, 2, 3], "rate": 2}))["total"] == 12


@pytest.mark.parametrize("script, reason", [
    ("import os", "imports are not allowed"),
    ("x = ().__class__", "attribute '__class__' is not allowed"),
    ("x = open('/etc/passwd')", "NameError"),
    ("while True:\n    pass", "time limit exceeded"),
])
def test_restricted_python_refuses(script, reason, settings):
    settings.BPMS_SCRIPT_TIME_LIMIT_SECONDS = 0.2
    with pytest.raises(ScriptRejected, match=reason):
        run_restricted_python(script, {})
