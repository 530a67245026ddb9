from celery import shared_task

from eximee.api import idempotency


@shared_task(name="eximee.purge_idempotency_records")
def purge_idempotency_records():
    return idempotency.purge_expired()


@shared_task(name="eximee.relay_outbox")
def relay_outbox():
    from eximee import outbox

    return outbox.relay_pending()
