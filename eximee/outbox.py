"""Transactional outbox: enqueue Celery tasks that must not be lost or sent before commit.

    outbox.enqueue("documents.render", request.id)      # inside the service's transaction

The row commits with the change; `transaction.on_commit` then sends it at once. If the broker is
down, or the process dies between commit and send, `relay_pending()` (Celery beat, every few
seconds) sends it later. Tasks receive the same arguments either way and must be idempotent."""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from eximee.celery import app
from eximee.models import OutboxMessage

logger = logging.getLogger(__name__)

# A message younger than this is left to its own on_commit send, so the relay does not race it.
RELAY_GRACE = timedelta(seconds=5)


def enqueue(task_name, *args, queue="", not_before=None, **kwargs):
    message = OutboxMessage.objects.create(task_name=task_name, args=list(args), kwargs=kwargs, queue=queue,
                                           not_before=not_before)
    if not_before is None:
        transaction.on_commit(lambda: _send_one(message.pk))
    return message


def _send(message):
    options = {"queue": message.queue} if message.queue else {}
    # Nobody can wait for the result of an outboxed task (enqueue returns no AsyncResult): without
    # ignore_result the Redis result backend subscribes this process to every task's result channel.
    app.send_task(message.task_name, args=message.args, kwargs=message.kwargs, ignore_result=True, **options)


def _send_one(message_pk):
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            pk=message_pk, sent_at__isnull=True).first()
        if message is None:
            return
        _attempt(message)


def _attempt(message):
    message.attempts += 1
    try:
        _send(message)
    except Exception as exc:  # broker down: keep the row, the relay retries it
        logger.warning("outbox send failed, will retry", extra={"task": message.task_name, "error": str(exc)})
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        message.save(update_fields=["attempts", "last_error"])
        return False
    message.sent_at = timezone.now()
    message.save(update_fields=["attempts", "sent_at", "last_error"])
    return True


def relay_pending(batch_size=500):
    """Send what is due and unsent; returns how many were sent. Scheduled messages (not_before)
    are never sent on commit, only here, once due."""
    now = timezone.now()
    due = Q(not_before__isnull=True, created__lt=now - RELAY_GRACE) | Q(not_before__lte=now)
    sent = 0
    with transaction.atomic():
        for message in (OutboxMessage.objects.select_for_update(skip_locked=True)
                        .filter(due, sent_at__isnull=True).order_by("created")[:batch_size]):
            if not _attempt(message):
                break
            sent += 1
    return sent
