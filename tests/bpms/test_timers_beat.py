"""Due timers are fired by Celery beat + a worker at their due time, not before, and within a few
of the scheduler's ticks after it."""

from datetime import timedelta

import pytest
from django.conf import settings

from bpms.models import Job, UserTask
from eximee.models import TimelineEvent

from .async_support import deploy, start, start_handler_worker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker_with_beat(tmp_path):
    from eximee.celery import app

    app.control.purge()
    worker = start_handler_worker("--beat", "--schedule", str(tmp_path / "beat-schedule"))
    yield worker
    worker.stop()


def test_timers_fire_at_their_due_time_and_within_a_few_scheduler_ticks(worker_with_beat):
    deploy("async_short_timer.bpmn")
    instances = [start("async-short-timer", variables={"wait": "PT3S"}) for _ in range(5)]
    due = {instance.id: Job.objects.get(process_instance=instance).due_at for instance in instances}

    wait_until(lambda: UserTask.objects.filter(task_definition_key="afterPause").count() == 5, timeout=30)

    for instance in instances:
        fired = TimelineEvent.objects.get(process_instance_id=instance.id, kind="timer.fired").occurred_at
        # Never early: the scheduler hands a timer out before it is due, with its due time as ETA.
        # Not late by more than a few ticks of the scheduler (about one on an idle machine): a
        # bound with room for a busy machine, which a timer left to a slower beat entry would break.
        assert timedelta(0) <= fired - due[instance.id] < timedelta(seconds=5 * settings.BPMS_JOB_TICK_SECONDS)
    assert not Job.objects.exists()
