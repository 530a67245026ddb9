"""One engine operation on one instance: load the state, act, run, and write state, projections,
history and timeline in bulk (a handful of queries per operation, whatever the model's size)."""

import uuid
from collections import defaultdict
from datetime import timedelta

from django.utils import timezone
from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.event_definitions import ErrorEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from bpms.engine import interface, variable_rows
from bpms.models import ActivityInstance, ProcessDefinition, ProcessInstance, ProcessVariable, UserTask
from bpms.selectors.instances import attach_details
from bpms.services import waits
from eximee.compiled import CompiledUpdate
from eximee.errors import Conflict, NotFound
from eximee.logging import current_request_id
from eximee.models import TimelineEvent

from . import assignment, runtime, scopes, serialization
from .scripting import ExpressionFailed, evaluate_text, metadata
from .variables import stored, type_of


def _spec_of(definition_id):
    return serialization.cached_spec(
        definition_id, lambda: ProcessDefinition.objects.values_list("engine_spec", flat=True).get(id=definition_id))


def _waits_for_anything(workflow):
    """Whether the async layer may hold rows for this state (a superset of assignment.wait_states)."""
    return bool(runtime.waiting_service_tasks(workflow) or runtime.waiting_events(workflow)
                or runtime.held_tasks(workflow))


def _as_stored(variables):
    """{name: (type, value)} as the variable rows hold them."""
    return {name: (type_of(value), stored(value)) for name, value in variables.items()}


