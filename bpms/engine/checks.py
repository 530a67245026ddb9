"""Checks every engine implementation makes before it changes an instance, so the same caller
mistakes get the same problems whichever engine runs."""

from bpms.models import ProcessInstance, UserTask
from eximee.errors import Conflict, NotFound


def active_instance(rows, instance_id, *, allow_suspended=False):
    """The instance of `rows` (a ProcessInstance queryset, locked or not, as the engine needs) with
    this id: 404 when there is none, 409 when it ended or, unless allowed, is suspended."""
    try:
        instance = rows.get(id=instance_id)
    except (ProcessInstance.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"Process instance {instance_id} does not exist.") from None
    return ensure_active(instance, allow_suspended=allow_suspended)


def ensure_active(instance, *, allow_suspended=False):
    """409 when the instance ended or, unless allowed, is suspended."""
    if instance.state != ProcessInstance.ACTIVE:
        raise Conflict(f"Process instance {instance.id} is {instance.state}.")
    if instance.suspended and not allow_suspended:
        raise Conflict(f"Process instance {instance.id} is suspended.")
    return instance


def open_task(task, instance):
    """A user task may be acted on while it is open and its instance is not suspended."""
    if task.state != UserTask.CREATED:
        raise Conflict(f"Task {task.id} is already {task.state}.", extra={"taskState": task.state})
    if instance.suspended:
        raise Conflict(f"Process instance {instance.id} is suspended.")
    return task


def open_incident(rows, incident_id):
    """The incident of `rows` with this id: 404 when there is none, 409 once it was resolved."""
    incident = rows.filter(id=incident_id).first()
    if incident is None:
        raise NotFound(f"Incident {incident_id} does not exist.")
    if not incident.is_open:
        raise Conflict(f"Incident {incident_id} was already resolved ({incident.resolution}).")
    return incident
