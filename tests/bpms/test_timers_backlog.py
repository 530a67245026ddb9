"""A backlog of timers the scheduler finds already due goes to the workers in chunks
(bpms.execute_jobs); each timer fires once and is audited once, as when sent one by one."""

import pytest
from django.utils import timezone

from bpms.models import Job, UserTask
from bpms.services import jobs
from eximee.models import AuditEntry, TimelineEvent

from .async_support import deploy, handler_worker, start, wait_until  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backlog_of_due_timers_fires_each_timer_once(handler_worker):
    deploy("async_short_timer.bpmn")
    instances = [start("async-short-timer", variables={"wait": "PT1H"}) for _ in range(40)]
    Job.objects.filter(process_instance__in=instances).update(due_at=timezone.now())

    assert jobs.acquire_due() == 40
    assert jobs.acquire_due() == 0   # handed out: locked until they run

    wait_until(lambda: UserTask.objects.filter(task_definition_key="afterPause").count() == 40, timeout=120)
    assert not Job.objects.exists()
    assert TimelineEvent.objects.filter(kind="timer.fired").count() == 40
    wait_until(lambda: AuditEntry.objects.filter(operation="bpms.job.execute", outcome="success").count() == 40)
