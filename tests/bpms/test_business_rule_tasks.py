"""Business rule tasks through the REST API: a Camunda Modeler process and its DMN file deploy
together and run (a DRD, hit policies, the four result mappings, the four bindings, a reference
given as an expression); deploy-time refusals name the element; a decision that fails at run time
fails the operation whole."""

import pytest

from bpms.models import DecisionDefinition, ProcessInstance

from .engine_support import MODELS, deploy, instance, start, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_client_for):
    return api_client_for("process-starter", "deployer", "operator")


def greeting(text, tag=""):
    """A one-rule decision table `greeting` answering `text`."""
    version_tag = f' camunda:versionTag="{tag}"' if tag else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:camunda="http://camunda.org/schema/1.0/dmn"
             id="greeting-definitions" name="Greeting" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="greeting" name="Greeting"{version_tag}>
    <decisionTable id="greetingTable">
      <input id="inAnyone"><inputExpression id="inAnyoneExpr" typeRef="string"><text>channel</text></inputExpression></input>
      <output id="outText" name="text" typeRef="string" />
      <rule id="always"><inputEntry id="a1"><text>-</text></inputEntry><outputEntry id="t1"><text>"{text}"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>""".encode()


def _values(body):
    return {name: v["value"] for name, v in body["processVariables"].items()}


def test_a_process_and_its_decisions_deploy_together_and_decide(client):
    deployed = deploy(client, "loan_decision.bpmn", "loan_approval.dmn")
    # (Keys, not versions: on the camunda7 adapter the engine server keeps earlier tests' versions.)
    assert sorted(d["key"] for d in deployed["decisionDefinitions"]) == ["loan-approval", "risk-class"]

    good = start(client, "loan-decision", {"amount": 30000, "score": 750})
    assert _values(good)["approval"] == {"approved": True, "limit": 30000}
    assert good["activeActivityIds"] == ["payout"]

    # risk class C (from the required decision): only small loans pass, FIRST takes the fallback rule.
    fair = start(client, "loan-decision", {"amount": 30000, "score": 600})
    assert _values(fair)["approval"] == {"approved": False, "limit": 0}
    assert fair["activeActivityIds"] == ["review"]
    small = start(client, "loan-decision", {"amount": 3000, "score": 600})
    assert _values(small)["approval"] == {"approved": True, "limit": 5000}


def test_decisions_are_stored_as_versions_of_their_keys(client):
    deploy(client, "loan_approval.dmn")
    deploy(client, "loan_approval.dmn")
    stored = DecisionDefinition.objects.filter(key="loan-approval").order_by("version")
    assert [(d.version, d.version_tag, d.resource_name) for d in stored] == [
        (1, "2026-Q4", "loan_approval.dmn"), (2, "2026-Q4", "loan_approval.dmn")]
    assert set(stored[0].decisions) == {"loan-approval", "risk-class"}     # its DRD, from one row


def test_result_mappings_and_bindings(client):
    first = upload(client, "decision_mappings.bpmn", "fees.dmn", extra={"greeting.dmn": greeting("hello v1", "autumn")})
    assert first.status_code == 201, first.json()
    # A later version of the decision alone (a DMN-only deployment).
    second = upload(client, extra={"greeting.dmn": greeting("hello v2")})
    assert second.status_code == 201, second.json()
    assert [(d["key"], d["version"]) for d in second.json()["decisionDefinitions"]] == [("greeting", 2)]
    assert second.json()["processDefinitions"] == []

    values = _values(start(client, "decision-mappings", {"channel": "branch", "which": "greeting"}))
    assert values["feeList"] == [{"fee": 10}, {"fee": 5}]          # resultList, COLLECT in rule order
    assert values["fees"] == [10, 5]                               # collectEntries
    assert values["totalFee"] == 15                                # singleEntry of COLLECT SUM
    assert values["pinned"] == "hello v1"                          # binding deployment
    assert values["newest"] == "hello v2"                          # ${which}, binding latest
    assert values["first"] == "hello v1"                           # binding version 1
    assert values["tagged"] == "hello v1"                          # binding versionTag


def test_a_decision_that_fails_at_run_time_fails_the_start_whole(client):
    overlapping = (MODELS / "loan_approval.dmn").read_text().replace('hitPolicy="FIRST"', 'hitPolicy="UNIQUE"')
    assert upload(client, "loan_decision.bpmn", extra={"loan_approval.dmn": overlapping.encode()}).status_code == 201
    # amount 3000 with risk class A matches both lowRisk and smallLoan (and the catch-all).
    response = client.post("/v1/process-instances", {"processDefinitionKey": "loan-decision",
                                                     "processVariables": {"amount": 3000, "score": 750}}, format="json")
    assert response.status_code == 422, response.json()
    body = response.json()
    assert body["elementId"] == "decide"
    assert "lowRisk" in body["detail"] and "smallLoan" in body["detail"]
    assert not ProcessInstance.objects.filter(process_definition_key="loan-decision").exists()


def test_the_version_a_task_names_must_exist_when_it_runs(client):
    model = (MODELS / "loan_decision.bpmn").read_text().replace(
        'camunda:decisionRef="loan-approval"',
        'camunda:decisionRef="loan-approval" camunda:decisionRefBinding="version" camunda:decisionRefVersion="7"')
    assert upload(client, "loan_approval.dmn", extra={"loan_decision.bpmn": model.encode()}).status_code == 201
    response = client.post("/v1/process-instances", {"processDefinitionKey": "loan-decision",
                                                     "processVariables": {"amount": 1, "score": 750}}, format="json")
    assert response.status_code == 422
    assert "no decision 'loan-approval' in version 7" in response.json()["detail"]


DECISION_ATTRIBUTES = 'camunda:decisionRef="loan-approval" camunda:resultVariable="approval" camunda:mapDecisionResult="singleResult"'


@pytest.mark.parametrize("attributes, detail", [
    (DECISION_ATTRIBUTES, "no decision 'loan-approval' deployed"),
    ('camunda:decisionRef="loan-approval" camunda:decisionRefBinding="version"', "needs camunda:decisionRefVersion"),
    ('camunda:decisionRef="loan-approval" camunda:decisionRefBinding="newest"', "unknown camunda:decisionRefBinding 'newest'"),
    ('camunda:decisionRef="loan-approval" camunda:mapDecisionResult="firstRow"', "unknown camunda:mapDecisionResult 'firstRow'"),
    ('camunda:class="com.bank.Rules"', "needs camunda:decisionRef"),
])
def test_business_rule_tasks_that_cannot_run_are_refused_at_deploy_time(client, attributes, detail):
    model = (MODELS / "loan_decision.bpmn").read_text().replace(DECISION_ATTRIBUTES, attributes)
    response = upload(client, extra={"loan_decision.bpmn": model.encode()})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["elementId"] == "decide" and detail in e["detail"] for e in errors), errors


def test_a_deployment_binding_needs_the_decision_in_the_same_deployment(client):
    deploy(client, "loan_approval.dmn")
    model = (MODELS / "loan_decision.bpmn").read_text().replace(
        'camunda:decisionRef="loan-approval"', 'camunda:decisionRef="loan-approval" camunda:decisionRefBinding="deployment"')
    response = upload(client, extra={"loan_decision.bpmn": model.encode()})
    assert response.status_code == 422
    assert response.json()["errors"][0]["detail"] == "no decision 'loan-approval' in this deployment"
    # Bound to the latest version, the decision deployed before is found.
    assert upload(client, "loan_decision.bpmn").status_code == 201


def test_every_problem_of_a_dmn_file_is_reported_with_its_element(client):
    broken = greeting("x").replace(b"<text>-</text>", b"<text>[1..</text>").replace(
        b'<decisionTable id="greetingTable">', b'<decisionTable id="greetingTable" hitPolicy="SOMETIMES">')
    response = upload(client, extra={"greeting.dmn": broken})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {e["resource"] for e in errors} == {"greeting.dmn"}
    assert len(errors) >= 2, errors
    assert not DecisionDefinition.objects.exists()


def test_a_decision_key_defined_twice_in_one_deployment_is_refused(client):
    response = upload(client, extra={"a.dmn": greeting("a"), "b.dmn": greeting("b")})
    assert response.status_code == 422
    assert "also defined in" in response.json()["errors"][0]["detail"]


def test_a_deployment_without_a_process_or_decision_is_refused(client):
    response = upload(client, extra={"notes.txt": b"nothing to run"})
    assert response.status_code == 422
    assert "no BPMN process and no DMN decision" in response.json()["errors"][0]["detail"]


def test_only_the_result_variable_becomes_a_process_variable(client):
    """The required decision's riskClass fed the table; like Camunda, only resultVariable is kept."""
    deploy(client, "loan_decision.bpmn", "loan_approval.dmn")
    started = start(client, "loan-decision", {"amount": 30000, "score": 750})
    assert set(_values(instance(client, started["id"]))) == {"amount", "score", "approval"}