class Session:
    def __init__(self, instance, actor, workflow, *, new, now=None):
        self.instance = instance
        self.actor = actor or ""
        self.workflow = workflow
        self.new = new
        self.now = now or timezone.now()
        self.log = runtime.StepLog()
        self.events = []
        self.completed_rows = {}          # engine task id -> UserTask row completed in this operation
        self.variables_after = {}
        self.entered = 0
        self.children = []                # child instances this operation started
        # What the projection rows hold: nothing yet for a new instance; for a loaded one, what the
        # last save wrote from this very state (every write to these rows goes through save()), so
        # an operation finds what changed without reading the rows back.
        active = not new and instance.state == ProcessInstance.ACTIVE
        self.open_activities = {str(t.id) for t in runtime.active_activities(workflow)} if active else set()
        self.open_user_tasks = {str(t.id) for t in runtime.open_user_tasks(workflow)} if active else set()
        self.waited = active and _waits_for_anything(workflow)
        variables = runtime.variables_of(workflow) if active else None
        if new:
            self.stored_variables = {}
        elif variables is not None:
            self.stored_variables = _as_stored(variables)
        else:   # a state without variables of its own (not one an operation starts from): the rows say
            self.stored_variables = {name: (kind, value) for name, kind, value in ProcessVariable.objects.filter(
                process_instance=instance).values_list("name", "type", "value")}
        # Called instances of the call activities waiting now (_end_abandoned_calls).
        self.calls = {t.id: t.internal_data["eximee_child"] for t in runtime.waiting_call_activities(workflow)
                      if "eximee_child" in t.internal_data} if active else {}
        # The variables conditional events last saw, and which of them waited then (_fire_conditions).
        self.condition_baseline = (self.stored_variables, {t.id for t in runtime.waiting_conditions(workflow)})

    # --- construction ---------------------------------------------------------------------------

    @classmethod
    def start(cls, definition, *, business_key, actor, parent=None):
        # Inserted once, by save(): foreign keys to it are checked at commit (deferred).
        now = timezone.now()
        instance = ProcessInstance(
            definition=definition, process_definition_key=definition.key, business_key=business_key or None,
            started_by=actor or "", started_at=now, parent=parent[0] if parent else None,
            parent_engine_task_id=parent[1] if parent else "")
        spec, subprocess_specs = _spec_of(definition.id)
        workflow = runtime.new_workflow(spec, subprocess_specs, cls._identity(instance))
        session = cls(instance, actor, workflow, new=True)
        session.event("process.started", f"{definition.key} v{definition.version} started",
                      {"processDefinitionKey": definition.key, "version": definition.version})
        return session

    @classmethod
    def load(cls, instance, actor, now=None):
        spec, subprocess_specs = _spec_of(instance.definition_id)
        workflow = serialization.state_from_json(instance.engine_state, spec, subprocess_specs)
        return cls(instance, actor, runtime.attach(workflow, cls._identity(instance)), new=False, now=now)

    @staticmethod
    def _identity(instance):
        return {"id": str(instance.id), "business_key": instance.business_key}

    def result(self):
        return interface.InstanceResult(str(self.instance.id), self.instance.state,
                                        tuple(self.instance.active_activity_ids),
                                        instance=self.instance if self.new else None)

    # --- timeline -------------------------------------------------------------------------------

    def event(self, kind, summary, data=None, actor=None):
        self.events.append(self.timeline_event(self.instance, kind, summary, data, self.actor if actor is None else actor))

    @staticmethod
    def timeline_event(instance, kind, summary, data, actor):
        return TimelineEvent(kind=kind, summary=summary[:500], business_key=instance.business_key,
                             process_instance_id=instance.id, actor=actor or "", data=data or {},
                             occurred_at=timezone.now(), request_id=current_request_id() or "")

    # --- acting on the engine -------------------------------------------------------------------

    def begin(self, variables, start_activity_id):
        start = self.workflow.task_tree
        start.data.update(variables or {})
        for task_spec in self.workflow.spec.task_specs.values():
            initiator = runtime.metadata_of_spec(task_spec).get("initiator")
            if initiator and (not start_activity_id or task_spec.bpmn_id == start_activity_id):
                start.data[initiator] = self.actor
        if start_activity_id:
            self._start_at(start_activity_id)

    def _start_at(self, start_activity_id):
        """Start by a message/signal/timer start event: fire that one; the start split cancels the
        others."""
        runtime.run_engine(self.workflow, self.log)
        waiting = [t for t in self.workflow.get_tasks(state=TaskState.WAITING)
                   if getattr(t.task_spec, "bpmn_id", None) == start_activity_id]
        if not waiting:
            raise NotFound(f"The process has no start event '{start_activity_id}' to start from.")
        task = waiting[0]
        if metadata(task).get("event") in ("message", "signal"):
            runtime.catch_at(task, lambda t: t.task_spec.event_definition)
        else:
            task._set_internal_data(event_fired=True)
            task.task_spec._update(task)

    def engine_task(self, engine_task_id):
        try:
            task = self.workflow.get_task_from_id(uuid.UUID(str(engine_task_id)))
        except (ValueError, KeyError):
            task = None
        if task is None:
            raise NotFound(f"Instance {self.instance.id} has no engine task {engine_task_id}.")
        return task

    def complete_user_task(self, row, task, variables):
        if task.state != TaskState.READY:
            raise Conflict(f"Task {row.id} is no longer open.")
        runtime.run_task(task, self.log, variables)
        runtime.share_variables(self.workflow, variables, task)
        self.completed_rows[str(task.id)] = row

    def finish_waiting_task(self, task, kind, summary, variables=None):
        task.data.update(variables or {})
        runtime.finish(task, self.log)
        runtime.share_variables(self.workflow, variables, task)
        self.event(kind, summary, {"activityId": runtime.activity_id(task)})

    def throw_error(self, task, code, message):
        """Caught by an error boundary event or error event subprocess (errorCodeVariable /
        errorMessageVariable set); uncaught, Camunda 7 ends the execution at the task (it logs and
        ends the path unless enableExceptionsAfterUnhandledBpmnError is set), and so do we; in a
        called instance the error then goes on to the call activity (_notify_parent)."""
        self.event("bpmnerror.thrown", f"BPMN error {code} at {runtime.activity_id(task)}",
                   {"errorCode": code, "errorMessage": message, "activityId": runtime.activity_id(task)})
        catchers = runtime.error_catchers(self.workflow, task, code)
        if not catchers:
            runtime.end_branch(task)
            self.log.uncaught_errors.append((code, message))
            return
        for catcher in catchers:
            meta = metadata(catcher)
            values = {}
            if meta.get("errorCodeVariable"):
                values[meta["errorCodeVariable"]] = code
            if meta.get("errorMessageVariable"):
                values[meta["errorMessageVariable"]] = message
            catcher.data.update(task.data)
            catcher.data.update(values)
        event = BpmnEvent(ErrorEventDefinition(code, code=code), payload=None, target=task.workflow)
        task.workflow.top_workflow.catch(event)

    def catch(self, task, event_definition, variables, kind, summary):
        target = runtime.catch_at(task, lambda t: event_definition)
        target.data.update(variables or {})
        for child in target.children:
            child.data.update(variables or {})
        runtime.share_variables(self.workflow, variables, target)
        self.event(kind, summary, {"activityId": runtime.activity_id(task)})

    def fire_timer(self, task):
        """Fire now, whatever the wall clock says: the job that calls this decided it is due."""
        if runtime.waiting_gateway(task) is not None:
            runtime.catch_at(task, None)
        else:
            value = task._get_internal_data("event_value")
            if isinstance(task.task_spec.event_definition, CycleTimerEventDefinition) and value:
                value["next"] = self.now.isoformat()
            else:
                task._set_internal_data(event_fired=True)
            task.task_spec._update(task)
        self.event("timer.fired", f"timer {runtime.activity_id(task)} fired", {"activityId": runtime.activity_id(task)})

    def continue_async(self, engine_task_id):
        released = runtime.release_hold(self.workflow, engine_task_id)
        if not released:
            task = self.engine_task(engine_task_id)
            if not runtime.held(task):
                raise Conflict(f"Engine task {engine_task_id} is not waiting for an async continuation.")
            task.internal_data["eximee_continued"] = True

    def cancel(self, reason):
        self.workflow.cancel()
        self.instance.state = ProcessInstance.CANCELLED
        self.instance.end_reason = reason or ""
        for child in self.instance.children.select_for_update().filter(state=ProcessInstance.ACTIVE):
            child_session = Session.load(child, self.actor)
            child_session.cancel(f"parent cancelled: {reason}" if reason else "parent cancelled")
            child_session.save()
        self.event("process.cancelled", f"cancelled{': ' + reason if reason else ''}", {"reason": reason})

    # --- running ----------------------------------------------------------------------------------

    def run(self):
        """Run to the next wait states; call activities start their child instances here, and a
        child that ends at once hands its result back before we stop."""
        while True:
            runtime.run_engine(self.workflow, self.log)
            runtime.prune(self.workflow)
            progressed = False
            for task in runtime.waiting_call_activities(self.workflow):
                if "eximee_child" not in task.internal_data:
                    progressed |= self._call(task)
            progressed |= self._fire_conditions()
            if not progressed:
                break
        if self.log.uncaught_errors and self.instance.parent_id and not runtime.ended(self.workflow):
            # Camunda: the error leaves the called instance for the call activity; the rest of it ends.
            self.workflow.cancel()

    def react_to_variables(self):
        """After variables changed without any activity completing (the variables API, a resolved
        delegation): waiting conditional events may fire, as Camunda evaluates them on every change."""
        if not self.instance.suspended and runtime.waiting_conditions(self.workflow):
            self.run()

    def _fire_conditions(self):
        """Conditional events that waited before variables changed react to the changes; one
        entered since was evaluated when it was entered and reacts only to later changes."""
        waiting = runtime.waiting_conditions(self.workflow)
        after = runtime.variables_of(self.workflow) if waiting else None
        if after is None:
            return False
        (before, armed), now = self.condition_baseline, _as_stored(after)
        self.condition_baseline = (now, {task.id for task in waiting})
        changes = {name: ("update" if name in before else "create", after[name])
                   for name, value in now.items() if before.get(name) != value}
        changes.update({name: ("delete", None) for name in before if name not in now})
        return bool(changes) and runtime.fire_conditions([t for t in waiting if t.id in armed], changes)

    def _call(self, task):
        meta = metadata(task)
        definition = self._called_definition(task, meta)
        variables, business_key = assignment.call_inputs(task, meta)
        child = Session.start(definition, business_key=business_key, actor=self.actor,
                              parent=(self.instance, str(task.id)))
        child.begin(variables, None)
        child.run()
        child.save(notify_parent=False)
        self.children.append(child.instance)
        task.internal_data["eximee_child"] = str(child.instance.id)
        if child.instance.state == ProcessInstance.COMPLETED:
            self.child_completed(task, child.variables_after)
            return True
        return False

    def _called_definition(self, task, meta):
        """camunda:calledElementBinding: the latest version (default), the one deployed with the
        caller, a version number, or the latest version carrying a version tag."""
        key, binding = evaluate_text(task, meta.get("calledElement")), meta.get("binding", "latest")
        found, wanted = ProcessDefinition.objects.filter(key=key), f"'{key}'"
        if binding == "deployment":
            found = found.filter(deployment_id=self.instance.definition.deployment_id)
            wanted += " in the caller's deployment"
        elif binding == "version":
            version = evaluate_text(task, meta["version"])
            try:
                found = found.filter(version=int(version))
            except (TypeError, ValueError):
                raise ExpressionFailed(f"call activity '{runtime.activity_id(task)}': calledElementVersion "
                                       f"'{meta['version']}' is not a version number", task=task) from None
            wanted += f" version {version}"
        elif binding == "versionTag":
            tag = evaluate_text(task, meta["versionTag"])
            found = found.filter(version_tag=str(tag))
            wanted += f" with version tag '{tag}'"
        definition = found.order_by("-version").first()
        if definition is None:
            raise NotFound(f"Call activity '{runtime.activity_id(task)}' calls {wanted}, which is not deployed.")
        return definition

    def child_completed(self, task, child_variables):
        values, local_names = assignment.call_outputs(task, metadata(task), child_variables)
        for name in local_names:
            scopes.make_local(task, name)
        task.data.update(values)
        runtime.finish(task, self.log)

    # --- writing ----------------------------------------------------------------------------------

    def save(self, notify_parent=True):
        self.save_all([self], notify_parent=notify_parent)

    @classmethod
    def save_all(cls, sessions, notify_parent=True):
        """Write what the sessions' operations did: each kind of row in one statement for all of them,
        so that a batch of timers fired together costs about the SQL of one."""
        writes = _Writes()
        for session in sessions:
            session._stage(writes)
        writes.flush()
        waits.sync_all([(session.instance, states) for session in sessions
                        if (states := session._wait_states()) is not None])
        for session in sessions:
            instance = session.instance
            if notify_parent and instance.parent_id and instance.state == ProcessInstance.COMPLETED:
                session._notify_parent()
        for session in sessions:
            session._end_abandoned_calls()
            session._broadcast_signals()

    def _stage(self, writes):
        workflow, instance = self.workflow, self.instance
        completed_now = instance.state == ProcessInstance.ACTIVE and runtime.ended(workflow)
        if completed_now:
            instance.state = ProcessInstance.COMPLETED
        if instance.state != ProcessInstance.ACTIVE:
            instance.ended_at = self.now
        active = [] if instance.state != ProcessInstance.ACTIVE else runtime.active_activities(workflow)
        instance.active_activity_ids = sorted({runtime.activity_id(t) for t in active})
        instance.engine_state = serialization.state_to_json(workflow)
        # Both written without model signals: our history and timeline record the change (with actor
        # and request id), so the model-change audit's extra read and row per operation are not paid here.
        (writes.rows[ProcessInstance] if self.new else writes.changed_instances).append(instance)
        self._stage_activities(writes, active)
        created_tasks = self._stage_user_tasks(writes)
        created_variables = self._write_variables()
        if self.new:
            # A new instance's rows are all written here: its start's response needs no reads back.
            attach_details(instance, variables=created_variables, open_tasks=created_tasks, children=self.children)
        if completed_now:
            self.event("process.completed", f"{instance.process_definition_key} completed")
        writes.rows[TimelineEvent] += self.events
        self.events = []

    def _stage_activities(self, writes, active):
        existing = set(self.open_activities)
        active_ids = {str(t.id) for t in active}
        created, ended = [], []
        for task in self.log.completed:
            if not runtime.is_activity(task):
                continue
            task_id = str(task.id)
            if task_id in existing:
                existing.remove(task_id)
                ended.append(task_id)
            elif task_id not in active_ids:
                created.append(self._activity(task, ended_at=self.now))
        created.extend(self._activity(task) for task in active if str(task.id) not in existing)
        cancelled = [task_id for task_id in existing if task_id not in active_ids]
        writes.rows[ActivityInstance] += created
        writes.end_activities(self.instance, ended, ended_at=self.now)
        writes.end_activities(self.instance, cancelled, ended_at=self.now, canceled=True)
        for row in created:
            self.event("activity.started", f"{row.activity_type} {row.activity_id} started",
                       {"activityId": row.activity_id, "activityType": row.activity_type})
            if row.ended_at:
                self.event("activity.completed", f"{row.activity_type} {row.activity_id} completed",
                           {"activityId": row.activity_id})

    def _activity(self, task, ended_at=None):
        """Activities entered in one operation share its timestamp; a microsecond apart each, they
        keep the order in which the engine entered them."""
        meta = metadata(task)
        self.entered += 1
        started_at = self.now + timedelta(microseconds=self.entered)
        return ActivityInstance(process_instance=self.instance, engine_task_id=str(task.id),
                                activity_id=runtime.activity_id(task), activity_name=meta.get("name", ""),
                                activity_type=meta.get("type", ""), started_at=started_at,
                                ended_at=max(ended_at, started_at) if ended_at else None)

    def _stage_user_tasks(self, writes):
        open_tasks = {str(t.id): t for t in runtime.open_user_tasks(self.workflow)} \
            if self.instance.state == ProcessInstance.ACTIVE else {}
        existing = set(self.open_user_tasks)
        for engine_task_id, row in self.completed_rows.items():
            existing.discard(engine_task_id)
            row.state, row.completed_by, row.ended_at = UserTask.COMPLETED, self.actor, self.now
            UserTask.objects.filter(id=row.id).update(state=row.state, completed_by=row.completed_by, ended_at=row.ended_at)
            self.event("task.completed", f"{row.name or row.task_definition_key} completed by {self.actor}",
                       {"taskId": str(row.id), "taskDefinitionKey": row.task_definition_key})
        gone = [task_id for task_id in existing if task_id not in open_tasks]
        if gone:
            UserTask.objects.filter(process_instance=self.instance, state=UserTask.CREATED,
                                    engine_task_id__in=gone).update(
                state=UserTask.CANCELLED, ended_at=self.now,
                delete_reason=self.instance.end_reason or "the activity was left (boundary event or cancellation)")
        created = [assignment.user_task_row(self.instance, task, self.now)
                   for tid, task in open_tasks.items() if tid not in existing]
        writes.rows[UserTask] += created
        for row in created:
            self.event("task.created", f"{row.name or row.task_definition_key} created",
                       {"taskId": str(row.id), "taskDefinitionKey": row.task_definition_key,
                        "assignee": row.assignee, "candidateGroups": row.candidate_groups})
        return created

    def _write_variables(self):
        after, before = runtime.variables_of(self.workflow), self.stored_variables
        if after is None:
            # Every path ended without completing: the variables stay as they were.
            self.variables_after = {name: value for name, (_, value) in before.items()}
            return []
        self.variables_after = after
        return variable_rows.write(self.instance, before, _as_stored(after), actor=self.actor, now=self.now,
                                   event=self.event)

    def _wait_states(self):
        """What the instance waits for now, for waits.sync; None when it waited for nothing before
        and waits for nothing now: no async rows to reconcile."""
        states = interface.WaitStates() if self.instance.state != ProcessInstance.ACTIVE \
            else assignment.wait_states(self.workflow)
        return None if not self.waited and states == interface.WaitStates() else states

    def _end_abandoned_calls(self):
        """A call activity left before its called instance ended (an interrupting boundary event or
        event subprocess, a terminate end event) cancels that instance, as in Camunda."""
        waiting = {task.id for task in runtime.waiting_call_activities(self.workflow)}
        left = [child_id for task_id, child_id in self.calls.items() if task_id not in waiting]
        for child in ProcessInstance.objects.select_for_update().filter(id__in=left, state=ProcessInstance.ACTIVE):
            child_session = Session.load(child, self.actor)
            child_session.cancel("its call activity was left")
            child_session.save(notify_parent=False)

    def _broadcast_signals(self):
        """Signals the model threw reach every other instance waiting for them and start the
        processes they start, as POST /v1/signals would (in this instance SpiffWorkflow delivered
        them already), in this operation's transaction as in Camunda. After the thrower's rows are
        written: a receiver may be its parent or child, which reads them."""
        from bpms.services.signals import deliver_to_receivers

        signals, self.log.signals = self.log.signals, []
        for name, activity_id, variables in signals:
            reached, failed = deliver_to_receivers(name, variables=variables, actor=self.actor, sender=self.instance.id)
            self.timeline_event(self.instance, "signal.thrown",
                                f"signal {name} thrown by {activity_id}: {len(reached)} reached, {len(failed)} failed",
                                {"activityId": activity_id, "signalName": name, "reached": reached, "failed": failed},
                                self.actor).save()

    def _notify_parent(self):
        parent = ProcessInstance.objects.select_for_update(of=("self",)).select_related("definition").get(
            id=self.instance.parent_id)
        if parent.state != ProcessInstance.ACTIVE:
            return
        session = Session.load(parent, self.actor)
        task = session.engine_task(self.instance.parent_engine_task_id)
        if self.log.uncaught_errors:
            # A BPMN error nobody in the called instance caught is thrown at its call activity.
            session.throw_error(task, *self.log.uncaught_errors[-1])
        else:
            session.child_completed(task, self.variables_after)
        session.run()
        session.save()

    # --- changes that do not run the engine -------------------------------------------------------

    @classmethod
    def change_task(cls, instance, row, actor, kind, summary, **changes):
        for name, value in changes.items():
            setattr(row, name, value)
        row.save(update_fields=list(changes))
        data = {"taskId": str(row.id)} | {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in changes.items()}
        cls.timeline_event(instance, kind, summary, data, actor).save()

    @classmethod
    def record_suspension(cls, instance, suspended, actor):
        kind = "process.suspended" if suspended else "process.activated"
        cls.timeline_event(instance, kind, f"{instance.process_definition_key} {kind.split('.')[1]}", {}, actor).save()


