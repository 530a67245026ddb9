"""Our projection rows of a remote engine's definitions and instances.

The rest of the product lists instances, tasks, history and variables from our tables (through
bpms.selectors), so after every operation the adapter reads the instance back from the engine and
writes what changed, with the timeline events of the change, in one transaction with the instance
row locked: of two concurrent syncs the second reads the engine after the first has written. The
same function serves the periodic sync (tasks.py) that picks up changes others made on the engine.

Row keys: wire.local_id(engine id); the engine's ids are kept in `engine_spec` (definition),
`engine_state` (instance) and `engine_task_id` (user task, activity instance).
"""

from datetime import timedelta
from functools import lru_cache
from xml.etree import ElementTree

from django.db import transaction
from django.utils import timezone

from bpms.models import (ActivityInstance, Deployment, ExternalTask, Incident, Job, ProcessDefinition,
                         ProcessInstance, ProcessVariable, UserTask)
from bpms.engine import variable_rows
from bpms.engine.embedded import bpmn_xml
from bpms.services.incidents import DELETED, RETRIED
from eximee import timeline
from eximee.errors import NotFound

from . import wire

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ENDED_STATES = {"COMPLETED": ProcessInstance.COMPLETED, "EXTERNALLY_TERMINATED": ProcessInstance.CANCELLED,
                "INTERNALLY_TERMINATED": ProcessInstance.CANCELLED}


def remote_id(row):
    """The engine's id of one of our projection rows."""
    if isinstance(row, ProcessDefinition):
        return row.engine_spec.get("remoteId") or str(row.id)
    if isinstance(row, ProcessInstance):
        return row.engine_state.get("remoteId") or str(row.id)
    return row.engine_task_id


def _aware(text):
    moment = wire.parse_date(text)
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.utc)
    return moment


# --- definitions ---------------------------------------------------------------------------------

def definition(client, definition_remote_id):
    """Our row of a remote process definition, created on first sight (definitions never change)."""
    found = ProcessDefinition.objects.filter(id=wire.local_id(definition_remote_id)).first()
    if found is not None:
        return found
    dto = client.get(f"/process-definition/{definition_remote_id}")
    xml = client.get(f"/process-definition/{definition_remote_id}/xml").get("bpmn20Xml") or ""
    deployment_id = dto.get("deploymentId") or definition_remote_id
    with transaction.atomic():
        deployment, _ = Deployment.objects.get_or_create(
            id=wire.local_id(deployment_id), defaults={"name": f"engine deployment {deployment_id}"})
        row, _ = ProcessDefinition.objects.get_or_create(
            id=wire.local_id(definition_remote_id),
            defaults={"key": dto["key"], "version": dto.get("version") or 1, "name": dto.get("name") or "",
                      "deployment": deployment, "resource_name": dto.get("resource") or "", "bpmn_xml": xml,
                      "engine_spec": {"remoteId": definition_remote_id, "deploymentId": deployment_id}})
    return row


# --- instances -----------------------------------------------------------------------------------

class _Snapshot:
    """What the engine says about one instance right now."""

    def __init__(self, client, instance_remote_id, known_task_ids):
        found = client.get("/history/process-instance", processInstanceId=instance_remote_id)
        if not found:
            raise NotFound(f"Process instance {instance_remote_id} does not exist in the engine.")
        self.history = found[0]
        self.ended = self.history.get("state") in ENDED_STATES
        query = {"processInstanceId": instance_remote_id}
        self.activities = client.get("/history/activity-instance", **query, sortBy="startTime", sortOrder="asc")
        if self.ended:
            self.variables = {v["name"]: v for v in client.get("/history/variable-instance", **query,
                                                                deserializeValues="false")}
            self.tasks = []
        else:
            self.variables = client.get(f"/process-instance/{instance_remote_id}/variables", deserializeValues="false")
            self.tasks = client.get("/task", **query)
        self.external_tasks = client.get("/external-task", **query) if not self.ended else []
        self.jobs = client.get("/job", **query) if not self.ended else []
        open_ids = {t["id"] for t in self.tasks}
        self.finished_tasks = {}
        if known_task_ids - open_ids:
            self.finished_tasks = {t["id"]: t for t in client.get("/history/task", **query)}
        self.candidates = {t["id"]: _candidates(client, t) for t in self.tasks if t["id"] not in known_task_ids}
        self.incidents = client.get("/incident", **query) if not self.ended else []


