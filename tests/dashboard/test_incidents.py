"""Incidents: list with filters, detail with error details, single and bulk retry, annotation."""

from django.urls import reverse

from bpms.models import ExternalTask, Incident
from bpms.services import incidents
from eximee import roles

from .conftest import htmx_get
from .factories import make_incident, make_instance


def test_operators_and_auditors_may_read_task_workers_may_not(dashboard_client_for):
    url = reverse("dashboard:incident-list")
    assert dashboard_client_for(roles.OPERATOR).get(url).status_code == 200
    assert dashboard_client_for(roles.AUDITOR).get(url).status_code == 200
    assert dashboard_client_for(roles.TASK_WORKER).get(url).status_code == 403


def test_filters_open_incidents_of_one_process(dashboard_client_for):
    wanted = make_incident(make_instance("loan-approval"), message="Scoring service timed out")
    make_incident(make_instance("onboarding"), message="KYC down")
    resolved = make_incident(make_instance("loan-approval"), message="old")
    incidents.retry(resolved.pk, actor="olga")
    client = dashboard_client_for(roles.OPERATOR)

    response = htmx_get(client, reverse("dashboard:incident-list"), process="loan-approval", open="true")

    assert [row.record.pk for row in response.context["table"].rows] == [wanted.pk]
    assert b"Scoring service timed out" in response.content


def test_detail_shows_the_error_details(dashboard_client_for):
    incident = make_incident(make_instance("loan-approval"), message="boom", details="Traceback: line 1")

    page = dashboard_client_for(roles.AUDITOR).get(reverse("dashboard:incident-detail", args=[incident.pk]))

    assert b"Traceback: line 1" in page.content
    assert b"Retry</button>" not in page.content  # auditors read, they do not act


def test_retry_resolves_the_incident_and_says_so(dashboard_client_for):
    instance = make_instance("loan-approval")
    incident = make_incident(instance)
    client = dashboard_client_for(roles.OPERATOR, username="olga")

    response = client.post(reverse("dashboard:incident-retry", args=[incident.pk]), follow=True)

    incident.refresh_from_db()
    assert incident.resolution == "retried" and incident.resolved_by == "olga"
    assert ExternalTask.objects.get(pk=incident.configuration).retries == 1
    assert "The incident was retried" in response.content.decode()


def test_retrying_a_resolved_incident_shows_the_services_reason(dashboard_client_for):
    incident = make_incident(make_instance("loan-approval"))
    incidents.retry(incident.pk, actor="someone")
    client = dashboard_client_for(roles.OPERATOR)

    response = client.post(reverse("dashboard:incident-retry", args=[incident.pk]), follow=True)

    assert "was already resolved" in response.content.decode()


def test_bulk_retry_counts_what_succeeded(dashboard_client_for):
    first, second, done = (make_incident(make_instance("loan-approval")) for _ in range(3))
    incidents.retry(done.pk, actor="someone")
    client = dashboard_client_for(roles.OPERATOR)

    response = client.post(reverse("dashboard:incident-retry-bulk"),
                           {"incident": [str(first.pk), str(second.pk), str(done.pk)]}, follow=True)

    page = response.content.decode()
    assert "Retried 2 of 3 incidents." in page
    assert "already resolved" in page
    assert Incident.objects.filter(resolved_at__isnull=True).count() == 0


def test_auditors_may_not_retry(dashboard_client_for):
    incident = make_incident(make_instance("loan-approval"))

    response = dashboard_client_for(roles.AUDITOR).post(reverse("dashboard:incident-retry", args=[incident.pk]))

    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.is_open


def test_annotation_is_saved(dashboard_client_for):
    incident = make_incident(make_instance("loan-approval"))
    client = dashboard_client_for(roles.OPERATOR)

    client.post(reverse("dashboard:incident-annotate", args=[incident.pk]), {"annotation": "Called the vendor"})

    incident.refresh_from_db()
    assert incident.annotation == "Called the vendor"
