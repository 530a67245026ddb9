"""End to end through the API with a real Celery worker writing real files."""

import base64
import hashlib

import pytest

from datamodel.services import write_business_data
from eximee.models import TimelineEvent

from .support import POLISH, docx_text, loan_data, pdf_pages, published, wait_until_finished, word_template

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/v1/documents/generation-requests"


@pytest.fixture
def client(api_client_for):
    return api_client_for("document-requester")


def generate(client, body):
    response = client.post(URL, body, format="json")
    assert response.status_code == 202, response.json()
    wait_until_finished(response.json()["id"])
    return client.get(response["Location"]).json()


def test_pdf_is_rendered_stored_and_downloadable(celery_worker, client, decision_template):
    data = loan_data(applicant={"firstName": "Źdźisław", "lastName": POLISH})
    status = generate(client, {"templateCode": "decision", "outputFormat": "pdf", "data": data,
                               "fileName": "decyzja-żółta"})
    assert status["status"] == "done", status["error"]
    assert status["documentUrl"].endswith(f"/v1/documents/{status['documentId']}/content")

    metadata = client.get(f"/v1/documents/{status['documentId']}").json()
    download = client.get(status["documentUrl"])
    content = b"".join(download.streaming_content)
    digest = hashlib.sha256(content)
    assert download.status_code == 200
    assert download["Content-Type"] == metadata["contentType"] == "application/pdf"
    assert download["Content-Length"] == str(len(content)) == str(metadata["size"])
    assert download["Content-Disposition"] == "attachment; filename*=utf-8''decyzja-%C5%BC%C3%B3%C5%82ta.pdf"
    assert download["X-Checksum-SHA256"] == metadata["sha256"] == digest.hexdigest()
    assert download["Repr-Digest"] == f"sha-256=:{base64.b64encode(digest.digest()).decode()}:"
    text = pdf_pages(content)[0]
    assert f"Wnioskodawca: Źdźisław {POLISH}" in text and "Kwota: 125000 PLN" in text
    assert metadata["pageCount"] == 1 and metadata["retainUntil"] > metadata["createdAt"]


def test_multi_page_table_with_page_numbers(celery_worker, client, schedule_template):
    installments = [{"number": n, "amount": "1 234,56 zł"} for n in range(1, 101)]
    status = generate(client, {"templateCode": "schedule", "data": {"applicant": {"lastName": "Łęcka"},
                                                                    "installments": installments}})
    pages = pdf_pages(b"".join(client.get(status["documentUrl"]).streaming_content))
    assert len(pages) >= 2
    assert [f"Strona {n} z {len(pages)}" in text for n, text in enumerate(pages, 1)] == [True] * len(pages)
    assert "Rata 100" in pages[-1] and "1 234,56 zł" in pages[-1]


def test_docx_is_rendered(celery_worker, client):
    published(code="letter", output_format="docx", sample_data={"name": "x"},
              docx_content=word_template("Szanowny Panie {{ name }},", "dziękujemy."))
    status = generate(client, {"templateCode": "letter", "outputFormat": "docx", "data": {"name": POLISH}})
    download = client.get(status["documentUrl"])
    assert download["Content-Type"].endswith("wordprocessingml.document")
    assert f"Szanowny Panie {POLISH}," in docx_text(b"".join(download.streaming_content))


def test_missing_variable_fails_with_a_readable_reason(celery_worker, client, decision_template):
    status = generate(client, {"templateCode": "decision", "data": {"caseNumber": "LN-5", "amount": 1}})
    assert status["status"] == "failed"
    assert status["error"] == "Missing template variable: 'applicant' is undefined (template line 2)"
    assert status["documentId"] is None
    assert TimelineEvent.objects.filter(kind="document.failed", data__error=status["error"]).exists()


def test_a_url_smuggled_in_through_the_data_is_blocked(celery_worker, client):
    published(code="photo", body='{% if photo is defined %}<img src="{{ photo }}">{% endif %}<p>{{ name }}</p>',
              sample_data={"name": "x"})
    for url in ("file:///etc/passwd", "http://10.255.255.1/x.png"):
        status = generate(client, {"templateCode": "photo", "data": {"name": "x", "photo": url}})
        assert status["status"] == "failed"
        assert status["error"] == f"Blocked: the template may only load its own assets, not {url}"


def test_repeated_idempotent_requests_make_one_document(celery_worker, client, decision_template):
    body = {"templateCode": "decision", "caseNumber": "LN-7"}
    write_business_data(data=loan_data(caseNumber="LN-7"), actor="t", business_key="LN-7")
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="once")
    second = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="once")
    assert first.json()["id"] == second.json()["id"]
    done = wait_until_finished(first.json()["id"])
    assert done.status == "done"
    assert done.document.business_key == "LN-7"
    kinds = TimelineEvent.objects.filter(business_key="LN-7", kind__startswith="document.").values_list(
        "kind", flat=True)
    assert list(kinds) == ["document.requested", "document.generated"]