def _candidates(client, task):
    """(users, groups) from the engine's identity links: expressions in the model are evaluated
    there, so these are what the engine itself checks."""
    try:
        links = client.get(f"/task/{task['id']}/identity-links", type="candidate")
    except NotFound:
        return [], []     # the task ended between the list and this read: the next sync ends ours
    return ([link["userId"] for link in links if link.get("userId")],
            [link["groupId"] for link in links if link.get("groupId")])


def _catchers(bpmn_xml, kind, name):
    """(start event ids, other element ids) of a model that catch the message or signal (kind) of
    this name."""
    try:
        root = ElementTree.fromstring(bpmn_xml)
    except ElementTree.ParseError:
        return set(), set()
    refs = {element.get("id") for element in root.iter(f"{{{BPMN}}}{kind}") if element.get("name") == name}
    starts, others = set(), set()
    for element in root.iter():
        caught = element.tag == f"{{{BPMN}}}receiveTask" and element.get("messageRef") in refs
        caught = caught or any(child.tag == f"{{{BPMN}}}{kind}EventDefinition" and child.get(f"{kind}Ref") in refs
                               for child in element)
        if caught:
            (starts if element.tag == f"{{{BPMN}}}startEvent" else others).add(element.get("id"))
    return starts, others


@lru_cache(maxsize=64)
def _forms(xml):
    """{user task id: form fields} of a model."""
    return bpmn_xml.user_task_forms(xml.encode())


def _timer_placement(bpmn_xml, activity_id):
    """(follows an event-based gateway, interrupts) of a timer event, from the model: the engine's job
    type tells neither (an intermediate timer is one job type wherever it waits, a boundary another)."""
    try:
        root = ElementTree.fromstring(bpmn_xml)
    except ElementTree.ParseError:
        return False, True
    gateways = {element.get("id") for element in root.iter(f"{{{BPMN}}}eventBasedGateway")}
    after_gateway = any(flow.get("targetRef") == activity_id and flow.get("sourceRef") in gateways
                        for flow in root.iter(f"{{{BPMN}}}sequenceFlow"))
    event = next((element for element in root.iter() if element.get("id") == activity_id), None)
    interrupting = event is None or (event.get("cancelActivity") != "false" and event.get("isInterrupting") != "false")
    return after_gateway, interrupting


def definitions_catching(kind, name):
    """(definitions whose instances may wait for the event, latest definitions that start on it)."""
    catching, starting = [], {}
    for row in ProcessDefinition.objects.filter(bpmn_xml__contains=name).order_by("key", "-version"):
        starts, others = _catchers(row.bpmn_xml, kind, name)
        if others:
            catching.append(row)
        if starts and row.key not in starting:
            starting[row.key] = row
    return catching, list(starting.values())


def caught(instance, kind, name):
    """{(activity instance, activity id)} of the instance's catchers of the event that have ended."""
    ids = set().union(*_catchers(instance.definition.bpmn_xml, kind, name))
    return set(ActivityInstance.objects.filter(process_instance=instance, activity_id__in=ids, ended_at__isnull=False)
               .values_list("engine_task_id", "activity_id"))


def catching_activity(instance, kind, name):
    """The element of the instance that caught the event last (a correlation's answer does not say)."""
    starts, others = _catchers(instance.definition.bpmn_xml, kind, name)
    found = (ActivityInstance.objects.filter(process_instance=instance, activity_id__in=starts | others,
                                             ended_at__isnull=False)
             .order_by("-ended_at", "-started_at").values_list("activity_id", flat=True).first())
    return found or min(starts | others, default="")


