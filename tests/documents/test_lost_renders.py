"""A render whose worker died is never left `running`: after its lease it is queued again, and
after DOCUMENTS_MAX_ATTEMPTS started renders it fails with the reason."""

import os
import signal
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from documents import services
from documents.models import GenerationRequest
from eximee.celery import app
from eximee.models import OutboxMessage
from tests.conftest import CeleryWorker

from .support import loan_data, published, wait_until, wait_until_finished

pytestmark = pytest.mark.django_db


def running_request(template, *, attempts, lease_in):
    request = services.request_generation(template_code=template.code, data=loan_data(), actor="t")
    GenerationRequest.objects.filter(pk=request.pk).update(
        status="running", attempts=attempts, lease_expires_at=timezone.now() + lease_in)
    return request


def test_a_live_lease_is_left_alone(decision_template):
    request = running_request(decision_template, attempts=1, lease_in=timedelta(minutes=1))
    assert services.recover_lost_renders() == (0, 0)
    services.render_generation_request(request.pk)  # a duplicate delivery while the owner renders
    assert GenerationRequest.objects.get(pk=request.pk).status == "running"


def test_an_expired_lease_is_queued_again_and_then_rendered(decision_template):
    request = running_request(decision_template, attempts=1, lease_in=timedelta(seconds=-1))
    assert services.recover_lost_renders() == (1, 0)
    assert GenerationRequest.objects.get(pk=request.pk).status == "queued"
    assert OutboxMessage.objects.filter(task_name="documents.render", args=[str(request.pk)]).count() == 2
    services.render_generation_request(request.pk)
    done = GenerationRequest.objects.get(pk=request.pk)
    assert (done.status, done.attempts) == ("done", 2)


def test_after_the_last_attempt_it_fails_with_the_reason(decision_template):
    request = running_request(decision_template, attempts=settings.DOCUMENTS_MAX_ATTEMPTS,
                              lease_in=timedelta(seconds=-1))
    assert services.recover_lost_renders() == (0, 1)
    failed = GenerationRequest.objects.get(pk=request.pk)
    assert failed.status == "failed"
    assert failed.error == "The worker rendering this document stopped 3 times without finishing (killed or lost); " \
                           "giving up."


def test_a_late_result_of_a_superseded_attempt_is_discarded(decision_template, media_root):
    request = running_request(decision_template, attempts=1, lease_in=timedelta(seconds=-1))
    lost = services._claim(request.pk)  # attempt 2 starts, then its worker stalls past the lease
    GenerationRequest.objects.filter(pk=request.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    services.render_generation_request(request.pk)  # attempt 3 renders and finishes
    services._store(lost, services.rendering.render(lost.template, lost.data))  # attempt 2 wakes up
    done = GenerationRequest.objects.get(pk=request.pk)
    assert (done.status, done.attempts) == ("done", 3)
    assert len(list((media_root / "documents").rglob("*.pdf"))) == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_is_recovered(settings):
    slow = published(code="slow", body="{% for n in range(rows) %}<p>Wiersz {{ n }}</p>{% endfor %}",
                     sample_data={"rows": 1})
    app.control.purge()
    worker = CeleryWorker(settings.DATABASES["default"]["NAME"]).start()
    try:
        request = services.request_generation(template_code=slow.code, data={"rows": 40000}, actor="t")
        wait_until(lambda: GenerationRequest.objects.filter(pk=request.pk, status="running").exists())
        os.killpg(worker.process.pid, signal.SIGKILL)
        worker.process.wait()
    finally:
        worker.stop()
    assert GenerationRequest.objects.get(pk=request.pk).status == "running"

    # Once the lease has run out, the sweep re-queues it; a new worker finishes it.
    # (Smaller data this time, so the test does not wait for the slow render.)
    app.control.purge()
    GenerationRequest.objects.filter(pk=request.pk).update(lease_expires_at=timezone.now(), data={"rows": 50})
    assert services.recover_lost_renders() == (1, 0)
    worker = CeleryWorker(settings.DATABASES["default"]["NAME"]).start()
    try:
        done = wait_until_finished(request.pk)
    finally:
        worker.stop()
    assert (done.status, done.attempts) == ("done", 2)
