"""The overview: small SVG charts, each bar linking to the filtered list it counts."""

from django.urls import reverse

from eximee import roles
from eximee.dashboard import bar_chart, column_chart

from .factories import make_incident, make_instance, make_loan_case


def test_bars_scale_to_the_largest_value_and_keep_their_links():
    chart = bar_chart([("a", 10, "/a"), ("b", 5, "/b"), ("c", 0, "/c")])

    a, b, c = chart["bars"]
    assert a.width == 2 * b.width
    assert c.width == 0
    assert [bar.url for bar in chart["bars"]] == ["/a", "/b", "/c"]


def test_columns_stand_on_a_common_baseline():
    chart = column_chart([("1", 4, "/1"), ("2", 2, "/2")], height=80)

    first, second = chart["columns"]
    assert first.height == 80 and first.y == 0
    assert second.height == 40 and second.y == 40
    assert chart["total"] == 6


def test_operators_see_instances_by_process_and_state_linking_to_the_filtered_list(dashboard_client_for):
    make_instance("loan-approval", state="active")
    make_instance("loan-approval", state="active")
    make_instance("loan-approval", state="completed")

    page = dashboard_client_for(roles.OPERATOR).get(reverse("dashboard:overview")).content.decode()

    assert "loan-approval · active" in page
    assert f'{reverse("dashboard:instance-list")}?process=loan-approval&amp;state=active' in page
    assert "<svg" in page


def test_incidents_of_the_last_14_days_link_to_the_incident_list_of_that_day(dashboard_client_for):
    make_incident(make_instance("loan-approval"))
    make_incident(make_instance("loan-approval"))

    response = dashboard_client_for(roles.OPERATOR).get(reverse("dashboard:overview"))

    chart = response.context["incidents_by_day"]
    assert len(chart["columns"]) == 14 and chart["total"] == 2
    today = chart["columns"][-1]
    assert today.value == 2
    assert "created_after=" in today.url and reverse("dashboard:incident-list") in today.url


def test_case_readers_do_not_see_operator_charts(dashboard_client_for):
    response = dashboard_client_for(roles.CASE_READER).get(reverse("dashboard:overview"))

    assert response.status_code == 200
    assert "incidents_by_day" not in response.context and "instances_by_process" not in response.context


def test_case_readers_see_cases_by_status_linking_to_the_case_list(dashboard_client_for):
    make_loan_case("LN-1")
    make_loan_case("LN-2")

    response = dashboard_client_for(roles.CASE_READER).get(reverse("dashboard:overview"))

    [bar] = response.context["cases_by_status"]["bars"]
    assert (bar.label, bar.value) == ("loan-application · submitted", 2)
    assert bar.url == f'{reverse("dashboard:case-list")}?type=loan-application&status=submitted'


def test_an_auditor_without_chart_data_sees_an_empty_state(dashboard_client_for):
    response = dashboard_client_for(roles.AUDITOR).get(reverse("dashboard:overview"))

    assert b'data-testid="empty-state"' in response.content