def instances_started_since_sync(client, definition, actor, *, newest=100):
    """Instances of a definition the engine started that we have not seen yet, read in."""
    found = client.get("/history/process-instance", processDefinitionId=remote_id(definition),
                       sortBy="startTime", sortOrder="desc", maxResults=newest)
    known = set(ProcessInstance.objects.filter(id__in=[wire.local_id(dto["id"]) for dto in found])
                .values_list("id", flat=True))
    return [sync_instance(client, dto["id"], actor=actor) for dto in reversed(found)
            if wire.local_id(dto["id"]) not in known]


def sync_instance(client, instance_remote_id, *, actor, end_reason=None):
    """Bring our rows of one instance in step with the engine; returns our ProcessInstance."""
    row_id = wire.local_id(instance_remote_id)
    with transaction.atomic():
        instance = ProcessInstance.objects.select_for_update(of=("self",)).filter(id=row_id).first()
        known = set(UserTask.objects.filter(process_instance_id=row_id, state=UserTask.CREATED)
                    .values_list("engine_task_id", flat=True)) if instance else set()
        snapshot = _Snapshot(client, instance_remote_id, known)
        writer = _Writer(client, instance, instance_remote_id, snapshot, actor)
        writer.write_instance(end_reason)
        writer.write_activities()
        writer.write_tasks()
        writer.write_external_tasks()
        writer.write_jobs()
        writer.write_incidents()
        writer.write_variables()
        writer.flush_timeline()
        return writer.instance


