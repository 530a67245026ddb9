"""Helpers of the end-to-end scenarios: the loan case type and data model, deploying and starting
the scenario processes through the API."""

from pathlib import Path

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import CaseType
from datamodel.models import DataModel, DataModelVersion
from tests.datamodel.conftest import LOAN_SCHEMA

from .conftest import LOAN_STATUSES, LOAN_TRANSITIONS

MODELS = Path(__file__).parent / "models"
CASE_NUMBER = "LN-2026-000123"


def loan_setup():
    CaseType.objects.create(name="loan-application", statuses=LOAN_STATUSES, initial_statuses=["submitted"],
                            transitions=LOAN_TRANSITIONS)
    model = DataModel.objects.create(name="loan-application")
    DataModelVersion.objects.create(model=model, version=1, schema=LOAN_SCHEMA, published=True)


@pytest.fixture
def clients(api_client_for):
    loan_setup()
    return {
        "deployer": api_client_for("deployer"),
        "portal": api_client_for("process-starter", "case-writer", username="portal"),
        "crm": api_client_for("datamodel-reader", "case-reader", username="crm"),
        "scoring": api_client_for("event-publisher", username="scoring"),
        "worker": api_client_for("task-worker", username="walt"),
    }


def deploy(client, filename):
    response = client.post("/v1/deployments", {"name": filename, "files": [
        SimpleUploadedFile(filename, (MODELS / filename).read_bytes())]}, format="multipart")
    assert response.status_code == 201, response.json()


def start(client, key, **fields):
    return client.post("/v1/process-instances", {"processDefinitionKey": key, "businessKey": CASE_NUMBER, **fields},
                       format="json")
