"""Camunda 7's DTOs of our rows. The engine has no executions, case instances or tenants: an
instance's execution id is its own id (Camunda's root execution), case ids and tenant ids are null
(EximeeBPMS dropped the case fields; clients such as pycamunda still read them)."""

from .common import format_date
from .job_definitions import definition_id_of_job

CASE_FIELDS = {"caseInstanceId": None, "caseExecutionId": None, "caseDefinitionId": None}


def _id(value):
    return str(value) if value is not None else None


def definition_dto(definition):
    return {
        "id": str(definition.id), "key": definition.key, "category": "", "description": None,
        "name": definition.name or None, "version": definition.version, "resource": definition.resource_name,
        "deploymentId": str(definition.deployment_id), "diagram": None, "suspended": False, "tenantId": None,
        "versionTag": None, "historyTimeToLive": None, "startableInTasklist": True,
    }


def decision_dto(decision):
    return {"id": str(decision.id), "key": decision.key, "category": "", "name": decision.name or None,
            "version": decision.version, "resource": decision.resource_name, "deploymentId": str(decision.deployment_id),
            "decisionRequirementsDefinitionId": None, "decisionRequirementsDefinitionKey": None,
            "tenantId": None, "versionTag": decision.version_tag or None, "historyTimeToLive": None}


def instance_dto(instance, base_url, variables=None):
    body = {
        "links": [{"method": "GET", "href": f"{base_url}/process-instance/{instance.id}", "rel": "self"}],
        "id": str(instance.id), "definitionId": str(instance.definition_id),
        "definitionKey": instance.process_definition_key, "businessKey": instance.business_key,
        "ended": instance.state != instance.ACTIVE, "suspended": instance.suspended, "tenantId": None,
        **CASE_FIELDS,
    }
    if variables is not None:
        body["variables"] = variables
    return body


def task_dto(task):
    return {
        "id": str(task.id), "name": task.name or None, "assignee": task.assignee, "owner": task.owner,
        "created": format_date(task.created_at), "lastUpdated": None, "due": format_date(task.due_at),
        "followUp": format_date(task.follow_up_at),
        "delegationState": task.delegation_state.upper() if task.delegation_state else None,
        "description": task.description or None, "executionId": str(task.process_instance_id),
        "parentTaskId": None, "priority": task.priority,
        "processDefinitionId": str(task.process_instance.definition_id),
        "processInstanceId": str(task.process_instance_id), "taskDefinitionKey": task.task_definition_key,
        "suspended": task.process_instance.suspended, "formKey": task.form_key or None, "camundaFormRef": None,
        "tenantId": None, **CASE_FIELDS,
    }


def external_task_dto(task, variables=None):
    body = {
        "id": str(task.id), "topicName": task.topic, "workerId": task.worker_id or None,
        "lockExpirationTime": format_date(task.lock_expires_at), "processInstanceId": str(task.process_instance_id),
        "processDefinitionId": str(task.process_instance.definition_id),
        "processDefinitionKey": task.process_definition_key, "processDefinitionVersionTag": None,
        "activityId": task.activity_id, "activityInstanceId": f"{task.activity_id}:{task.engine_task_id}",
        "executionId": str(task.process_instance_id), "businessKey": task.business_key,
        "retries": task.retries, "errorMessage": task.error_message or None, "suspended": task.process_instance.suspended,
        "priority": task.priority, "extensionProperties": task.extension_properties or {},
        "createTime": format_date(task.created_at), "tenantId": None,
    }
    if variables is not None:
        body["variables"] = variables
    return body


def incident_dto(incident):
    return {
        "id": str(incident.id), "processDefinitionId": _id(incident.process_instance.definition_id
                                                            if incident.process_instance else None),
        "processInstanceId": _id(incident.process_instance_id), "executionId": _id(incident.process_instance_id),
        "incidentTimestamp": format_date(incident.created_at), "incidentType": incident.type,
        "activityId": incident.activity_id, "failedActivityId": incident.activity_id,
        "causeIncidentId": str(incident.id), "rootCauseIncidentId": str(incident.id),
        "configuration": incident.configuration, "incidentMessage": incident.message or None,
        "tenantId": None, "jobDefinitionId": None, "annotation": incident.annotation or None,
    }


def historic_incident_dto(incident):
    body = incident_dto(incident)
    body.pop("incidentTimestamp")
    return {
        **body, "processDefinitionKey": incident.process_definition_key,
        "rootProcessInstanceId": _id(incident.process_instance_id), "createTime": format_date(incident.created_at),
        "endTime": format_date(incident.resolved_at), "removalTime": None,
        "historyConfiguration": incident.configuration, "open": incident.is_open,
        "deleted": incident.resolution == "deleted", "resolved": incident.resolution == "retried",
    }