class _Writes:
    """The rows that one or more sessions' save() stages, written by flush(): one statement per kind
    of write, whatever the number of instances."""

    _INSTANCE_FIELDS = CompiledUpdate(ProcessInstance, "state", "ended_at", "active_activity_ids", "engine_state",
                                      "end_reason")

    def __init__(self):
        self.changed_instances = []
        # Inserted in this order, new instances first.
        self.rows = {ProcessInstance: [], ActivityInstance: [], UserTask: [], TimelineEvent: []}
        self._ended = defaultdict(lambda: ([], []))   # (ended_at, canceled) -> (instance ids, engine task ids)

    def end_activities(self, instance, engine_task_ids, *, ended_at, canceled=False):
        if engine_task_ids:
            instance_ids, task_ids = self._ended[ended_at, canceled]
            instance_ids.append(instance.id)
            task_ids.extend(engine_task_ids)

    def flush(self):
        for model, rows in self.rows.items():
            model.objects.bulk_create(rows)
        self._INSTANCE_FIELDS.run(self.changed_instances)
        for (ended_at, canceled), (instance_ids, task_ids) in self._ended.items():
            # Engine task ids are unique across instances; the instance ids lead to the index.
            ActivityInstance.objects.filter(process_instance_id__in=instance_ids, ended_at__isnull=True,
                                            engine_task_id__in=task_ids).update(
                ended_at=ended_at, **({"canceled": True} if canceled else {}))
