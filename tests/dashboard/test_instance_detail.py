"""Instance detail: the diagram with its marks, the tabs, the timeline."""


from django.urls import reverse
from django.utils import timezone

from bpms.models import ActivityInstance, ProcessVariable
from eximee import roles, timeline

from .factories import make_incident, make_instance


def test_the_diagram_marks_completed_and_active_activities(dashboard_client_for):
    instance = make_instance("loan-approval", active_activity_ids=["review"])
    now = timezone.now()
    ActivityInstance.objects.create(process_instance=instance, engine_task_id="1", activity_id="start",
                                    activity_type="startEvent", started_at=now, ended_at=now)
    ActivityInstance.objects.create(process_instance=instance, engine_task_id="2", activity_id="review",
                                    activity_type="userTask", started_at=now)

    response = dashboard_client_for(roles.OPERATOR).get(reverse("dashboard:instance-detail", args=[instance.pk]))

    assert response.status_code == 200
    marks = response.context["diagram_marks"]
    assert marks["completed"] == ["start"] and marks["active"] == ["review"]
    assert 'id="instance-diagram-marks"' in response.content.decode()


def test_tabs_show_variables_and_the_timeline(dashboard_client_for):
    instance = make_instance("loan-approval", business_key="LN-9")
    ProcessVariable.objects.create(process_instance=instance, name="amountRequested", type="integer", value=25000)
    timeline.record("process.started", "Started loan-approval", process_instance_id=instance.pk,
                    business_key="LN-9", actor="anna")

    page = dashboard_client_for(roles.OPERATOR).get(
        reverse("dashboard:instance-detail", args=[instance.pk])).content.decode()

    assert "amountRequested" in page and "25000" in page
    assert "Started loan-approval" in page and "by anna" in page


def test_task_workers_may_not_open_it(dashboard_client_for):
    instance = make_instance("loan-approval")

    response = dashboard_client_for(roles.TASK_WORKER).get(reverse("dashboard:instance-detail", args=[instance.pk]))

    assert response.status_code == 403


def test_open_incidents_are_marked_on_their_activity(dashboard_client_for):
    instance = make_instance("loan-approval")
    make_incident(instance, activity_id="score", message="Scoring down")

    response = dashboard_client_for(roles.OPERATOR).get(reverse("dashboard:instance-detail", args=[instance.pk]))

    assert response.context["diagram_marks"]["incidents"] == {"score": 1}
    assert "Scoring down" in response.content.decode()
