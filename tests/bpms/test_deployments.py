"""Deployments: versions per process key, definitions and XML read back, and models we cannot run
faithfully rejected with every offending element and why."""

import pytest

from .engine_support import deploy, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def deployer(api_client_for):
    return api_client_for("deployer")


def test_each_deployment_is_a_new_version_of_its_process_keys(deployer):
    first = deploy(deployer, "loan_application.bpmn")
    second = deploy(deployer, "loan_application.bpmn", "script_loop.bpmn")
    assert first["processDefinitions"][0]["version"] == 1
    assert {(d["key"], d["version"]) for d in second["processDefinitions"]} == {("loan-application", 2), ("script-loop", 1)}
    latest = deployer.get("/v1/process-definitions").json()["results"]
    assert [(d["key"], d["version"]) for d in latest] == [("loan-application", 2), ("script-loop", 1)]
    versions = deployer.get("/v1/process-definitions/loan-application").json()["results"]
    assert [v["version"] for v in versions] == [2, 1]
    xml = deployer.get("/v1/process-definitions/loan-application/versions/1/xml")
    assert xml.status_code == 200 and b'id="loan-application"' in xml.content
    assert deployer.get("/v1/process-definitions/loan-application/versions/9/xml").status_code == 404


def test_a_bpmn20_xml_file_deploys_as_bpmn(deployer):
    from .engine_support import MODELS
    response = upload(deployer, extra={"loan.bpmn20.xml": (MODELS / "loan_application.bpmn").read_bytes()})
    assert response.status_code == 201, response.json()
    assert [d["key"] for d in response.json()["processDefinitions"]] == ["loan-application"]


def test_a_process_that_is_not_executable_deploys_as_nothing_to_run(deployer):
    from .engine_support import MODELS
    model = (MODELS / "loan_application.bpmn").read_text().replace('isExecutable="true"', 'isExecutable="false"')
    response = upload(deployer, extra={"loan_application.bpmn": model.encode()})
    assert response.status_code == 201, response.json()
    assert response.json()["processDefinitions"] == []


def test_unsupported_elements_are_rejected_each_with_its_reason(deployer):
    response = upload(deployer, "unsupported.bpmn")
    assert response.status_code == 422
    reasons = {e["elementId"]: e["detail"] for e in response.json()["errors"]}
    assert set(reasons) == {"charge", "refund", "calc", "notify"}
    assert "Java delegates" in reasons["charge"]
    assert "compensation" in reasons["refund"]
    assert "groovy" in reasons["calc"]
    assert "Java task listeners" in reasons["notify"]
    assert deployer.get("/v1/process-definitions").json()["count"] == 0


def test_not_well_formed_xml_and_wrong_files_are_clear_4xx(deployer):
    response = upload(deployer, extra={"broken.bpmn": b"<bpmn:definitions"})
    assert response.status_code == 422
    assert "not well-formed" in response.json()["errors"][0]["detail"]
    response = upload(deployer, extra={"notes.exe": b"MZ"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "/files/notes.exe"


def test_deploying_needs_the_deployer_role(api_client_for):
    assert upload(api_client_for("process-starter"), "loan_application.bpmn").status_code == 403


def test_documents_with_a_doctype_are_refused(deployer):
    evil = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
            b'<bpmn:process id="p" isExecutable="true"><bpmn:documentation>&x;</bpmn:documentation>'
            b'<bpmn:startEvent id="s"/></bpmn:process></bpmn:definitions>')
    response = upload(deployer, extra={"evil.bpmn": evil})
    assert response.status_code == 422
    assert response.json()["errors"][0]["detail"] == "DOCTYPE declarations are not allowed"


def test_documents_that_break_the_bpmn_schema_are_refused(deployer):
    invalid = (b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
               b'<bpmn:process id="p" isExecutable="maybe"><bpmn:startEvent id="s"/></bpmn:process></bpmn:definitions>')
    response = upload(deployer, extra={"invalid.bpmn": invalid})
    assert response.status_code == 422
    assert any(error["elementId"] == "p" and "isExecutable" in error["detail"] for error in response.json()["errors"])
