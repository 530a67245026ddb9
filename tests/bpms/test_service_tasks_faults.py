"""Faults: a worker killed with SIGKILL in the middle of a handler, and a broker that is down when
work is created. Real worker processes, real Redis; the outage is a producer whose broker URL points
at a closed port."""

import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings

from bpms.engine import get_engine
from bpms.models import ActivityInstance, ExternalTask, ProcessInstance, UserTask
from eximee import outbox
from eximee.models import OutboxMessage
from tests.conftest import ROOT, _worker_env

from .async_support import deploy, start, start_handler_worker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workers(monkeypatch):
    from eximee.celery import app

    # The lock of a handler run expires before the broker redelivers a dead worker's task (10 s).
    monkeypatch.setenv("BPMS_HANDLER_LOCK_SECONDS", "3")
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", "10")
    app.control.purge()
    started = []

    def start_one():
        started.append(start_handler_worker())
        return started[-1]

    yield start_one
    for worker in started:
        worker.stop()


def test_a_worker_killed_mid_handler_leaves_the_task_to_be_redone_once(workers, tmp_path):
    deploy("async_service_task.bpmn")
    log = tmp_path / "runs.log"
    first = workers()
    instance = start("async-service-task", variables={"topic": "test.slow", "runLog": str(log), "sleepSeconds": 4})

    wait_until(lambda: log.exists() and "start" in log.read_text())
    first.stop(signal.SIGKILL)
    workers()

    wait_until(lambda: UserTask.objects.filter(process_instance=instance, task_definition_key="afterWork").exists(),
               timeout=60)
    lines = log.read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["start", "start", "done"]
    time.sleep(1)   # a second completion would show as a second task and a second history entry
    assert UserTask.objects.filter(process_instance=instance, task_definition_key="afterWork").count() == 1
    work = ActivityInstance.objects.filter(process_instance=instance, activity_id="work")
    assert work.count() == 1 and work.get().ended_at is not None
    assert not ExternalTask.objects.filter(process_instance=instance).exists()
    after_work = UserTask.objects.get(process_instance=instance, task_definition_key="afterWork")
    get_engine().complete_user_task(after_work.id, variables={}, actor="tester")
    assert ProcessInstance.objects.get(id=instance.id).state == ProcessInstance.COMPLETED


PRODUCER = """
import django
django.setup()
import tests.bpms.handlers_for_tests
from bpms.services.instances import start_process_instance
for n in range(3):
    start_process_instance(process_definition_key="async-service-task", variables={"topic": "test.echo", "input": n},
                           actor="outage")
for n in range(2):
    start_process_instance(process_definition_key="async-continuation", actor="outage")
"""


def test_work_created_while_the_broker_is_down_is_done_once_it_is_back(workers):
    deploy("async_service_task.bpmn", "async_continuation.bpmn")
    env = {**_worker_env(settings.DATABASES["default"]["NAME"]), "CELERY_BROKER_URL": "redis://127.0.0.1:9/0",
           "DJANGO_SETTINGS_MODULE": "eximee.settings"}

    subprocess.run([sys.executable, "-c", PRODUCER], cwd=ROOT, env=env, check=True, timeout=120)

    unsent = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert unsent.count() == 5 and all(message.last_error for message in unsent)
    workers()

    def all_done():
        outbox.relay_pending()
        ended_waiting = UserTask.objects.filter(task_definition_key__in=["afterWork", "step"]).count()
        return ended_waiting == 5

    wait_until(all_done, timeout=60, interval=0.5)
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert ProcessInstance.objects.filter(started_by="outage").count() == 5
    time.sleep(1)   # a second delivery would show as a second task
    assert UserTask.objects.filter(task_definition_key__in=["afterWork", "step"]).count() == 5