def job_dto(job):
    return {
        "id": str(job.id), "jobDefinitionId": definition_id_of_job(job),
        "processInstanceId": _id(job.process_instance_id),
        "processDefinitionId": _id(job.process_definition_id or (job.process_instance.definition_id
                                                                 if job.process_instance else None)),
        "processDefinitionKey": job.process_definition_key, "executionId": _id(job.process_instance_id),
        "exceptionMessage": job.exception_message or None, "failedActivityId": job.activity_id if job.exception_message else None,
        "retries": job.retries, "dueDate": format_date(job.due_at),
        "suspended": bool(job.process_instance and job.process_instance.suspended), "priority": 0,
        "tenantId": None, "createTime": format_date(job.created_at), "batchId": None,
    }


def job_definition_dto(definition):
    return {
        "id": definition.id, "processDefinitionId": definition.process_definition_id,
        "processDefinitionKey": definition.process_definition_key, "activityId": definition.activity_id,
        "jobType": definition.job_type, "jobConfiguration": definition.job_configuration,
        "overridingJobPriority": None, "suspended": False, "tenantId": None,
        "deploymentId": definition.deployment_id,
    }


HISTORIC_STATES = {"completed": "COMPLETED", "cancelled": "EXTERNALLY_TERMINATED"}


def historic_instance_dto(instance):
    state = HISTORIC_STATES.get(instance.state) or ("SUSPENDED" if instance.suspended else "ACTIVE")
    ended = instance.ended_at
    return {
        "id": str(instance.id), "businessKey": instance.business_key,
        "processDefinitionId": str(instance.definition_id), "processDefinitionKey": instance.process_definition_key,
        "processDefinitionName": instance.definition.name or None,
        "processDefinitionVersion": instance.definition.version, "startTime": format_date(instance.started_at),
        "endTime": format_date(ended), "removalTime": None,
        "durationInMillis": int((ended - instance.started_at).total_seconds() * 1000) if ended else None,
        "startUserId": instance.started_by or None, "startActivityId": None,
        "deleteReason": instance.end_reason or None, "rootProcessInstanceId": str(instance.id),
        "superProcessInstanceId": _id(instance.parent_id), "superCaseInstanceId": None, "caseInstanceId": None,
        "tenantId": None, "state": state,
    }


def historic_activity_dto(activity):
    return {
        "id": str(activity.id), "parentActivityInstanceId": str(activity.process_instance_id),
        "activityId": activity.activity_id, "activityName": activity.activity_name or None,
        "activityType": activity.activity_type, "processDefinitionKey": activity.process_instance.process_definition_key,
        "processDefinitionId": str(activity.process_instance.definition_id),
        "processInstanceId": str(activity.process_instance_id), "executionId": str(activity.process_instance_id),
        "taskId": None, "calledProcessInstanceId": None, "calledCaseInstanceId": None, "assignee": None,
        "startTime": format_date(activity.started_at), "endTime": format_date(activity.ended_at),
        "durationInMillis": activity.duration_ms, "canceled": activity.canceled,
        "completeScope": False, "tenantId": None, "removalTime": None,
        "rootProcessInstanceId": str(activity.process_instance_id),
    }


def historic_task_dto(task):
    return {
        "id": str(task.id), "processDefinitionKey": task.process_definition_key,
        "processDefinitionId": str(task.process_instance.definition_id),
        "processInstanceId": str(task.process_instance_id), "executionId": str(task.process_instance_id),
        "caseDefinitionKey": None, **CASE_FIELDS, "activityInstanceId": None, "name": task.name or None,
        "description": task.description or None, "deleteReason": task.delete_reason or (
            "completed" if task.state == task.COMPLETED else None),
        "owner": task.owner, "assignee": task.assignee, "startTime": format_date(task.created_at),
        "endTime": format_date(task.ended_at), "duration": task.duration_ms,
        "taskDefinitionKey": task.task_definition_key, "priority": task.priority, "due": format_date(task.due_at),
        "parentTaskId": None, "followUp": format_date(task.follow_up_at), "tenantId": None, "removalTime": None,
        "rootProcessInstanceId": str(task.process_instance_id),
    }


ENTITY_TYPES = {"process": "ProcessInstance", "task": "Task", "variable": "Variable", "incident": "Incident",
                "servicetask": "ExternalTask", "timer": "Job", "activity": "ActivityInstance"}


def user_operation_dto(event):
    """A timeline entry as a user-operation log entry: entity and operation come from its kind
    (task.claimed -> Task / Claimed)."""
    entity, _, operation = event.kind.partition(".")
    return {
        "id": str(event.id), "deploymentId": None, "processDefinitionId": None, "processDefinitionKey": None,
        "processInstanceId": _id(event.process_instance_id), "executionId": _id(event.process_instance_id),
        **CASE_FIELDS, "taskId": (event.data or {}).get("taskId"), "jobId": None, "jobDefinitionId": None,
        "batchId": None, "userId": event.actor, "timestamp": format_date(event.occurred_at),
        "operationId": event.request_id or str(event.id), "externalTaskId": None,
        "operationType": operation.replace("-", " ").title().replace(" ", "") or entity.title(),
        "entityType": ENTITY_TYPES.get(entity, entity.title()),
        "property": None, "orgValue": None, "newValue": None, "rootProcessInstanceId": _id(event.process_instance_id),
        "category": "Operator", "annotation": None,
    }
