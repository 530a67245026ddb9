"""camunda:calledElementBinding on call activities: latest (default), deployment, version (an
expression) and versionTag, with camunda:in/out variables="all", local="true" and a business key
taken from ${execution.processBusinessKey}."""

import pytest

from bpms.models import ProcessInstance, ProcessVariable

from .engine_support import MODELS, deploy, start, upload

pytestmark = pytest.mark.django_db

PARENT = "call_binding_parent.bpmn"


def _deploy_child(client, served_by, tag):
    """Another version of binding-child alone: its script says which version served."""
    content = (MODELS / PARENT).read_text()
    child = content[content.index('  <bpmn:process id="binding-child"'):content.index("</bpmn:definitions>")]
    child = child.replace("'A'", f"'{served_by}'").replace('camunda:versionTag="release-1"', f'camunda:versionTag="{tag}"')
    head = content[:content.index("  <bpmn:process")]
    response = upload(client, extra={f"child_{served_by}.bpmn": (head + child + "</bpmn:definitions>").encode()})
    assert response.status_code == 201, response.json()


@pytest.fixture
def client(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, PARENT)                       # binding-child v1 (A) with the parent
    _deploy_child(client, "B", "release-2")      # v2
    _deploy_child(client, "C", "release-3")      # v3
    _deploy_child(client, "D", "")               # v4, the latest
    return client


def test_each_binding_calls_its_version(client):
    started = start(client, "binding-parent", {"caseNo": "7", "childVersion": 2}, businessKey="CASE-7")
    assert started["state"] == "completed"
    variables = dict(ProcessVariable.objects.filter(process_instance_id=started["id"]).values_list("name", "value"))
    assert variables == {"caseNo": "7", "childVersion": 2,
                         "latestServedBy": "D",      # latest
                         "servedBy": "A",            # deployment, with camunda:out variables="all"
                         "pinnedServedBy": "B",      # version ${childVersion}
                         "taggedServedBy": "C"}      # versionTag, locals mapped by an output parameter

    children = {c.definition.version: c for c in ProcessInstance.objects.filter(parent_id=started["id"])}
    assert children[4].business_key == "CASE-7"
    assert dict(children[4].variables.values_list("name", "value")) == {
        "caseNo": "7", "childVersion": 2, "servedBy": "D"}
    # camunda:in variables="all" local="true": only the call activity's own input parameter
    assert dict(children[3].variables.values_list("name", "value")) == {"ticket": "T-7", "servedBy": "C"}


def test_a_binding_that_finds_no_version_fails_naming_the_binding(client):
    response = client.post("/v1/process-instances", {"processDefinitionKey": "binding-parent",
                                                     "processVariables": {"caseNo": "8", "childVersion": 9}},
                           format="json")
    assert response.status_code == 404
    assert response.json()["detail"] == "Call activity 'pinned' calls 'binding-child' version 9, which is not deployed."


def test_a_version_binding_without_a_version_is_refused_at_deploy_time(client):
    content = (MODELS / PARENT).read_text().replace(' camunda:calledElementVersion="${childVersion}"', "")
    response = upload(client, extra={"no_version.bpmn": content.encode()})
    assert response.status_code == 422
    assert [(e["elementId"], e["detail"]) for e in response.json()["errors"]] == [
        ("pinned", 'camunda:calledElementBinding="version" needs camunda:calledElementVersion')]
