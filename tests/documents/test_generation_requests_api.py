"""Accepting generation requests: validation, data sources, idempotency, roles (the render itself
is covered with a real worker in test_worker_rendering.py)."""

import pytest

from datamodel.services import write_business_data
from documents import services
from documents.models import GenerationRequest
from eximee.models import OutboxMessage, TimelineEvent

from .support import DECISION_BODY, loan_data, published

pytestmark = pytest.mark.django_db

URL = "/v1/documents/generation-requests"


@pytest.fixture
def client(api_client_for):
    return api_client_for("document-requester")


def test_accepted_with_location_and_queued_through_the_outbox(client, decision_template):
    response = client.post(URL, {"templateCode": "decision", "outputFormat": "pdf", "data": loan_data(),
                                 "fileName": "decyzja ŁN/1"}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert response["Location"].endswith(f"{URL}/{body['id']}")
    assert body["status"] == "queued"
    assert (body["templateCode"], body["templateVersion"], body["fileName"]) == ("decision", 1, "decyzja ŁN_1.pdf")
    assert OutboxMessage.objects.filter(task_name="documents.render", args=[body["id"]]).exists()
    assert client.get(response["Location"]).json()["status"] == "queued"


def test_data_is_validated_against_the_bound_model(client, loan_model):
    published(code="bound", body=DECISION_BODY, data_model_name="loan-application", sample_data=loan_data())
    response = client.post(URL, {"templateCode": "bound", "data": loan_data(amount=5, applicant={})}, format="json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    pointers = {error["pointer"] for error in response.json()["errors"]}
    assert pointers == {"/data/amount", "/data/applicant"}  # a missing property is reported at its parent
    assert not GenerationRequest.objects.exists()


def test_case_number_takes_the_cases_business_data(client, decision_template):
    write_business_data(data=loan_data(caseNumber="LN-2026-7"), actor="t", business_key="LN-2026-7")
    response = client.post(URL, {"templateCode": "decision", "caseNumber": "LN-2026-7"}, format="json")
    assert response.status_code == 202
    request = GenerationRequest.objects.get(pk=response.json()["id"])
    assert (request.source, request.business_key, request.data["caseNumber"]) == ("caseNumber", "LN-2026-7",
                                                                                   "LN-2026-7")
    assert request.file_name == "decision-LN-2026-7.pdf"
    assert TimelineEvent.objects.filter(kind="document.requested", business_key="LN-2026-7").exists()


def test_data_record_reference(client, decision_template, loan_model):
    record = write_business_data(data=loan_data(), actor="t", business_key="LN-9", model_name="loan-application")
    response = client.post(URL, {"templateCode": "decision", "dataRecord": {"model": "loan-application",
                                                                            "id": str(record.pk)}}, format="json")
    assert response.status_code == 202
    assert response.json()["dataReference"] == f"{record.pk}@{record.revision}"
    unknown = client.post(URL, {"templateCode": "decision", "dataRecord": {
        "model": "loan-application", "id": "00000000-0000-0000-0000-000000000000"}}, format="json")
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["pointer"] == "/dataRecord"


def test_a_case_without_data_is_422(client, decision_template):
    response = client.post(URL, {"templateCode": "decision", "caseNumber": "LN-NONE"}, format="json")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"pointer": "/caseNumber", "detail": "no business data for this case"}]


@pytest.mark.parametrize("body", [
    {"templateCode": "decision"},
    {"templateCode": "decision", "data": {}, "caseNumber": "LN-1"},
    {"templateCode": "decision", "data": [1, 2]},
    {"templateCode": "decision", "data": {}, "outputFormat": "odt"},
    {"data": {}},
])
def test_malformed_requests_are_400(client, decision_template, body):
    response = client.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]


def test_unknown_template_is_404_and_wrong_format_422(client, decision_template):
    assert client.post(URL, {"templateCode": "nope", "data": {}}, format="json").status_code == 404
    assert client.post(URL, {"templateCode": "decision", "templateVersion": 2, "data": {}},
                       format="json").status_code == 404
    response = client.post(URL, {"templateCode": "decision", "outputFormat": "docx", "data": loan_data()},
                           format="json")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"pointer": "/outputFormat", "detail": "must be pdf"}]


def test_drafts_cannot_be_used(client):
    services.create_template(code="draft-only", name="d", body="<p>x</p>")
    assert client.post(URL, {"templateCode": "draft-only", "data": {}}, format="json").status_code == 404


def test_data_size_limit(client, decision_template, settings):
    settings.DOCUMENTS_MAX_DATA_BYTES = 100
    response = client.post(URL, {"templateCode": "decision", "data": loan_data(note="x" * 200)}, format="json")
    assert response.status_code == 422
    assert "more than the limit of 100" in response.json()["detail"]


def test_idempotency_key_replays_without_a_second_request(client, decision_template):
    body = {"templateCode": "decision", "data": loan_data()}
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="doc-1")
    second = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="doc-1")
    assert first.status_code == second.status_code == 202
    assert second["Idempotent-Replayed"] == "true"
    assert (second.json()["id"], second["Location"]) == (first.json()["id"], first["Location"])
    assert GenerationRequest.objects.count() == 1
    assert OutboxMessage.objects.filter(task_name="documents.render").count() == 1


def test_role_required(api_client_for, decision_template):
    response = api_client_for("case-reader").post(URL, {"templateCode": "decision", "data": {}}, format="json")
    assert response.status_code == 403
    assert api_client_for("case-reader").get(f"{URL}/00000000-0000-0000-0000-000000000000").status_code == 403


def test_unknown_ids_are_404(client):
    assert client.get(f"{URL}/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/v1/documents/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/v1/documents/00000000-0000-0000-0000-000000000000/content").status_code == 404
