from celery import shared_task
from django.conf import settings

from documents import services


@shared_task(name=services.RENDER_TASK, soft_time_limit=settings.DOCUMENTS_RENDER_TIME_LIMIT,
             time_limit=services.hard_time_limit())
def render(generation_request_id):
    services.render_generation_request(generation_request_id)


@shared_task(name="documents.recover_lost_renders")
def recover_lost_renders():
    return services.recover_lost_renders()


@shared_task(name="documents.purge_expired")
def purge_expired():
    return services.purge_expired_documents()
