"""The engine interface over a Camunda-7-compatible REST API (EximeeBPMS, Camunda 7, Operaton).

Every operation: check our projection (an unknown or ended instance or task is refused without
asking the engine), call the engine, then read the instance back into our projection rows with the
timeline of what changed (projection.sync_instance). The engine decides every race: of two callers
completing one task the engine accepts one and answers the other with an error we translate
(errors.py); our projection row is locked while it is rewritten.

What the engine owns in this mode: process variables, external tasks, timers, jobs, message and
signal subscriptions, incidents. So no wait states are reported to bpms.services.waits: our
Celery workers fetch the external tasks of built-in topics from the engine instead (worker.py).

Calls to the engine are not part of our database transaction. A start whose business data our
side then refuses deletes the instance it just started in the engine; an operation the engine
applied whose projection write then fails is caught up by the periodic sync.
"""

from functools import cached_property
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bpms.engine import checks, interface
from bpms.engine.forms import validate_form
from bpms.models import ExternalTask, Incident, Job, ProcessDefinition, ProcessInstance, UserTask
from bpms.selectors.variables import variables_of_instance
from bpms.services.incidents import check_retries
from datamodel.services import write_business_data
from eximee import timeline
from eximee.errors import Conflict, InvalidRequest, NotFound, RuleViolation

from . import projection, wire
from .client import RemoteClient
from .errors import EngineFailure


def _instance(instance_id, *, allow_suspended=False):
    return checks.active_instance(ProcessInstance.objects, instance_id, allow_suspended=allow_suspended)


def _task(task_id):
    try:
        task = UserTask.objects.select_related("process_instance").get(id=task_id)
    except (UserTask.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"Task {task_id} does not exist.") from None
    return checks.open_task(task, task.process_instance)


def _job(job_id):
    job = Job.objects.select_related("process_instance").filter(id=job_id).first()
    if job is None:
        raise NotFound(f"Job {job_id} does not exist.")
    return job


def _external_task(task_id):
    try:
        return ExternalTask.objects.select_related("process_instance__definition").get(id=task_id)
    except (ExternalTask.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"Service task {task_id} does not exist.") from None


# Camunda's 400 when nothing or several things wait for a message; ours (the facade) says the same in
# its own words.
NO_MATCH_PHRASES = ("no process definition or execution matches", "no process instance or start event waits")


def _engine_type(error):
    return error.extra.get("engineErrorType")


def _result(instance):
    return interface.InstanceResult(str(instance.id), instance.state, tuple(instance.active_activity_ids))


