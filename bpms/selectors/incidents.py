"""Reads of incidents."""

from bpms.models import Incident
from eximee.errors import NotFound

SORT_FIELDS = {"createdAt": "created_at", "type": "type", "activityId": "activity_id",
               "processDefinitionKey": "process_definition_key", "resolvedAt": "resolved_at"}


def get(incident_id):
    incident = Incident.objects.filter(id=incident_id).first()
    if incident is None:
        raise NotFound(f"Incident {incident_id} does not exist.")
    return incident


def search(*, type=None, process_definition_key=None, process_instance_id=None, activity_id=None,
           business_key=None, created_after=None, created_before=None, open=None, sort_by="createdAt",
           descending=True):
    query = Incident.objects.all()
    for field, value in (("type", type), ("process_definition_key", process_definition_key),
                         ("process_instance_id", process_instance_id), ("activity_id", activity_id),
                         ("business_key", business_key), ("created_at__gte", created_after),
                         ("created_at__lt", created_before)):
        if value is not None:
            query = query.filter(**{field: value})
    if open is not None:
        query = query.filter(resolved_at__isnull=open)
    field = SORT_FIELDS[sort_by]
    return query.order_by(f"-{field}" if descending else field, "id")


def open_incident_instance_ids(process_instance_ids):
    """The ids among these instances that have an open incident (their API state is `incident`)."""
    return set(Incident.objects.filter(process_instance_id__in=list(process_instance_ids), resolved_at__isnull=True)
               .values_list("process_instance_id", flat=True))