class _Writer:
    def __init__(self, client, instance, instance_remote_id, snapshot, actor):
        self.client, self.instance, self.remote_id, self.snapshot = client, instance, instance_remote_id, snapshot
        self.actor = actor or ""
        self.now = timezone.now()
        self.events = []
        self.end_events = []     # the instance's end comes after what ended with it
        self.jobs = {}           # the engine's job id -> our Job row, once written

    def event(self, kind, summary, data=None):
        self.events.append((kind, summary, data or {}))

    def flush_timeline(self):
        for kind, summary, data in self.events + self.end_events:
            timeline.record(kind, summary, business_key=self.instance.business_key,
                            process_instance_id=self.instance.id, actor=self.actor, data=data)

    def write_instance(self, end_reason):
        history = self.snapshot.history
        state = ENDED_STATES.get(history.get("state"), ProcessInstance.ACTIVE)
        # A boundary event is not where the instance is, only what may interrupt it (an engine may list
        # it as an open activity instance while it waits): left out, as the embedded engine does.
        active_ids = sorted({a["activityId"] for a in self.snapshot.activities
                             if not a.get("endTime") and not (a.get("activityType") or "").startswith("boundary")})
        fields = {
            "state": state, "suspended": history.get("state") == "SUSPENDED",
            "has_incident": bool(self.snapshot.incidents),
            "active_activity_ids": active_ids if state == ProcessInstance.ACTIVE else [],
            "ended_at": _aware(history.get("endTime")) if state != ProcessInstance.ACTIVE else None,
        }
        if self.instance is None:
            definition_row = definition(self.client, history["processDefinitionId"])
            self.instance = ProcessInstance(
                id=wire.local_id(self.remote_id), definition=definition_row,
                process_definition_key=definition_row.key, business_key=history.get("businessKey") or None,
                started_by=self.actor or history.get("startUserId") or "",
                started_at=_aware(history.get("startTime")) or self.now,
                engine_state={"remoteId": self.remote_id}, **fields)
            if state != ProcessInstance.ACTIVE:
                self.instance.end_reason = end_reason or history.get("deleteReason") or ""
            self.instance.save(force_insert=True)
            self.event("process.started", f"{definition_row.key} v{definition_row.version} started",
                       {"processDefinitionKey": definition_row.key, "version": definition_row.version})
            if state == ProcessInstance.COMPLETED:
                self.end_events.append(("process.completed", f"{definition_row.key} completed", {}))
            return
        before = self.instance.state
        if before == ProcessInstance.ACTIVE and state != ProcessInstance.ACTIVE:
            fields["end_reason"] = end_reason or history.get("deleteReason") or ""
        elif before != ProcessInstance.ACTIVE:
            fields.pop("ended_at")
        for name, value in fields.items():
            setattr(self.instance, name, value)
        self.instance.save(update_fields=list(fields))
        if before == ProcessInstance.ACTIVE and state == ProcessInstance.COMPLETED:
            self.end_events.append(("process.completed", f"{self.instance.process_definition_key} completed", {}))
        elif before == ProcessInstance.ACTIVE and state == ProcessInstance.CANCELLED:
            reason = self.instance.end_reason
            self.end_events.append(("process.cancelled", f"cancelled{': ' + reason if reason else ''}",
                                    {"reason": reason}))

    def write_activities(self):
        existing = {a.engine_task_id: a for a in ActivityInstance.objects.filter(process_instance=self.instance)}
        created, ended = [], []
        previous = None
        for dto in self.snapshot.activities:
            ended_at = _aware(dto.get("endTime"))
            row = existing.get(dto["id"])
            started_at = _aware(dto.get("startTime")) or self.now
            if previous is not None and started_at <= previous:
                # The engine's times have milliseconds: a microsecond apart, activities entered in the
                # same millisecond keep the engine's order in our history.
                started_at = previous + timedelta(microseconds=1)
            previous = row.started_at if row is not None else started_at
            if row is None:
                created.append(ActivityInstance(
                    process_instance=self.instance, engine_task_id=dto["id"][:64], activity_id=dto["activityId"],
                    activity_name=dto.get("activityName") or "", activity_type=dto.get("activityType") or "",
                    started_at=started_at, ended_at=max(ended_at, started_at) if ended_at else None,
                    canceled=bool(dto.get("canceled"))))
            elif row.ended_at is None and ended_at is not None:
                row.ended_at, row.canceled = ended_at, bool(dto.get("canceled"))
                ended.append(row)
        ActivityInstance.objects.bulk_create(created)
        ActivityInstance.objects.bulk_update(ended, ["ended_at", "canceled"])
        for row in created:
            self.event("activity.started", f"{row.activity_type} {row.activity_id} started",
                       {"activityId": row.activity_id, "activityType": row.activity_type})
        for row in [*ended, *(r for r in created if r.ended_at)]:
            self.event("activity.completed", f"{row.activity_type} {row.activity_id} completed",
                       {"activityId": row.activity_id})

    def write_tasks(self):
        existing = {t.engine_task_id: t for t in UserTask.objects.filter(process_instance=self.instance)}
        created, changed = [], []
        for dto in self.snapshot.tasks:
            row = existing.get(dto["id"])
            values = _task_fields(dto)
            if row is None:
                users, groups = self.snapshot.candidates[dto["id"]]
                row = UserTask(process_instance=self.instance, engine_task_id=dto["id"],
                               id=wire.local_id(dto["id"]), process_definition_key=self.instance.process_definition_key,
                               business_key=self.instance.business_key, candidate_users=users,
                               candidate_groups=groups, created_at=_aware(dto.get("created")) or self.now,
                               form_fields=_forms(self.instance.definition.bpmn_xml).get(values["task_definition_key"], []),
                               **values)
                created.append(row)
            elif any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                changed.append(row)
        UserTask.objects.bulk_create(created)
        if changed:
            UserTask.objects.bulk_update(changed, list(_task_fields(self.snapshot.tasks[0])))
        open_ids = {dto["id"] for dto in self.snapshot.tasks}
        for row in existing.values():
            if row.state == UserTask.CREATED and row.engine_task_id not in open_ids:
                self._end_task(row, self.snapshot.finished_tasks.get(row.engine_task_id) or {})
        for row in created:
            self.event("task.created", f"{row.name or row.task_definition_key} created",
                       {"taskId": str(row.id), "taskDefinitionKey": row.task_definition_key,
                        "assignee": row.assignee, "candidateGroups": row.candidate_groups})

    def _end_task(self, row, history):
        completed = (history.get("deleteReason") or "completed") == "completed"
        row.state = UserTask.COMPLETED if completed else UserTask.CANCELLED
        row.ended_at = _aware(history.get("endTime")) or self.now
        if completed:
            row.completed_by = self.actor
        elif self.instance.state == ProcessInstance.CANCELLED and self.instance.end_reason:
            row.delete_reason = self.instance.end_reason     # ours: the engine's delete reason is fixed
        else:
            row.delete_reason = history.get("deleteReason") or ""
        row.save(update_fields=["state", "ended_at", "completed_by", "delete_reason"])
        if completed:
            self.event("task.completed", f"{row.name or row.task_definition_key} completed by {self.actor}",
                       {"taskId": str(row.id), "taskDefinitionKey": row.task_definition_key})

    def write_external_tasks(self):
        existing = {t.engine_task_id: t for t in ExternalTask.objects.filter(process_instance=self.instance)}
        created, changed = [], []
        for dto in self.snapshot.external_tasks:
            row, values = existing.get(dto["id"]), _external_task_fields(dto)
            if row is None:
                created.append(_new_external_task(self.instance, dto))
            elif any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                changed.append(row)
        ExternalTask.objects.bulk_create(created, ignore_conflicts=True)   # a fetch may have written it meanwhile
        if changed:
            ExternalTask.objects.bulk_update(changed, list(_external_task_fields(self.snapshot.external_tasks[0])))
        # Gone from the engine (completed, cancelled, a BPMN error caught): gone from our queue, as in
        # embedded mode.
        open_ids = {dto["id"] for dto in self.snapshot.external_tasks}
        ExternalTask.objects.filter(id__in=[row.id for key, row in existing.items() if key not in open_ids]).delete()

    def write_jobs(self):
        """The engine's timers and continuations of the instance as our Job rows (what /v1/jobs
        lists); those the engine no longer has are deleted. Its job executor runs them, not ours
        (bpms.services.jobs leaves them alone)."""
        existing = {row.engine_task_id: row for row in Job.objects.filter(process_instance=self.instance)}
        new = {dto.get("jobDefinitionId") for dto in self.snapshot.jobs if dto["id"] not in existing}
        # Only a new job needs its definition (the activity it waits at): none, no read of the model row.
        definitions = _job_definitions(self.client, self.instance.definition, new) if new else {}
        created, changed = [], []
        for dto in self.snapshot.jobs:
            row, values = existing.get(dto["id"]), _job_fields(dto)
            if row is None:
                row = _new_job(self.instance, dto, definitions.get(dto.get("jobDefinitionId")) or {})
                self.exception_details_of(row)
                created.append(row)
            elif any(getattr(row, name) != value for name, value in values.items()):
                failed_again = values["exception_message"] and values["retries"] != row.retries
                for name, value in values.items():
                    setattr(row, name, value)
                if failed_again:
                    self.exception_details_of(row)
                changed.append(row)
        Job.objects.bulk_create(created)
        if changed:
            Job.objects.bulk_update(changed, [*_job_fields(self.snapshot.jobs[0]), "exception_details"])
        open_ids = {dto["id"] for dto in self.snapshot.jobs}
        Job.objects.filter(id__in=[row.id for key, row in existing.items() if key not in open_ids]).delete()
        self.jobs = {row.engine_task_id: row for row in [*existing.values(), *created]
                     if row.engine_task_id in open_ids}

    def exception_details_of(self, job):
        """The engine's stack trace of a job's last failure (Camunda keeps it apart from the job)."""
        if not job.exception_message:
            return
        try:
            job.exception_details = self.client.get(f"/job/{job.engine_task_id}/stacktrace") or ""
        except NotFound:
            job.exception_details = ""

    def write_incidents(self):
        """The engine's open incidents as ours, linked to our row of the failed external task or
        job: new ones opened, those the engine no longer has resolved — retried when their
        external task or job is still there, else deleted."""
        rows = {row.id: row for row in Incident.objects.filter(process_instance=self.instance, resolved_at__isnull=True)}
        known = set(Incident.objects.filter(id__in=[wire.local_id(dto["id"]) for dto in self.snapshot.incidents])
                    .values_list("id", flat=True))
        tasks = {row.engine_task_id: row for row in ExternalTask.objects.filter(process_instance=self.instance)}
        for dto in self.snapshot.incidents:
            if wire.local_id(dto["id"]) in known:
                continue
            failed_task = dto.get("incidentType") == Incident.FAILED_EXTERNAL_TASK
            task = tasks.get(dto.get("configuration")) if failed_task else None
            job = self.jobs.get(dto.get("configuration")) if not failed_task else None
            owner = task or job
            row = Incident.objects.create(
                id=wire.local_id(dto["id"]), type=dto.get("incidentType") or Incident.FAILED_JOB,
                process_instance=self.instance, process_definition_key=self.instance.process_definition_key,
                business_key=self.instance.business_key, activity_id=dto.get("activityId") or "",
                configuration=str(owner.id) if owner else (dto.get("configuration") or "")[:64], external_task=task,
                job=job, message=dto.get("incidentMessage") or "",
                details=job.exception_details if job else _error_details(self.client, task))
            self.event("incident.created", f"Incident at {row.activity_id}: {row.message}"[:500],
                       {"incidentId": str(row.id), "type": row.type, "activityId": row.activity_id})
        still_open = {wire.local_id(dto["id"]) for dto in self.snapshot.incidents}
        for row in rows.values():
            if row.id in still_open:
                continue
            alive = (row.external_task_id if row.type == Incident.FAILED_EXTERNAL_TASK else row.job_id) is not None
            row.resolved_at, row.resolved_by, row.resolution = self.now, self.actor, RETRIED if alive else DELETED
            row.save(update_fields=["resolved_at", "resolved_by", "resolution"])
            self.event("incident.resolved", f"Incident at {row.activity_id} {row.resolution} by {self.actor}",
                       {"incidentId": str(row.id), "resolution": row.resolution})

    def write_variables(self):
        before = {name: (kind, value) for name, kind, value in ProcessVariable.objects.filter(
            process_instance=self.instance).values_list("name", "type", "value")}
        after = {name: (wire.type_name(v), wire.plain(v)) for name, v in self.snapshot.variables.items()}
        variable_rows.write(self.instance, before, after, actor=self.actor, now=self.now, event=self.event)


