"""Documents: requests with live status (the results poll themselves while a render is pending),
download when done."""

import pytest
from django.urls import reverse

from documents.models import GenerationRequest
from documents.services import render_generation_request
from eximee import roles

from .conftest import htmx_get
from .factories import make_loan_case, publish_pdf_template


@pytest.fixture
def template(db):
    make_loan_case("LN-1", business_data={"applicant": {"name": "Jan Kowalski"}, "amount": 25000})
    return publish_pdf_template()


def test_a_request_made_on_the_page_is_queued_and_the_list_polls(template, dashboard_client_for):
    client = dashboard_client_for(roles.DOCUMENT_REQUESTER)

    response = client.post(reverse("dashboard:document-request"),
                           {"template_code": "loan-summary", "case_number": "LN-1"}, follow=True)

    generation = GenerationRequest.objects.get()
    assert generation.status == GenerationRequest.Status.QUEUED and generation.business_key == "LN-1"
    assert "was requested" in response.content.decode()
    assert response.context["polling"] is True
    assert 'hx-trigger="every 2s"' in response.content.decode()


def test_when_the_render_is_done_polling_stops_and_the_file_can_be_downloaded(template, dashboard_client_for):
    client = dashboard_client_for(roles.DOCUMENT_REQUESTER)
    client.post(reverse("dashboard:document-request"), {"template_code": "loan-summary", "case_number": "LN-1"})
    generation = GenerationRequest.objects.get()
    render_generation_request(str(generation.pk))

    partial = htmx_get(client, reverse("dashboard:document-list"))

    assert partial.context["polling"] is False
    generation.refresh_from_db()
    link = reverse("v1:document-content", args=[generation.document_id])
    assert link in partial.content.decode()
    assert client.get(link).status_code == 200


def test_an_unknown_case_is_reported(template, dashboard_client_for):
    client = dashboard_client_for(roles.DOCUMENT_REQUESTER)

    response = client.post(reverse("dashboard:document-request"),
                           {"template_code": "loan-summary", "case_number": "NOPE"}, follow=True)

    assert not GenerationRequest.objects.exists()
    assert response.context["messages"] and "NOPE" in response.content.decode()


def test_only_document_requesters_see_documents(dashboard_client_for):
    assert dashboard_client_for(roles.OPERATOR).get(reverse("dashboard:document-list")).status_code == 403
