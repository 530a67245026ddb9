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

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bpms.engine import checks, interface
from bpms.models import ProcessDefinition, ProcessInstance, UserTask
from bpms.selectors.variables import variables_of_instance
from eximee import timeline
from eximee.errors import Conflict, NotFound

from . import projection, wire
from .client import RemoteClient


def _instance(instance_id, *, allow_suspended=False):
    return checks.active_instance(ProcessInstance.objects, instance_id, allow_suspended=allow_suspended)


def _task(task_id):
    try:
        task = UserTask.objects.select_related("process_instance").get(id=task_id)
    except (UserTask.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"Task {task_id} does not exist.") from None
    return checks.open_task(task, task.process_instance)


def _result(instance):
    return interface.InstanceResult(str(instance.id), instance.state, tuple(instance.active_activity_ids))


class Camunda7Engine(interface.Engine):

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
            definitions=tuple(interface.DeployedDefinition(str(r.id), r.key, r.version, r.name) for r in rows))

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

    # --- async layer: engine_task_id is the engine's external task, execution or job id ----------

    def _operate(self, instance_id, actor, method, path, body=None):
        instance = _instance(instance_id)
        self.client.request(method, path, json=body if body is not None else {})
        return self._after(instance, actor)

    def complete_service_task(self, instance_id, engine_task_id, *, variables, actor):
        return self._operate(instance_id, actor, "POST", f"/external-task/{engine_task_id}/complete",
                             {"workerId": settings.CAMUNDA7_WORKER_ID, "variables": wire.typed_all(variables)})

    def throw_bpmn_error(self, instance_id, engine_task_id, *, error_code, error_message="", variables=None, actor):
        return self._operate(instance_id, actor, "POST", f"/external-task/{engine_task_id}/bpmnError",
                             {"workerId": settings.CAMUNDA7_WORKER_ID, "errorCode": error_code,
                              "errorMessage": error_message, "variables": wire.typed_all(variables)})

    def deliver_message(self, instance_id, engine_task_id, *, message_name, variables, actor):
        instance = _instance(instance_id)
        return self._operate(instance_id, actor, "POST", "/message", {
            "messageName": message_name, "processInstanceId": projection.remote_id(instance),
            "processVariables": wire.typed_all(variables)})

    def deliver_signal(self, instance_id, engine_task_id, *, signal_name, variables, actor):
        return self._operate(instance_id, actor, "POST", "/signal", {
            "name": signal_name, "executionId": engine_task_id, "variables": wire.typed_all(variables)})

    def fire_timer(self, instance_id, engine_task_id, *, actor):
        return self._operate(instance_id, actor, "POST", f"/job/{engine_task_id}/execute")

    def run_continuation(self, instance_id, engine_task_id, *, actor):
        return self._operate(instance_id, actor, "POST", f"/job/{engine_task_id}/execute")

