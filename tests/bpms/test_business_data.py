"""Business data is kept apart from process variables: the record of the case (business key),
validated against the process's data model (camunda:property dataModel) on start and on task
completion; invalid data is a 422 with paths and leaves nothing behind."""

import pytest
from django.utils import timezone

from bpms.models import ProcessInstance
from datamodel.models import DataModel, DataModelVersion

from .engine_support import complete, deploy, instance, start

pytestmark = pytest.mark.django_db

SCHEMA = {"type": "object", "properties": {
    "applicant": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
    "income": {"type": "number", "minimum": 0}}}


@pytest.fixture
def client(api_client_for):
    model = DataModel.objects.create(name="credit-application")
    DataModelVersion.objects.create(model=model, version=1, schema=SCHEMA, published=True, published_at=timezone.now())
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, "with_data_model.bpmn")
    return client


def test_invalid_business_data_on_start_is_refused_with_paths_and_leaves_no_instance(client):
    response = client.post("/v1/process-instances", {"processDefinitionKey": "with-data-model", "businessKey": "APP-1",
                                                     "businessData": {"applicant": {}, "income": -5}}, format="json")
    assert response.status_code == 422
    assert {e["pointer"] for e in response.json()["errors"]} == {"/businessData/applicant", "/businessData/income"}
    assert not ProcessInstance.objects.exists()


def test_business_data_is_apart_from_variables_and_merged_on_completion(client):
    started = start(client, "with-data-model", {"channel": "web"}, businessKey="APP-2",
                    businessData={"applicant": {"name": "Anna"}})
    assert started["businessData"] == {"applicant": {"name": "Anna"}}
    assert set(started["processVariables"]) == {"channel"}
    task_id = started["openTasks"][0]["id"]
    response = complete(client, task_id, {}, businessData={"income": -1})
    assert response.status_code == 422 and response.json()["errors"][0]["pointer"] == "/businessData/income"
    assert complete(client, task_id, {}, businessData={"income": 4200}).status_code == 200
    body = instance(client, started["id"])
    assert body["state"] == "completed"
    assert body["businessData"] == {"applicant": {"name": "Anna"}, "income": 4200}
