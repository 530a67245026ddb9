"""Cases: list with filters, detail with data, processes and the history timeline, status change
through the cases service (transition rules and staleness are the service's)."""

from django.urls import reverse

from cases.models import Case
from cases.services.cases import change_status
from eximee import roles, timeline

from .conftest import htmx_get
from .factories import make_loan_case


def test_case_readers_list_and_filter_cases(dashboard_client_for):
    make_loan_case("LN-1")
    second = make_loan_case("LN-2")
    change_status(case_id=second.pk, status="in-review", actor="olga")
    client = dashboard_client_for(roles.CASE_READER)

    response = htmx_get(client, reverse("dashboard:case-list"), status="in-review")

    assert [row.record.case_number for row in response.context["table"].rows] == ["LN-2"]
    assert dashboard_client_for(roles.TASK_WORKER).get(reverse("dashboard:case-list")).status_code == 403


def test_detail_shows_the_case_history_from_every_app(dashboard_client_for):
    case = make_loan_case("LN-1")
    change_status(case_id=case.pk, status="in-review", reason="documents complete", actor="olga")
    timeline.record("document.generated", "Loan summary generated", business_key="LN-1", actor="system")

    page = dashboard_client_for(roles.CASE_READER).get(reverse("dashboard:case-detail", args=[case.pk]))

    kinds = [event.kind for event in page.context["history"]]
    assert kinds == ["case.created", "case.status-changed", "document.generated"]
    assert "Loan summary generated" in page.content.decode()


def test_a_case_writer_changes_the_status(dashboard_client_for):
    case = make_loan_case("LN-1")
    client = dashboard_client_for(roles.CASE_READER, roles.CASE_WRITER, username="olga")

    response = client.post(reverse("dashboard:case-detail", args=[case.pk]),
                           {"status": "in-review", "reason": "checked", "version": case.version}, follow=True)

    case.refresh_from_db()
    assert case.status == "in-review" and case.status_reason == "checked"
    assert "The case is now in-review." in response.content.decode()


def test_a_transition_the_type_does_not_allow_shows_the_services_explanation(dashboard_client_for):
    case = make_loan_case("LN-1")
    client = dashboard_client_for(roles.CASE_READER, roles.CASE_WRITER)

    response = client.post(reverse("dashboard:case-detail", args=[case.pk]),
                           {"status": "approved", "version": case.version}, follow=True)

    assert "allowed: in-review" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "submitted"


def test_a_stale_page_does_not_overwrite_a_newer_change(dashboard_client_for):
    case = make_loan_case("LN-1")
    seen_version = case.version
    change_status(case_id=case.pk, status="in-review", actor="someone else")
    client = dashboard_client_for(roles.CASE_READER, roles.CASE_WRITER)

    response = client.post(reverse("dashboard:case-detail", args=[case.pk]),
                           {"status": "rejected", "version": seen_version}, follow=True)

    assert "has changed since version" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "in-review"


def test_case_readers_may_not_change_status(dashboard_client_for):
    case = make_loan_case("LN-1")

    response = dashboard_client_for(roles.CASE_READER).post(reverse("dashboard:case-detail", args=[case.pk]),
                                                            {"status": "in-review", "version": case.version})

    assert response.status_code == 403
