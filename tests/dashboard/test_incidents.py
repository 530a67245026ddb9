"""Incidents: list with filters, detail with error details, single and bulk retry, annotation."""

from django.urls import reverse

from bpms.models import ExternalTask, Incident
from eximee import roles

from .conftest import htmx_get
from .factories import fail_scoring, retry_incident, start_scoring


def test_operators_and_auditors_may_read_task_workers_may_not(dashboard_client_for):
    url = reverse("dashboard:incident-list")
    assert dashboard_client_for(roles.OPERATOR).get(url).status_code == 200
    assert dashboard_client_for(roles.AUDITOR).get(url).status_code == 200
    assert dashboard_client_for(roles.TASK_WORKER).get(url).status_code == 403


def test_filters_open_incidents_of_one_process(dashboard_client_for):
    wanted = fail_scoring(start_scoring("loan-approval"), message="Scoring service timed out")
    fail_scoring(start_scoring("onboarding"), message="KYC down")
    resolved = fail_scoring(start_scoring("loan-approval"), message="old")
    retry_incident(resolved, actor="olga")
    client = dashboard_client_for(roles.OPERATOR)

    response = htmx_get(client, reverse("dashboard:incident-list"), process="loan-approval", open="true")

    assert [row.record.pk for row in response.context["table"].rows] == [wanted.pk]
    assert b"Scoring service timed out" in response.content


def test_detail_shows_the_error_details(dashboard_client_for):
    incident = fail_scoring(start_scoring(), message="boom", details="Traceback: line 1")

    page = dashboard_client_for(roles.AUDITOR).get(reverse("dashboard:incident-detail", args=[incident.pk]))

    assert b"Traceback: line 1" in page.content
    assert b"Retry</button>" not in page.content  # auditors read, they do not act


def test_retry_resolves_the_incident_and_says_so(dashboard_client_for):
    incident = fail_scoring(start_scoring())
    client = dashboard_client_for(roles.OPERATOR, username="olga")

    response = client.post(reverse("dashboard:incident-retry", args=[incident.pk]), follow=True)

    incident.refresh_from_db()
    assert incident.resolution == "retried" and incident.resolved_by == "olga"
    assert ExternalTask.objects.get(pk=incident.configuration).retries == 1
    assert "The incident was retried" in response.content.decode()


def test_retrying_a_resolved_incident_shows_the_services_reason(dashboard_client_for):
    incident = fail_scoring(start_scoring())
    retry_incident(incident)
    client = dashboard_client_for(roles.OPERATOR)

    response = client.post(reverse("dashboard:incident-retry", args=[incident.pk]), follow=True)

    assert "was already resolved" in response.content.decode()


def test_bulk_retry_counts_what_succeeded(dashboard_client_for):
    first, second, done = (fail_scoring(start_scoring()) for _ in range(3))
    retry_incident(done)
    client = dashboard_client_for(roles.OPERATOR)

    response = client.post(reverse("dashboard:incident-retry-bulk"),
                           {"incident": [str(first.pk), str(second.pk), str(done.pk)]}, follow=True)

    page = response.content.decode()
    assert "Retried 2 of 3 incidents." in page
    assert "already resolved" in page
    assert Incident.objects.filter(resolved_at__isnull=True).count() == 0


def test_auditors_may_not_retry(dashboard_client_for):
    incident = fail_scoring(start_scoring())

    response = dashboard_client_for(roles.AUDITOR).post(reverse("dashboard:incident-retry", args=[incident.pk]))

    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.is_open


def test_annotation_is_saved(dashboard_client_for):
    incident = fail_scoring(start_scoring())
    client = dashboard_client_for(roles.OPERATOR)

    client.post(reverse("dashboard:incident-annotate", args=[incident.pk]), {"annotation": "Called the vendor"})

    incident.refresh_from_db()
    assert incident.annotation == "Called the vendor"
