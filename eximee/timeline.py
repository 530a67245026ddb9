"""Write and read the shared timeline (eximee.models.TimelineEvent)."""

from django.utils import timezone

from eximee.logging import current_request_id
from eximee.models import TimelineEvent


def record(kind, summary, *, business_key=None, process_instance_id=None, actor="", data=None,
           occurred_at=None):
    """Call inside the transaction of the change it describes."""
    return TimelineEvent.objects.create(
        kind=kind,
        summary=summary[:500],
        business_key=business_key or None,
        process_instance_id=process_instance_id,
        actor=actor or "",
        data=data or {},
        occurred_at=occurred_at or timezone.now(),
        request_id=current_request_id() or "",
    )


def for_process_instance(process_instance_id):
    return TimelineEvent.objects.filter(process_instance_id=process_instance_id).order_by("occurred_at", "id")


def for_business_key(business_key):
    return TimelineEvent.objects.filter(business_key=business_key).order_by("occurred_at", "id")
