"""Incidents: a job or service task out of retries. Opening one marks the instance (state
`incident` in the API); retrying gives the job or task new retries, makes it run again and resolves
the incident. Incidents are never deleted: resolved ones are the history of who retried and when."""

from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from bpms.engine import checks
from bpms.models import ExternalTask, Incident, Job, ProcessInstance
from eximee import timeline
from eximee.errors import Conflict, InvalidRequest, NotFound

RETRIED = "retried"
DELETED = "deleted"


def _open(*, type, owner, configuration, message, details, external_task=None, job=None):
    incident = Incident.objects.create(
        type=type, process_instance_id=owner.process_instance_id, process_definition_key=owner.process_definition_key,
        business_key=owner.business_key, activity_id=owner.activity_id, configuration=configuration,
        external_task=external_task, job=job, message=message, details=details)
    if owner.process_instance_id is not None:
        ProcessInstance.objects.filter(id=owner.process_instance_id).update(has_incident=True)
    timeline.record("incident.created", f"Incident at {owner.activity_id}: {message}"[:500],
                    business_key=owner.business_key, process_instance_id=owner.process_instance_id,
                    data={"incidentId": str(incident.id), "type": type, "activityId": owner.activity_id})
    return incident


def create_for_job(job):
    return _open(type=Incident.FAILED_JOB, owner=job, configuration=str(job.id), message=job.exception_message,
                 details=job.exception_details, job=job)


def create_for_external_task(task):
    return _open(type=Incident.FAILED_EXTERNAL_TASK, owner=task, configuration=str(task.id),
                 message=task.error_message, details=task.error_details, external_task=task)


def _refresh_instance_flag(process_instance_id):
    if process_instance_id is None:
        return
    ProcessInstance.objects.filter(id=process_instance_id).update(
        has_incident=Incident.objects.filter(process_instance_id=process_instance_id, resolved_at__isnull=True).exists())


def resolve_deleted(process_instance, *, external_task_ids, job_ids):
    """The jobs or tasks are going (instance cancelled, branch left): their open incidents are over,
    and every incident of theirs stays as history without the link. One UPDATE by the indexed
    links; waits.sync calls it only for tasks and jobs that an incident links."""
    linked = Incident.objects.filter(Q(external_task_id__in=external_task_ids) | Q(job_id__in=job_ids)).update(
        external_task=None, job=None, resolved_at=Coalesce("resolved_at", Value(timezone.now())),
        resolution=Case(When(resolved_at__isnull=True, then=Value(DELETED)), default=F("resolution")))
    if linked:
        _refresh_instance_flag(process_instance.id)


def open_incident_of(configuration):
    """The id of the open incident of a job or service task (its id is the configuration), or None."""
    return (Incident.objects.filter(configuration=str(configuration), resolved_at__isnull=True)
            .values_list("id", flat=True).first())


def check_retries(retries):
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        raise InvalidRequest("retries must be a whole number of at least 0.",
                             errors=[{"pointer": "/retries", "detail": "must be an integer >= 0"}])


def set_retries(owner_id, *, retries, actor, lock, make_runnable, open_incident):
    """Camunda's way to retry a job or service task: retries > 0 on one with an open incident retries
    the incident (resolving it); 0 opens an incident; otherwise only the retries change.
    lock(owner_id) returns the job or task locked in the engine's order, make_runnable(owner,
    retries=...) hands it out again, open_incident(owner) opens its incident."""
    check_retries(retries)
    incident_id = open_incident_of(owner_id)
    if incident_id is not None and retries > 0:
        return retry(incident_id, retries=retries, actor=actor)
    with transaction.atomic():
        owner = lock(owner_id)
        if owner.retries == 0 and retries > 0:
            make_runnable(owner, retries=retries)
            return owner
        owner.retries = retries
        owner.save(update_fields=["retries"])
        if retries == 0 and incident_id is None:
            open_incident(owner)
        return owner


def retry(incident_id, *, retries=1, actor):
    from . import external_tasks, jobs

    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 1:
        raise InvalidRequest("retries must be a whole number of at least 1.",
                             errors=[{"pointer": "/retries", "detail": "must be an integer >= 1"}])
    with transaction.atomic():
        incident = checks.open_incident(Incident.objects.select_for_update(), incident_id)
        if incident.type == Incident.FAILED_JOB:
            job = Job.objects.select_for_update().filter(id=incident.configuration).first()
            if job is None:
                raise Conflict("The failed job no longer exists.")
            jobs.requeue(job, retries=retries)
        else:
            task = ExternalTask.objects.select_for_update().filter(id=incident.configuration).first()
            if task is None:
                raise Conflict("The failed service task no longer exists.")
            external_tasks.make_fetchable(task, retries=retries)
        incident.resolved_at, incident.resolved_by, incident.resolution = timezone.now(), actor, RETRIED
        incident.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        _refresh_instance_flag(incident.process_instance_id)
        timeline.record("incident.resolved", f"Incident at {incident.activity_id} retried by {actor}",
                        business_key=incident.business_key, process_instance_id=incident.process_instance_id,
                        actor=actor, data={"incidentId": str(incident.id), "retries": retries})
        return incident


def annotate(incident_id, *, annotation, actor):
    if not isinstance(annotation, str) or len(annotation) > 4000:
        raise InvalidRequest("annotation must be a text of at most 4000 characters.",
                             errors=[{"pointer": "/annotation", "detail": "string, at most 4000 characters"}])
    with transaction.atomic():
        incident = Incident.objects.select_for_update().filter(id=incident_id).first()
        if incident is None:
            raise NotFound(f"Incident {incident_id} does not exist.")
        incident.annotation = annotation
        incident.save(update_fields=["annotation"])
        return incident