def test_date_outputs_become_date_variables_or_dates_inside_a_result(client):
    dated = greeting("x", "autumn").replace(b'typeRef="string" />', b'typeRef="date" />').replace(
        b'"x"', b'date and time("2026-12-24T10:00:00Z")')
    assert upload(client, "decision_mappings.bpmn", "fees.dmn", extra={"greeting.dmn": dated}).status_code == 201
    body = start(client, "decision-mappings", {"channel": "online", "which": "greeting"})
    variables = body["processVariables"]
    assert variables["pinned"] == {"type": "Date", "value": "2026-12-24T10:00:00.000+0000"}
    assert variables["feeList"]["value"] == [{"fee": 10}, {"fee": 1}]
    # A date inside a result (singleResult keeps the row as one Json variable) is ISO 8601 text there.
    rules = (MODELS / "loan_approval.dmn").read_text().replace(
        '<output id="outLimit" name="limit" typeRef="integer" />', '<output id="outLimit" name="limit" typeRef="date" />'
    ).replace('<text>amount</text></outputEntry>', '<text>date and time("2026-12-24T10:00:00Z")</text></outputEntry>'
    ).replace("<text>5000</text>", "<text>null</text>").replace("<text>0</text>", "<text>null</text>")
    assert upload(client, "loan_decision.bpmn", extra={"loan_approval.dmn": rules.encode()}).status_code == 201
    approval = start(client, "loan-decision", {"amount": 30000, "score": 750})["processVariables"]["approval"]
    assert approval == {"type": "Json", "value": {"approved": True, "limit": "2026-12-24T10:00:00Z"}}


