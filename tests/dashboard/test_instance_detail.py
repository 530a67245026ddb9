"""Instance detail: the diagram with its marks, the tabs, the timeline."""

from django.urls import reverse

from eximee import roles

from .factories import fail_scoring, start_loan_review, start_scoring


def test_the_diagram_marks_completed_and_active_activities(loan_review, dashboard_client_for):
    instance = start_loan_review("LN-1")

    response = dashboard_client_for(roles.OPERATOR).get(reverse("dashboard:instance-detail", args=[instance.pk]))

    assert response.status_code == 200
    marks = response.context["diagram_marks"]
    assert marks["completed"] == ["received"] and marks["active"] == ["check"]
    assert 'id="instance-diagram-marks"' in response.content.decode()


def test_tabs_show_variables_and_the_timeline(loan_review, dashboard_client_for):
    instance = start_loan_review("LN-9", actor="anna", amountRequested=25000)

    page = dashboard_client_for(roles.OPERATOR).get(
        reverse("dashboard:instance-detail", args=[instance.pk])).content.decode()

    assert "amountRequested" in page and "25000" in page
    assert f"loan-review v{instance.definition.version} started" in page and "by anna" in page


def test_task_workers_may_not_open_it(dashboard_client_for):
    instance = start_scoring()

    response = dashboard_client_for(roles.TASK_WORKER).get(reverse("dashboard:instance-detail", args=[instance.pk]))

    assert response.status_code == 403


def test_open_incidents_are_marked_on_their_activity(dashboard_client_for):
    instance = start_scoring()
    fail_scoring(instance, message="Scoring down")

    response = dashboard_client_for(roles.OPERATOR).get(reverse("dashboard:instance-detail", args=[instance.pk]))

    assert response.context["diagram_marks"]["incidents"] == {"score": 1}
    assert "Scoring down" in response.content.decode()
