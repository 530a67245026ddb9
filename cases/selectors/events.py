from eximee.errors import NotFound

from ..models import DomainEvent


def events():
    return DomainEvent.objects.order_by("-received_at", "id")


def event(event_id):
    found = events().filter(pk=event_id).first()
    if found is None:
        raise NotFound(f"No event {event_id}.")
    return found
