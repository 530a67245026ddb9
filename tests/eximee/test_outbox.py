from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from kombu import pools

from eximee import outbox
from eximee.celery import app
from eximee.models import IdempotencyRecord, OutboxMessage
from tests.bpms.async_support import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def expired_record(key):
    record = IdempotencyRecord.objects.create(principal="p", key=key, method="POST", path="/x", request_hash="h")
    IdempotencyRecord.objects.filter(pk=record.pk).update(created=timezone.now() - timedelta(days=30))
    return record


def reset_connections():
    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu keeps producer pools per broker URL process-wide


class broker_down:
    """Points the Celery app at a port where no broker listens, then back."""

    def __enter__(self):
        app.conf.broker_write_url = "redis://127.0.0.1:1/0"
        app.conf.task_publish_retry = False
        reset_connections()
        return self

    def __exit__(self, *exc):
        app.conf.broker_write_url = None
        app.conf.task_publish_retry = True
        reset_connections()


def test_nothing_is_sent_before_commit_and_a_rolled_back_enqueue_is_never_sent():
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            outbox.enqueue("eximee.purge_idempotency_records")
            raise RuntimeError("the change fails")
    assert not OutboxMessage.objects.exists()


def test_message_is_sent_after_commit_and_run_by_the_worker(celery_worker):
    record = expired_record("after-commit")
    with transaction.atomic():
        outbox.enqueue("eximee.purge_idempotency_records")
    assert OutboxMessage.objects.get().sent_at is not None
    wait_until(lambda: not IdempotencyRecord.objects.filter(pk=record.pk).exists())


def test_broker_outage_keeps_the_message_and_the_relay_delivers_it_later(celery_worker):
    record = expired_record("outage")
    with broker_down():
        with transaction.atomic():
            outbox.enqueue("eximee.purge_idempotency_records")
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.attempts == 1 and message.last_error
    assert IdempotencyRecord.objects.filter(pk=record.pk).exists()

    OutboxMessage.objects.update(created=timezone.now() - outbox.RELAY_GRACE * 2)
    assert outbox.relay_pending() == 1
    assert OutboxMessage.objects.get().sent_at is not None
    wait_until(lambda: not IdempotencyRecord.objects.filter(pk=record.pk).exists())


def test_scheduled_message_waits_for_its_time():
    with transaction.atomic():
        outbox.enqueue("eximee.purge_idempotency_records", not_before=timezone.now() + timedelta(hours=1))
    assert outbox.relay_pending() == 0
    OutboxMessage.objects.update(not_before=timezone.now() - timedelta(seconds=1))
    assert outbox.relay_pending() == 1
