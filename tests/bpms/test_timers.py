"""Timers as jobs: listed for operators, run now through the API (a one-hour timer without waiting
an hour), event-based gateway races, timers of a left branch deleted."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bpms.models import EventSubscription, Job, UserTask
from bpms.services import jobs, tasks

from .async_support import deploy, start, wait_until

pytestmark = pytest.mark.django_db


def open_tasks(instance):
    return set(UserTask.objects.filter(process_instance=instance, state=UserTask.CREATED)
               .values_list("task_definition_key", flat=True))


@pytest.fixture
def operator(api_client_for):
    return api_client_for("operator")


def test_a_timer_boundary_on_a_user_task_fires_when_executed(operator):
    deploy("async_boundaries.bpmn")
    instance = start("async-boundaries")

    [job] = operator.get("/v1/jobs", {"processInstanceId": str(instance.id)}).json()["results"]
    assert (job["type"], job["activityId"], job["kind"], job["retries"]) == ("timer", "deadline", "boundary", 3)
    due = timezone.datetime.fromisoformat(job["dueDate"])
    assert timedelta(minutes=59) < due - timezone.now() <= timedelta(hours=1)

    response = operator.post(f"/v1/jobs/{job['id']}/execute")

    assert response.status_code == 204, response.content
    assert open_tasks(instance) == {"escalate"}
    assert not Job.objects.filter(process_instance=instance).exists()
    assert not EventSubscription.objects.filter(process_instance=instance).exists()


def test_a_timer_fires_without_reading_its_process_definition():
    deploy("async_boundaries.bpmn")
    first, second = start("async-boundaries"), start("async-boundaries")
    assert jobs.execute(Job.objects.get(process_instance=first).id)   # the engine has the definition cached now

    with CaptureQueriesContext(connection) as queries:
        assert jobs.execute(Job.objects.get(process_instance=second).id)

    assert open_tasks(second) == {"escalate"}
    assert not [q["sql"] for q in queries if "bpms_processdefinition" in q["sql"]]


def test_completing_the_task_deletes_its_boundary_timer(make_user):
    deploy("async_boundaries.bpmn")
    instance = start("async-boundaries")
    task = UserTask.objects.get(process_instance=instance, task_definition_key="review")

    tasks.complete(make_user("root", "admin"), task.id, variables={})

    assert not Job.objects.filter(process_instance=instance).exists()


def test_event_based_gateway_message_wins_and_the_timer_is_gone(api_client_for):
    deploy("async_event_gateway.bpmn")
    instance = start("async-event-gateway", business_key="Q-1")
    assert Job.objects.filter(process_instance=instance, kind="event-gateway").exists()

    response = api_client_for("event-publisher").post("/v1/messages", {"messageName": "Answer", "businessKey": "Q-1"},
                                                      format="json")

    assert response.status_code == 200
    assert open_tasks(instance) == {"processAnswer"}
    assert not Job.objects.filter(process_instance=instance).exists()


def test_a_message_wins_over_a_gateway_timer_that_is_due_but_not_fired_yet(api_client_for):
    deploy("async_event_gateway.bpmn")
    instance = start("async-event-gateway", business_key="Q-3")
    timer = Job.objects.get(process_instance=instance)
    wait_until(lambda: timezone.now() > timer.due_at)  # due; no scheduler runs in this test

    response = api_client_for("event-publisher").post("/v1/messages", {"messageName": "Answer", "businessKey": "Q-3"},
                                                      format="json")

    assert response.status_code == 200
    assert open_tasks(instance) == {"processAnswer"}  # not the timer's branch as well
    assert not Job.objects.filter(process_instance=instance).exists()


def test_event_based_gateway_timer_wins_and_the_subscription_is_gone(operator):
    deploy("async_event_gateway.bpmn")
    instance = start("async-event-gateway", business_key="Q-2")
    job = Job.objects.get(process_instance=instance)

    assert operator.post(f"/v1/jobs/{job.id}/execute").status_code == 204

    assert open_tasks(instance) == {"chase"}
    assert not EventSubscription.objects.filter(process_instance=instance).exists()


def test_jobs_api_errors(operator, api_client_for):
    assert operator.post("/v1/jobs/00000000-0000-0000-0000-000000000000/execute").status_code == 404
    assert operator.get("/v1/jobs", {"type": "nonsense"}).status_code == 400
    assert api_client_for("task-worker").get("/v1/jobs").status_code == 403