def _task_fields(dto):
    delegation = dto.get("delegationState")
    return {
        "task_definition_key": dto.get("taskDefinitionKey") or "", "name": dto.get("name") or "",
        "description": dto.get("description") or "", "assignee": dto.get("assignee") or None,
        "owner": dto.get("owner") or None, "delegation_state": delegation.lower() if delegation else None,
        "priority": dto.get("priority") if dto.get("priority") is not None else 50,
        "due_at": _aware(dto.get("due")), "follow_up_at": _aware(dto.get("followUp")),
        "form_key": dto.get("formKey") or "",
    }


def _error_details(client, task):
    """What the failing worker reported in full (Camunda keeps it apart from the task's message)."""
    if task is None:
        return ""
    try:
        return client.get(f"/external-task/{task.engine_task_id}/errorDetails") or ""
    except NotFound:
        return ""


def _external_task_fields(dto):
    """What may change on an engine's external task while it is open."""
    return {
        "worker_id": dto.get("workerId") or "", "lock_expires_at": _aware(dto.get("lockExpirationTime")),
        "retries": dto.get("retries"), "error_message": dto.get("errorMessage") or "",
        "priority": dto.get("priority") or 0,
    }


def _new_external_task(instance, dto):
    return ExternalTask(
        id=wire.local_id(dto["id"]), process_instance=instance, engine_task_id=dto["id"][:64],
        process_definition_key=dto.get("processDefinitionKey") or instance.process_definition_key,
        business_key=dto.get("businessKey") or instance.business_key, activity_id=dto.get("activityId") or "",
        topic=dto.get("topicName") or "", extension_properties=dto.get("extensionProperties") or {},
        **_external_task_fields(dto))