# --- a decision evaluated on its own: POST /v1/decision-definitions/{key}/evaluate ----------------

def evaluate(client, key, variables, **fields):
    return client.post(f"/v1/decision-definitions/{key}/evaluate", {"variables": variables, **fields}, format="json")


def test_a_decision_evaluates_on_its_own_latest_or_a_given_version(client):
    deploy(client, "loan_approval.dmn")
    response = evaluate(client, "loan-approval", {"amount": 3000, "score": 600})
    assert response.status_code == 200, response.json()
    assert response.json() == {"decisionKey": "loan-approval", "version": None,
                               "result": [{"approved": True, "limit": 5000}]}
    # Typed variables as Camunda sends them are accepted too.
    typed = evaluate(client, "risk-class", {"score": {"value": "450", "type": "Integer"}})
    assert typed.json()["result"] == [{"riskClass": "D"}]

    upload(client, extra={"greeting.dmn": greeting("one")})
    upload(client, extra={"greeting.dmn": greeting("two")})
    assert evaluate(client, "greeting", {}).json()["result"] == [{"text": "two"}]
    assert evaluate(client, "greeting", {}, version=1).json()["result"] == [{"text": "one"}]


def test_evaluating_answers_every_mistake_with_its_problem(client, api_client_for):
    overlapping = (MODELS / "loan_approval.dmn").read_text().replace('hitPolicy="FIRST"', 'hitPolicy="UNIQUE"')
    upload(client, extra={"loan_approval.dmn": overlapping.encode()})

    unknown = evaluate(client, "no-such-decision", {})
    assert unknown.status_code == 404 and unknown.headers["Content-Type"].startswith("application/problem+json")
    assert evaluate(client, "loan-approval", {}, version=9).status_code == 404

    failed = evaluate(client, "loan-approval", {"amount": 3000, "score": 750})
    assert failed.status_code == 422
    assert "lowRisk" in failed.json()["detail"] and failed.json()["decisionKey"] == "loan-approval"

    bad = evaluate(client, "loan-approval", {"amount": {"value": "many", "type": "Integer"}})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["pointer"].startswith("/variables/amount")
    assert evaluate(client, "loan-approval", {}, version=0).status_code == 400

    reader = api_client_for("auditor")
    assert evaluate(reader, "loan-approval", {"amount": 1, "score": 750}).status_code == 403


def test_the_engine_rest_facade_lists_and_evaluates_decisions(client):
    deploy(client, "loan_approval.dmn")
    listed = client.get("/engine-rest/decision-definition", {"key": "risk-class"})
    assert listed.status_code == 200
    [definition] = listed.json()
    assert (definition["key"], definition["version"], definition["resource"]) == ("risk-class", 1, "loan_approval.dmn")
    assert client.get("/engine-rest/decision-definition/count").json() == {"count": 2}

    by_key = client.post("/engine-rest/decision-definition/key/risk-class/evaluate",
                         {"variables": {"score": {"value": 720, "type": "Integer"}}}, format="json")
    assert by_key.status_code == 200, by_key.json()
    assert by_key.json() == [{"riskClass": {"value": "A", "type": "String", "valueInfo": {}}}]
    by_id = client.post(f"/engine-rest/decision-definition/{definition['id']}/evaluate",
                        {"variables": {"score": {"value": 100, "type": "Integer"}}}, format="json")
    assert by_id.json() == [{"riskClass": {"value": "D", "type": "String", "valueInfo": {}}}]
    assert client.post("/engine-rest/decision-definition/key/nothing/evaluate", {}, format="json").status_code == 404