class Camunda7Engine(interface.Engine):

    buffers_messages = False

    @cached_property
    def client(self):
        return RemoteClient.from_settings()

    def sync(self, instance_remote_id, actor, **kwargs):
        return projection.sync_instance(self.client, instance_remote_id, actor=actor, **kwargs)

    def _after(self, instance, actor, **kwargs):
        return _result(self.sync(projection.remote_id(instance), actor, **kwargs))

    # --- deployment -----------------------------------------------------------------------------

    def deploy(self, *, name, resources, actor):
        files = [("data", (r.name, r.content, "application/octet-stream")) for r in resources]
        answer = self.client.request("POST", "/deployment/create", files=files, data={
            "deployment-name": name, "deployment-source": f"eximee:{actor}"[:255]})
        deployed = list((answer.get("deployedProcessDefinitions") or {}).values())
        rows = [projection.definition(self.client, dto["id"]) for dto in deployed]
        return interface.DeploymentResult(
            id=str(wire.local_id(answer["id"])), name=answer.get("name") or name,
            definitions=tuple(interface.DeployedDefinition(str(r.id), r.key, r.version, r.name) for r in rows),
            # The remote engine evaluates its decisions itself: they are reported, not mirrored.
            decisions=tuple(interface.DeployedDefinition(dto["id"], dto["key"], dto["version"], dto.get("name") or "")
                            for dto in (answer.get("deployedDecisionDefinitions") or {}).values()))

    # --- decisions ------------------------------------------------------------------------------

    def evaluate_decision(self, *, key, version, variables):
        path = f"/decision-definition/key/{quote(key, safe='')}"
        if version is not None:
            found = self.client.get("/decision-definition", key=key, version=version)
            if not found:
                raise NotFound(f"There is no decision '{key}' in version {version}.")
            path = f"/decision-definition/{found[0]['id']}"
        results = self.client.post(f"{path}/evaluate", {"variables": wire.typed_all(variables)})
        # Dates as the embedded engine gives them: datetimes, not Camunda's text.
        return [{name: wire.parse_date(value.get("value")) if value.get("type") == "Date" else wire.plain(value)
                 for name, value in result.items()} for result in results]

    # --- instances ------------------------------------------------------------------------------

    def start_instance(self, *, definition_id, business_key, variables, start_activity_id, actor, before_run=None):
        definition = ProcessDefinition.objects.get(id=definition_id)
        body = {"businessKey": business_key, "variables": wire.typed_all(variables)}
        if start_activity_id:
            body["startInstructions"] = [{"type": "startBeforeActivity", "activityId": start_activity_id}]
        started = self.client.post(f"/process-definition/{projection.remote_id(definition)}/start", body)
        try:
            with transaction.atomic():
                instance = self.sync(started["id"], actor)
                if before_run is not None:
                    before_run(instance)
        except Exception:
            # Our side refused (e.g. invalid business data): the engine must not keep the instance.
            self.client.delete(f"/process-instance/{started['id']}", skipCustomListeners="true",
                               skipIoMappings="true")
            raise
        return _result(instance)

    def cancel_instance(self, instance_id, *, reason, actor):
        instance = _instance(instance_id, allow_suspended=True)
        self.client.delete(f"/process-instance/{projection.remote_id(instance)}")
        return self._after(instance, actor, end_reason=reason or "")

    def suspend_instance(self, instance_id, *, actor):
        return self._set_suspended(instance_id, True, actor)

    def activate_instance(self, instance_id, *, actor):
        return self._set_suspended(instance_id, False, actor)

    def _set_suspended(self, instance_id, suspended, actor):
        instance = _instance(instance_id, allow_suspended=True)
        if instance.suspended == suspended:
            raise Conflict(f"Process instance {instance_id} is already {'suspended' if suspended else 'active'}.")
        self.client.put(f"/process-instance/{projection.remote_id(instance)}/suspended", {"suspended": suspended})
        with transaction.atomic():
            result = self._after(instance, actor)
            kind = "process.suspended" if suspended else "process.activated"
            timeline.record(kind, f"{instance.process_definition_key} {kind.split('.')[1]}",
                            business_key=instance.business_key, process_instance_id=instance.id, actor=actor)
        return result

    def get_variables(self, instance_id):
        instance = ProcessInstance.objects.filter(id=instance_id).first()
        if instance is None:
            raise NotFound(f"Process instance {instance_id} does not exist.")
        if instance.state != ProcessInstance.ACTIVE:
            return variables_of_instance(instance_id)
        return wire.plain_all(self.client.get(f"/process-instance/{projection.remote_id(instance)}/variables",
                                              deserializeValues="false"))

    def modify_variables(self, instance_id, *, modifications, deletions, actor):
        instance = _instance(instance_id, allow_suspended=True)
        self.client.post(f"/process-instance/{projection.remote_id(instance)}/variables",
                         {"modifications": wire.typed_all(modifications), "deletions": list(deletions)})
        self._after(instance, actor)
        return variables_of_instance(instance.id)

    # --- user tasks -----------------------------------------------------------------------------

    def complete_user_task(self, task_id, *, variables, actor, before_run=None):
        task = _task(task_id)
        # Checked here, as in embedded mode: Camunda's complete does not check a form (only its
        # submit-form does).
        validate_form(task.form_fields, variables)
        with transaction.atomic():
            # Business data first, in our transaction: if the engine refuses, it is rolled back.
            instance = ProcessInstance.objects.select_for_update(of=("self",)).get(id=task.process_instance_id)
            if before_run is not None:
                before_run(instance)
            self.client.post(f"/task/{task.engine_task_id}/complete", {"variables": wire.typed_all(variables)})
            return self._after(instance, actor)

    def _task_action(self, task_id, path, body, actor, **row_changes):
        task = _task(task_id)
        self.client.post(f"/task/{task.engine_task_id}/{path}", body)
        with transaction.atomic():
            self._after(task.process_instance, actor)
            if row_changes:
                UserTask.objects.filter(id=task.id).update(**row_changes)
        return UserTask.objects.get(id=task.id)

    def claim_task(self, task_id, *, user_id, actor):
        task = _task(task_id)
        if task.assignee and task.assignee != user_id:
            raise Conflict(f"Task {task_id} is already claimed by {task.assignee}.")
        return self._task_action(task_id, "claim", {"userId": user_id}, actor,
                                 claimed_by=user_id, claimed_at=timezone.now())

    def unclaim_task(self, task_id, *, actor):
        return self._task_action(task_id, "unclaim", {}, actor)

    def set_assignee(self, task_id, *, user_id, actor):
        return self._task_action(task_id, "assignee", {"userId": user_id or None}, actor)

    def delegate_task(self, task_id, *, user_id, actor):
        return self._task_action(task_id, "delegate", {"userId": user_id}, actor)

    def resolve_task(self, task_id, *, variables, actor):
        if _task(task_id).delegation_state != "pending":
            raise Conflict(f"Task {task_id} is not delegated.")
        return self._task_action(task_id, "resolve", {"variables": wire.typed_all(variables)}, actor)

    def update_task(self, task_id, *, changes, actor):
        task = _task(task_id)
        # PUT /task/{id} replaces the whole task: send the engine's current one with our changes.
        current = self.client.get(f"/task/{task.engine_task_id}")
        names = {"name": "name", "due_at": "due", "follow_up_at": "followUp", "priority": "priority",
                 "assignee": "assignee", "description": "description"}
        for name, value in changes.items():
            current[names[name]] = wire.format_date(value) if name in ("due_at", "follow_up_at") else value
        self.client.put(f"/task/{task.engine_task_id}", current)
        self._after(task.process_instance, actor)
        return UserTask.objects.get(id=task.id)

    # --- events published from outside ----------------------------------------------------------

    def correlate_message(self, message_name, *, business_key, process_instance_id, correlation_keys, variables,
                          business_data, all, actor):
        body = {"messageName": message_name, "businessKey": business_key, "all": all, "resultEnabled": True,
                "correlationKeys": wire.typed_all(correlation_keys) or None,
                "processVariables": wire.typed_all(variables)}
        if process_instance_id:
            known = ProcessInstance.objects.filter(id=process_instance_id).first()
            body["processInstanceId"] = projection.remote_id(known) if known else str(process_instance_id)
        try:
            answer = self.client.post("/message", body)
        except InvalidRequest as exc:
            if _engine_type(exc) != "MismatchingMessageCorrelationException":
                raise
            if any(phrase in exc.detail.lower() for phrase in NO_MATCH_PHRASES):
                return []
            raise Conflict(f"Message '{message_name}' matches more than one waiting instance or start event; "
                           "narrow the criteria or correlate with all=true.",
                           extra={"messageName": message_name, **exc.extra}) from exc
        results = []
        with transaction.atomic():
            for item in answer or []:
                started = item.get("resultType") == "ProcessDefinition"
                remote = (item.get("processInstance") or {}).get("id") if started else \
                    (item.get("execution") or {}).get("processInstanceId")
                instance = self.sync(remote, actor)
                if business_data is not None:
                    write_business_data(data=business_data, actor=actor, business_key=instance.business_key,
                                        process_instance_id=instance.id,
                                        model_name=instance.definition.data_model or None)
                activity_id = projection.catching_activity(instance, "message", message_name)
                timeline.record("message.correlated", f"Message {message_name} received by {activity_id}",
                                business_key=instance.business_key, process_instance_id=instance.id, actor=actor,
                                data={"messageName": message_name, "activityId": activity_id})
                results.append({"resultType": "ProcessDefinition" if started else "Execution",
                                "processInstanceId": str(instance.id), "activityId": activity_id})
        return results

    def broadcast_signal(self, signal_name, *, variables, actor):
        """Camunda answers a signal with 204 and no word on whom it reached: the instances of models
        that catch it are read back afterwards, and those whose catching activity ended meanwhile are
        the ones reached; instances of models that start on it that we have not seen are the ones
        it started."""
        catching, starting = projection.definitions_catching("signal", signal_name)
        waiting = list(ProcessInstance.objects.filter(definition__in=catching, state=ProcessInstance.ACTIVE))
        before = {instance.id: projection.caught(instance, "signal", signal_name) for instance in waiting}
        self.client.post("/signal", {"name": signal_name, "variables": wire.typed_all(variables)})
        results, failed = [], []
        for instance in waiting:
            try:
                instance = self.sync(projection.remote_id(instance), actor)
            except NotFound:
                continue
            for _, activity_id in sorted(projection.caught(instance, "signal", signal_name) - before[instance.id]):
                results.append(self._signal_received(instance, signal_name, activity_id, "Execution", actor))
        for definition in starting:
            for instance in projection.instances_started_since_sync(self.client, definition, actor):
                activity_id = projection.catching_activity(instance, "signal", signal_name)
                results.append(self._signal_received(instance, signal_name, activity_id, "ProcessDefinition", actor))
        return results, failed

    @staticmethod
    def _signal_received(instance, signal_name, activity_id, result_type, actor):
        timeline.record("signal.received", f"signal {signal_name} received by {activity_id}",
                        business_key=instance.business_key, process_instance_id=instance.id, actor=actor,
                        data={"signalName": signal_name, "activityId": activity_id})
        return {"resultType": result_type, "processInstanceId": str(instance.id), "activityId": activity_id}

    # --- external workers (/v1/service-tasks): the engine holds the queue and the locks ----------

    def fetch_and_lock(self, *, worker_id, max_tasks, topics, use_priority, async_response_timeout):
        wait = min(async_response_timeout, settings.BPMS_MAX_LONG_POLL_SECONDS)
        fetched = self.client.post("/external-task/fetchAndLock", {
            "workerId": worker_id, "maxTasks": max_tasks, "usePriority": use_priority,
            "asyncResponseTimeout": int(wait * 1000),
            "topics": [{"topicName": topic.topic_name, "lockDuration": int(topic.lock_duration.total_seconds() * 1000),
                        "variables": list(topic.variables) if topic.variables is not None else None,
                        **({"businessKey": topic.business_key} if topic.business_key else {})}
                       for topic in topics]}, timeout=settings.CAMUNDA7_TIMEOUT_SECONDS + wait)
        return projection.locked_external_tasks(self.client, fetched, actor="engine-sync")

    def _worker_call(self, task, action, body):
        try:
            self.client.post(f"/external-task/{task.engine_task_id}/{action}", body)
        except InvalidRequest as exc:
            # Camunda's 400 for a task another worker holds or whose lock expired: our 409, as embedded.
            if _engine_type(exc) != "BadUserRequestException":
                raise
            raise Conflict(exc.detail, extra=exc.extra) from exc

    def complete_external_task(self, task_id, *, worker_id, variables, business_data, actor):
        task = _external_task(task_id)
        with transaction.atomic():
            # Business data first, in our transaction: if the engine refuses, it is rolled back.
            instance = ProcessInstance.objects.select_for_update(of=("self",)).get(id=task.process_instance_id)
            if business_data is not None:
                write_business_data(data=business_data, actor=actor, business_key=instance.business_key,
                                    process_instance_id=instance.id,
                                    model_name=task.process_instance.definition.data_model or None,
                                    idempotency_key=f"servicetask:{task.id}")
            self._worker_call(task, "complete", {"workerId": worker_id, "variables": wire.typed_all(variables)})
            self._after(instance, actor)

    def fail_external_task(self, task_id, *, worker_id, error_message, error_details, retries, retry_timeout, actor):
        task = _external_task(task_id)
        self._worker_call(task, "failure", {
            "workerId": worker_id, "errorMessage": error_message, "errorDetails": error_details, "retries": retries,
            "retryTimeout": int(retry_timeout.total_seconds() * 1000)})
        with transaction.atomic():
            self._after(task.process_instance, actor)
            timeline.record("servicetask.failed", f"Service task {task.activity_id} failed: {error_message}"[:500],
                            business_key=task.business_key, process_instance_id=task.process_instance_id,
                            actor=actor, data={"taskId": str(task.id), "topic": task.topic, "retries": retries})

    def external_task_bpmn_error(self, task_id, *, worker_id, error_code, error_message, variables, actor):
        task = _external_task(task_id)
        self._worker_call(task, "bpmnError", {"workerId": worker_id, "errorCode": error_code,
                                              "errorMessage": error_message, "variables": wire.typed_all(variables)})
        self._after(task.process_instance, actor)

    def extend_external_task_lock(self, task_id, *, worker_id, new_duration):
        task = _external_task(task_id)
        self._worker_call(task, "extendLock", {"workerId": worker_id,
                                               "newDuration": int(new_duration.total_seconds() * 1000)})
        projection.refresh_external_task(self.client, task)

    def unlock_external_task(self, task_id):
        task = _external_task(task_id)
        self._worker_call(task, "unlock", {})
        projection.refresh_external_task(self.client, task)

    # --- jobs: the engine's job executor runs them; ours are its projection (sync) -----------------

    def execute_job(self, job_id, *, actor):
        job = _job(job_id)
        try:
            self.client.post(f"/job/{job.engine_task_id}/execute")
        except (RuleViolation, EngineFailure, NotFound, Conflict) as exc:
            # A job that failed in the engine (Camunda: 500 with its exception, which errors.py may
            # read as any of these; our facade: 422) has its retries counted down there: read back,
            # and answer as embedded mode does. Otherwise (gone meanwhile, a real conflict) the error
            # stands, with our rows caught up.
            self._after(job.process_instance, actor)
            failed = Job.objects.filter(id=job.id).first()
            if failed is None or not failed.exception_message or (0 < job.retries <= failed.retries):
                raise
            raise RuleViolation(f"The job failed: {failed.exception_message}",
                                extra={"jobId": str(failed.id), "retries": failed.retries}) from exc
        self._after(job.process_instance, actor)

    def set_job_retries(self, job_id, *, retries, actor):
        check_retries(retries)
        job = _job(job_id)
        self.client.put(f"/job/{job.engine_task_id}/retries", {"retries": retries})
        self._after(job.process_instance, actor)
        return Job.objects.filter(id=job.id).first()

    # --- incidents: the engine's, read into ours by the sync ----------------------------------------

    def retry_incident(self, incident_id, *, retries, actor):
        incident = checks.open_incident(Incident.objects.select_related("external_task", "job", "process_instance"),
                                        incident_id)
        if incident.type == Incident.FAILED_EXTERNAL_TASK:
            if incident.external_task is None:
                raise Conflict("The failed service task no longer exists.")
            self.client.put(f"/external-task/{incident.external_task.engine_task_id}/retries", {"retries": retries})
        else:
            if incident.job is None:
                raise Conflict("The failed job no longer exists.")
            self.client.put(f"/job/{incident.job.engine_task_id}/retries", {"retries": retries})
        self._after(incident.process_instance, actor)
        return Incident.objects.get(id=incident.id)