# Camunda's job types (GET /job-definition) as our Job's type and kind.
_JOB_TYPES = {"timer-intermediate-transition": (Job.TIMER, "catch"), "timer-transition": (Job.TIMER, "boundary"),
              "timer-start-event-subprocess": (Job.TIMER, "event-subprocess"),
              "timer-start-event": (Job.TIMER_START, "start")}


def _job_definitions(client, definition, wanted):
    """{job definition id: the engine's job definition} of a process definition, read once and kept
    on its row (definitions never change); read again when a job names one not there (an engine
    may add some)."""
    known = definition.engine_spec.get("jobDefinitions")
    if known is None or not wanted <= set(known) | {None}:
        known = {dto["id"]: {"activityId": dto.get("activityId") or "", "jobType": dto.get("jobType") or "",
                             "jobConfiguration": dto.get("jobConfiguration") or ""}
                 for dto in client.get("/job-definition", processDefinitionId=remote_id(definition))}
        definition.engine_spec = {**definition.engine_spec, "jobDefinitions": known}
        ProcessDefinition.objects.filter(id=definition.id).update(engine_spec=definition.engine_spec)
    return known


def _job_fields(dto):
    """What may change on an engine's job while it exists."""
    return {"due_at": _aware(dto.get("dueDate")) or _aware(dto.get("createTime")) or timezone.now(),
            "retries": dto.get("retries") if dto.get("retries") is not None else 0,
            "exception_message": dto.get("exceptionMessage") or ""}


