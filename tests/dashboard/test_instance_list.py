"""Process instance list: filters by process, state, incident; htmx gets only the results."""

from django.urls import reverse

from eximee import roles

from .conftest import htmx_get
from .factories import complete_scoring, fail_scoring, start_scoring

URL = "dashboard:instance-list"


def test_instance_readers_may_open_it_task_workers_may_not(dashboard_client_for):
    assert dashboard_client_for(roles.TASK_WORKER).get(reverse(URL)).status_code == 403
    assert dashboard_client_for(roles.OPERATOR).get(reverse(URL)).status_code == 200


def test_filters_by_process_state_and_incident(dashboard_client_for):
    wanted = start_scoring("loan-approval", business_key="LN-1")
    fail_scoring(wanted)
    start_scoring("loan-approval", business_key="LN-2")
    complete_scoring(start_scoring("loan-approval", business_key="LN-3"))
    fail_scoring(start_scoring("onboarding", business_key="ON-1"))
    client = dashboard_client_for(roles.OPERATOR)

    page = client.get(reverse(URL), {"process": "loan-approval", "state": "active", "incident": "true"})

    rows = list(page.context["table"].rows)
    assert [row.record.pk for row in rows] == [wanted.pk]


def test_an_htmx_request_gets_only_the_results(dashboard_client_for):
    start_scoring("loan-approval", business_key="LN-7")
    client = dashboard_client_for(roles.OPERATOR)

    response = htmx_get(client, reverse(URL), business_key="LN-7")

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "<nav" not in body
    assert "LN-7" in body


def test_no_match_shows_an_empty_state(dashboard_client_for):
    client = dashboard_client_for(roles.OPERATOR)

    response = client.get(reverse(URL), {"business_key": "nothing-like-this"})

    assert b'data-testid="empty-state"' in response.content


def test_an_invalid_filter_value_is_shown_next_to_the_field(dashboard_client_for):
    client = dashboard_client_for(roles.OPERATOR)

    response = client.get(reverse(URL), {"started_after": "not-a-date"})

    assert response.status_code == 200
    assert b"Enter a valid date." in response.content
    assert b'aria-invalid="true"' in response.content
