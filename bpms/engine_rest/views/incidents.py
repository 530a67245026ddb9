"""/incident (open incidents), /job (timers and async continuations) and /job-definition."""

from django.http import HttpResponse
from rest_framework.response import Response

from bpms.engine import get_engine
from bpms.models import Job
from bpms.selectors import incidents as incident_selectors, instances as instance_selectors, jobs as job_selectors
from eximee import roles
from eximee.errors import NotFound

from ..common import (
    EngineRestView,
    ListView,
    RetriesView,
    boolean_param,
    date_param,
    id_list,
    id_param,
    known_id,
    narrowed,
    no_content,
)
from .. import job_definitions
from ..dto import incident_dto, job_definition_dto, job_dto

INCIDENT_READERS = (roles.OPERATOR, roles.AUDITOR)
OPERATORS = (roles.OPERATOR,)
INCIDENT_SORTS = {"incidentId": "id", "incidentTimestamp": "created_at", "incidentType": "type",
                  "activityId": "activity_id", "processInstanceId": "process_instance_id",
                  "processDefinitionKey": "process_definition_key", "configuration": "configuration"}


def incident_query(params, *, open):
    rows = incident_selectors.search(
        type=params.get("incidentType"), process_instance_id=id_param(params, "processInstanceId", "Process instance"),
        activity_id=params.get("activityId"), created_after=date_param(params, "incidentTimestampAfter"),
        created_before=date_param(params, "incidentTimestampBefore"), open=open).select_related("process_instance")
    if params.get("processDefinitionKeyIn"):
        rows = rows.filter(process_definition_key__in=params["processDefinitionKeyIn"].split(","))
    if params.get("processDefinitionKey"):
        rows = rows.filter(process_definition_key=params["processDefinitionKey"])
    for name, field in (("incidentId", "id"), ("configuration", "configuration"), ("incidentMessage", "message")):
        if params.get(name):
            rows = rows.filter(**{field: known_id(params[name], "Incident") if field == "id" else params[name]})
    return rows


class IncidentList(ListView):
    dto = staticmethod(incident_dto)
    required_roles = {"GET": INCIDENT_READERS}
    sorts = INCIDENT_SORTS

    def rows(self, request, params):
        return incident_query(params, open=True)


class IncidentDetail(EngineRestView):
    required_roles = {"GET": INCIDENT_READERS}

    def get(self, request, incident_id, **kwargs):
        return Response(incident_dto(incident_selectors.get(known_id(incident_id, "Incident"))))


class JobList(ListView):
    dto = staticmethod(job_dto)
    required_roles = {"GET": OPERATORS}
    sorts = {"jobId": "id", "jobDueDate": "due_at", "jobRetries": "retries", "processInstanceId": "process_instance_id",
             "processDefinitionKey": "process_definition_key"}

    def rows(self, request, params):
        rows = job_selectors.search(
            process_instance_id=id_param(params, "processInstanceId", "Process instance"),
            process_definition_key=params.get("processDefinitionKey"), activity_id=params.get("activityId"),
            with_exception=boolean_param(params, "withException"),
        ).select_related("process_instance")
        if boolean_param(params, "withRetriesLeft"):
            rows = rows.filter(retries__gt=0)
        if boolean_param(params, "noRetriesLeft"):
            rows = rows.filter(retries=0)
        if boolean_param(params, "timers"):
            rows = rows.filter(type__in=(Job.TIMER, Job.TIMER_START))
        if boolean_param(params, "messages"):     # Camunda's "message" jobs are async continuations
            rows = rows.filter(type=Job.CONTINUATION)
        return narrowed(rows, id=id_param(params, "jobId", "Job"))


class JobDetail(EngineRestView):
    required_roles = {"GET": OPERATORS}

    def get(self, request, job_id, **kwargs):
        return Response(job_dto(job_selectors.get(known_id(job_id, "Job"))))


class JobStacktrace(EngineRestView):
    """The last failure's full exception, as text/plain (Camunda's answer)."""

    required_roles = {"GET": OPERATORS}

    def get(self, request, job_id, **kwargs):
        job = job_selectors.get(known_id(job_id, "Job"))
        return HttpResponse(job.exception_details, content_type="text/plain; charset=utf-8")


class JobRetries(RetriesView):
    required_roles = {"PUT": OPERATORS}
    id_name, what = "job_id", "Job"
    find = staticmethod(job_selectors.get)

    @staticmethod
    def set_retries(job_id, *, retries, actor):
        return get_engine().set_job_retries(job_id, retries=retries, actor=actor)


class ExecuteJob(EngineRestView):
    """POST -> 204 when it ran; 422 with the failure when it failed (its retries counted down)."""

    required_roles = {"POST": OPERATORS}

    def post(self, request, job_id, **kwargs):
        get_engine().execute_job(known_id(job_id, "Job"), actor=request.user.get_username())
        return no_content()


JOB_DEFINITION_SORTS = {"jobDefinitionId": "id", "activityId": "activity_id", "jobType": "job_type",
                        "processDefinitionId": "process_definition_id", "jobConfiguration": "job_configuration",
                        "processDefinitionKey": "process_definition_key"}


def job_definition_query(params):
    """The job definitions of the deployed models the filters name (a malformed id names none)."""
    definitions = instance_selectors.definitions(key=params.get("processDefinitionKey"))
    definition_ids = id_list(params, "processDefinitionId")
    if definition_ids is not None:
        definitions = definitions.filter(id__in=definition_ids)
    activity_ids = set((params.get("activityIdIn") or "").split(",")) - {""}
    found = [definition for row in definitions.only("id", "key", "deployment_id", "bpmn_xml")
             for definition in job_definitions.of_definition(row)]
    for field, wanted in (("id", params.get("jobDefinitionId")), ("job_type", params.get("jobType")),
                          ("job_configuration", params.get("jobConfiguration"))):
        if wanted:
            found = [definition for definition in found if getattr(definition, field) == wanted]
    return [definition for definition in found if not activity_ids or definition.activity_id in activity_ids]


class JobDefinitionList(ListView):
    dto = staticmethod(job_definition_dto)
    required_roles = {"GET": OPERATORS}
    sorts = JOB_DEFINITION_SORTS

    def rows(self, request, params):
        return job_definition_query(params)


class JobDefinitionDetail(EngineRestView):
    required_roles = {"GET": OPERATORS}

    def get(self, request, job_definition_id, **kwargs):
        wanted = str(known_id(job_definition_id, "Job definition"))
        found = job_definition_query({"jobDefinitionId": wanted})
        if not found:
            raise NotFound(f"Job definition with id '{job_definition_id}' does not exist.")
        return Response(job_definition_dto(found[0]))
