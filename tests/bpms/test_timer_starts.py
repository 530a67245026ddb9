"""Timer start events: literal dates, durations and cycles and `${...}` expressions become jobs of
the latest version; each firing starts an instance at its start event; a cycle re-arms until its
repetitions are used up; a model whose timer start expression needs an instance's variables is
refused at deployment."""

from datetime import datetime, timedelta, timezone as tz

import pytest

from bpms.models import Job, ProcessInstance, UserTask
from bpms.services import jobs, timer_starts

from .async_support import deploy
from .engine_support import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def definition():
    deploy("timer_starts.bpmn")
    timer_starts.schedule()
    return ProcessInstance._meta.apps.get_model("bpms", "ProcessDefinition").objects.get(key="timer-started")


def start_jobs():
    return {job.activity_id: job for job in Job.objects.filter(type=Job.TIMER_START)}


def test_literal_and_expression_timers_are_scheduled(definition):
    deployed = definition.created_at
    scheduled = {activity: (job.due_at, job.cycle) for activity, job in start_jobs().items()}

    assert scheduled == {
        "onDate": (datetime(2030, 1, 15, 8, tzinfo=tz.utc), ""),
        "afterDeploy": (deployed + timedelta(hours=1), ""),
        "everyTenMinutes": (deployed + timedelta(minutes=10), "R2/PT10M"),
        "onExpressionDate": (datetime(2031, 3, 1, 12, tzinfo=tz.utc), ""),
        "everyExpressionHour": (deployed + timedelta(hours=1), "R/PT1H"),
    }
    assert timer_starts.schedule() == 0  # once per start event


def test_each_firing_starts_an_instance_at_its_start_event(definition):
    assert jobs.execute(start_jobs()["onDate"].id) is True

    instance = ProcessInstance.objects.get(process_definition_key="timer-started")
    assert UserTask.objects.filter(process_instance=instance, task_definition_key="work").exists()
    fired = start_jobs()["onDate"]
    assert (fired.kind, fired.retries) == ("fired", 0)  # a date fires once
    assert timer_starts.schedule() == 0  # and is not scheduled anew


def test_a_cycle_rearms_until_its_repetitions_are_used(definition):
    first_due = start_jobs()["everyTenMinutes"].due_at

    jobs.execute(start_jobs()["everyTenMinutes"].id)
    rearmed = start_jobs()["everyTenMinutes"]
    jobs.execute(rearmed.id)

    assert (rearmed.due_at, rearmed.cycle) == (first_due + timedelta(minutes=10), "R1/PT10M")
    assert start_jobs()["everyTenMinutes"].kind == "fired"
    assert ProcessInstance.objects.filter(process_definition_key="timer-started").count() == 2


def test_an_unbounded_expression_cycle_keeps_rearming(definition):
    job = start_jobs()["everyExpressionHour"]
    for _ in range(3):
        jobs.execute(job.id)
    job.refresh_from_db()
    assert (job.cycle, job.kind) == ("R/PT1H", "start")
    assert job.due_at == definition.created_at + timedelta(hours=4)


def test_a_new_version_replaces_the_timers_of_the_old_one(definition):
    deploy("timer_starts.bpmn")
    timer_starts.schedule()

    versions = set(Job.objects.filter(type=Job.TIMER_START).values_list("process_definition__version", flat=True))
    assert versions == {2}


def test_a_timer_start_expression_that_needs_variables_is_refused_at_deployment(api_client_for):
    response = upload(api_client_for("deployer"), "timer_start_needs_instance.bpmn")

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["elementId"] == "afterDelay" and "reminderDelay" in error["detail"]
