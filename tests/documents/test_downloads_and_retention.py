from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import CaseType
from cases.services.cases import create_case
from datamodel.services import write_business_data
from documents import services
from documents.models import Document
from eximee.models import AuditEntry

from .support import loan_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(decision_template):
    request = services.request_generation(template_code="decision", data=loan_data(), actor="t")
    services.render_generation_request(request.pk)
    return Document.objects.get(generation_request=request)


def test_download_is_audited_with_the_document_and_its_checksum(api_client_for, document):
    client = api_client_for("document-requester", username="kasia")
    response = client.get(f"/v1/documents/{document.pk}/content")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(operation="document.downloaded")
    assert (entry.actor, entry.target) == ("kasia", f"document:{document.pk}")
    assert entry.details["sha256"] == document.sha256


def test_retention_deletes_the_content_and_keeps_the_record(api_client_for, document, media_root):
    assert Document.objects.get(pk=document.pk).retain_until > timezone.now() + timedelta(days=3000)
    assert services.purge_expired_documents() == 0
    assert services.purge_expired_documents(now=document.retain_until + timedelta(seconds=1)) == 1

    assert not list((media_root / "documents").rglob("*.pdf"))
    client = api_client_for("document-requester")
    metadata = client.get(f"/v1/documents/{document.pk}").json()
    assert metadata["contentDeletedAt"] is not None and metadata["sha256"] == document.sha256
    response = client.get(f"/v1/documents/{document.pk}/content")
    assert response.status_code == 404
    assert "deleted at the end of its retention" in response.json()["detail"]


def test_the_case_history_shows_each_generated_document(api_client_for, decision_template):
    CaseType.objects.create(name="loan", statuses=["submitted"], initial_statuses=["submitted"], transitions={})
    case = create_case(case_number="LN-300", case_type="loan", actor="anna")
    write_business_data(data=loan_data(caseNumber="LN-300"), actor="anna", business_key="LN-300")
    for _ in range(2):
        request = services.request_generation(template_code="decision", case_number="LN-300", actor="anna")
        services.render_generation_request(request.pk)

    history = api_client_for("case-reader").get(f"/v1/cases/{case.pk}/history").json()["results"]
    generated = [entry for entry in history if entry["kind"] == "document.generated"]
    documents = Document.objects.filter(business_key="LN-300")
    assert sorted(entry["data"]["documentId"] for entry in generated) == sorted(str(d.pk) for d in documents)
    assert len(generated) == 2
