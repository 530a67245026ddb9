"""Reads of service tasks (external tasks)."""

from django.db.models import Q
from django.utils import timezone

from bpms.models import ExternalTask
from eximee.errors import NotFound


def get(task_id):
    task = ExternalTask.objects.filter(id=task_id).first()
    if task is None:
        raise NotFound(f"Service task {task_id} does not exist.")
    return task


def search(*, topic=None, worker_id=None, process_instance_id=None, business_key=None, activity_id=None,
           locked=None, with_retries_left=None, builtin=None):
    query = ExternalTask.objects.all()
    for field, value in (("topic", topic), ("worker_id", worker_id), ("process_instance_id", process_instance_id),
                         ("business_key", business_key), ("activity_id", activity_id), ("builtin", builtin)):
        if value is not None:
            query = query.filter(**{field: value})
    now = timezone.now()
    if locked is not None:
        held = Q(lock_expires_at__gt=now) & ~Q(worker_id="")
        query = query.filter(held) if locked else query.exclude(held)
    if with_retries_left is not None:
        left = Q(retries__isnull=True) | Q(retries__gt=0)
        query = query.filter(left) if with_retries_left else query.exclude(left)
    return query.order_by("created_at", "id")
