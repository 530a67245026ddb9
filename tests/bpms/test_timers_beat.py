"""Due timers are fired by Celery beat + a worker within about a second of their due time."""

from datetime import timedelta

import pytest

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


def test_timers_fire_within_about_a_second_of_their_due_time(worker_with_beat):
    deploy("async_short_timer.bpmn")
    instances = [start("async-short-timer", variables={"wait": "PT3S"}) for _ in range(5)]
    due = {instance.id: Job.objects.get(process_instance=instance).due_at for instance in instances}

    wait_until(lambda: UserTask.objects.filter(task_definition_key="afterPause").count() == 5, timeout=30)

    for instance in instances:
        fired = TimelineEvent.objects.get(process_instance_id=instance.id, kind="timer.fired").occurred_at
        assert timedelta(0) <= fired - due[instance.id] < timedelta(seconds=1.5)
    assert not Job.objects.exists()
