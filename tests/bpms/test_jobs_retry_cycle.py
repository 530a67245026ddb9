"""camunda:failedJobRetryTimeCycle on async continuations and timer events (not only on service
tasks): the cycle sets a job's retries and the wait before each retry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bpms.models import Incident, Job
from bpms.services import jobs

from .async_support import deploy, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def instance():
    deploy("async_retry_cycles.bpmn")
    return start("async-retry-cycles")


def job_at(instance, activity_id):
    return Job.objects.get(process_instance=instance, activity_id=activity_id)


def test_each_job_takes_its_activitys_cycle(instance):
    assert {job.activity_id: (job.type, job.retry_time_cycle, job.retries)
            for job in Job.objects.filter(process_instance=instance)} == {
        "route": ("continuation", "R2/PT10M", 2),
        "pause": ("timer", "PT1M,PT5M,PT30M", 3),
        "deadlinePassed": ("timer", "R7/PT2M", 7),
    }


def test_a_failing_continuation_waits_as_its_cycle_says_then_opens_an_incident(instance):
    job = job_at(instance, "route")

    before = timezone.now()
    jobs.execute(job.id)
    job.refresh_from_db()
    assert job.retries == 1
    assert before + timedelta(minutes=10) <= job.due_at <= timezone.now() + timedelta(minutes=10)
    assert "amount" in job.exception_message

    jobs.execute(job.id)
    job.refresh_from_db()
    assert job.retries == 0
    assert Incident.objects.get(process_instance=instance).configuration == str(job.id)


def test_a_failing_timer_backs_off_through_its_list_of_waits(instance):
    job = job_at(instance, "pause")

    waits = []
    for _ in range(2):
        before = timezone.now()
        jobs.execute(job.id)
        job.refresh_from_db()
        waits.append(round((job.due_at - before).total_seconds() / 60))
    assert waits == [1, 5]
    assert job.retries == 1 and "deadline" in job.exception_message
    assert not Incident.objects.filter(process_instance=instance).exists()