def _new_job(instance, dto, definition):
    """definition: the job's job definition as _job_definitions keeps it ({} when the engine has none)."""
    job_type, configuration = definition.get("jobType") or "", definition.get("jobConfiguration") or ""
    if job_type == "async-continuation":     # configuration "async-before" or "async-after"
        type_, kind = Job.CONTINUATION, configuration.removeprefix("async-") or "before"
    else:
        type_, kind = _JOB_TYPES.get(job_type, (Job.TIMER, ""))
    activity_id = definition.get("activityId") or ""
    interrupting = True
    if type_ == Job.TIMER:
        after_gateway, interrupting = _timer_placement(instance.definition.bpmn_xml, activity_id)
        kind = "event-gateway" if kind == "catch" and after_gateway else kind
    cycle = configuration.removeprefix("CYCLE: ") if configuration.startswith("CYCLE: ") else ""
    return Job(id=wire.local_id(dto["id"]), engine_task_id=dto["id"][:64], type=type_, kind=kind,
               interrupting=interrupting, process_instance=instance, process_definition_id=instance.definition_id,
               process_definition_key=dto.get("processDefinitionKey") or instance.process_definition_key,
               business_key=instance.business_key, activity_id=activity_id, cycle=cycle[:100], **_job_fields(dto))


def locked_external_tasks(client, fetched, *, actor):
    """Our rows of external tasks a fetch just locked in the engine, with the lock it reported; an
    instance we have not seen yet is read first."""
    rows = []
    for dto in fetched:
        instance = ProcessInstance.objects.filter(id=wire.local_id(dto["processInstanceId"])).first() or \
            sync_instance(client, dto["processInstanceId"], actor=actor)
        row = ExternalTask.objects.filter(id=wire.local_id(dto["id"])).first()
        if row is None:
            row = _new_external_task(instance, dto)
            row.save(force_insert=True)
        else:
            ExternalTask.objects.filter(id=row.id).update(**_external_task_fields(dto))
            for name, value in _external_task_fields(dto).items():
                setattr(row, name, value)
        row.fetched_variables = wire.plain_all(dto.get("variables"))
        rows.append(row)
    return rows


def refresh_external_task(client, row):
    """Our row of an external task after a lock change the engine made."""
    dto = client.get(f"/external-task/{row.engine_task_id}")
    ExternalTask.objects.filter(id=row.id).update(**_external_task_fields(dto))
