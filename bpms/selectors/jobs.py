"""Reads of jobs (timers and async continuations)."""

from bpms.models import Job
from eximee.errors import NotFound


def get(job_id):
    job = Job.objects.filter(id=job_id).first()
    if job is None:
        raise NotFound(f"Job {job_id} does not exist.")
    return job


def search(*, process_instance_id=None, process_definition_key=None, type=None, activity_id=None,
           with_exception=None, due_before=None):
    query = Job.objects.all()
    for field, value in (("process_instance_id", process_instance_id), ("process_definition_key", process_definition_key),
                         ("type", type), ("activity_id", activity_id), ("due_at__lte", due_before)):
        if value is not None:
            query = query.filter(**{field: value})
    if with_exception is not None:
        query = query.exclude(exception_message="") if with_exception else query.filter(exception_message="")
    return query.order_by("due_at", "id")
