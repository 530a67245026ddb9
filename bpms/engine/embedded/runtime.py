"""Running one instance inside one operation: load its state, step the engine, prune the task tree,
and describe the outcome (active activities, open user tasks, wait states, variables) in plain data
for the persistence layer. No database access here."""

import functools
from dataclasses import dataclass, field

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit, _EndJoin
from SpiffWorkflow.bpmn.specs.defaults import CallActivity, EventBasedGateway, EventSubprocess, ServiceTask, UserTask
from SpiffWorkflow.bpmn.specs.event_definitions import ErrorEventDefinition, MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.conditional import ConditionalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from . import scopes
from .scripting import CONDITION_WAITS, EximeeScriptEngine, armed_again, evaluate_text, metadata, run_task_listeners

script_engine = EximeeScriptEngine()

UNFINISHED = TaskState.NOT_FINISHED_MASK
ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED
NOT_YET = TaskState.FUTURE | TaskState.PREDICTED_MASK


def new_workflow(spec, subprocess_specs, identity):
    workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine)
    workflow.eximee_identity = identity
    return workflow


def attach(workflow, identity):
    workflow.script_engine = script_engine
    workflow.eximee_identity = identity
    return workflow


def all_workflows(workflow):
    return [workflow, *workflow.subprocesses.values()]


def metadata_of_spec(task_spec):
    return (getattr(task_spec, "extensions", None) or {}).get("eximee", {})


def activity_id(task):
    return getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name


def error_catchers(workflow, task, code):
    """Error boundary events and error start events of event subprocesses that would catch `code`
    thrown at `task`, nearest scope first (the ones SpiffWorkflow will trigger)."""
    found = []
    for sub in all_workflows(workflow):
        for candidate in sub.get_tasks(state=TaskState.WAITING):
            meta = metadata(candidate)
            if meta.get("event") == "error" and meta.get("errorCode") in (None, code):
                found.append(candidate)
    return found


def is_activity(task):
    return bool(metadata(task)) and not isinstance(task.task_spec, BoundaryEventSplit)


def is_call_activity(task):
    return metadata(task).get("type") == "callActivity"


def held(task):
    """A task waiting for an async continuation job (asyncBefore, or asyncAfter of its parent)."""
    if task.internal_data.get("eximee_hold"):
        return True
    return bool(metadata(task).get("asyncBefore")) and not task.internal_data.get("eximee_continued") \
        and task.state == TaskState.READY


@dataclass
class StepLog:
    """What happened while the engine ran: tasks it completed, for history."""
    completed: list = field(default_factory=list)
    thrown_codes: dict = field(default_factory=dict)     # "error"/"escalation" -> the last code thrown
    signals: list = field(default_factory=list)          # (name, activity id, variables) thrown
    uncaught_errors: list = field(default_factory=list)  # (code, message) no task of the instance caught


def run_engine(workflow, log):
    """SpiffWorkflow's do_engine_steps, with holds for async continuations and a log of every
    completed task; also applies camunda:inputOutput around each activity. Prunes after every sweep
    so a loop running inside one operation never grows the tree either."""
    while _step_all(workflow, log) or _close_scopes(workflow):
        prune(workflow)
    workflow.refresh_timers()
    while _step_all(workflow, log) or _close_scopes(workflow):
        prune(workflow)
    _enter_waiting_events(workflow)
    # Thrown events no task of this instance caught, which SpiffWorkflow would keep in the state
    # forever: a signal reaches other instances through log.signals; an error goes to the calling
    # process, if any (log.uncaught_errors); a message throw event without an implementation does
    # nothing, as in Camunda.
    for event in workflow.get_events():
        if isinstance(event.event_definition, ErrorEventDefinition):
            log.uncaught_errors.append((event.event_definition.code, ""))


def _step_all(workflow, log):
    progressed = False
    for sub in sorted(workflow.get_active_subprocesses(), key=lambda w: w.depth, reverse=True):
        while _step(sub, log):
            progressed = True
        if sub.parent_task_id is not None:
            task = workflow.get_task_from_id(sub.parent_task_id)
            task.task_spec._update(task)
    before = len(workflow.get_active_subprocesses())
    progressed = _step(workflow, log) or progressed
    return progressed or len(workflow.get_active_subprocesses()) > before


def _step(workflow, log):
    count = 0
    for task in workflow.get_tasks(state=TaskState.READY):
        # Only user tasks wait for a person: Camunda passes undefined and manual tasks straight through.
        if held(task) or task.state != TaskState.READY:
            continue
        if isinstance(task.task_spec, UserTask):
            enter(task)     # its input parameters exist while it waits (its assignee may use them)
            continue
        run_task(task, log)
        count += 1
    return count > 0


def enter(task):
    """What happens once when an element is entered: camunda:inputParameter (local variables of
    the activity), then its start execution listeners, then a user task's create listeners."""
    meta = metadata(task)
    if not (meta.get("inputs") or meta.get("listeners") or meta.get("taskListeners")) \
            or task.internal_data.get("eximee_entered"):
        return
    task.internal_data["eximee_entered"] = True
    for parameter in meta.get("inputs", []):
        value = parameter_value(task, parameter)
        scopes.remember_outer(task, parameter["name"], task.data)
        task.data[parameter["name"]] = value
    _listen(task, "start")
    run_task_listeners(task, "create")


def _listen(task, event):
    """camunda:executionListener of `event` (start or end): expressions or JUEL scripts, evaluated
    for their effect (execution.setVariable ...), in the element's scope, in the model's order."""
    for text in metadata(task).get("listeners", {}).get(event, []):
        evaluate_text(task, text)


@functools.cache
def _has_listeners(spec):
    return any(metadata_of_spec(task_spec).get("listeners") for task_spec in spec.task_specs.values())


def _enter_waiting_events(workflow):
    """An intermediate catch event or receive task is entered when the path reaches it, before it
    waits (a boundary or event subprocess start event only when its event comes: then it runs)."""
    if not any(_has_listeners(spec) for spec in (workflow.spec, *workflow.subprocess_specs.values())):
        return
    for task in unfinished_tasks(workflow):
        if task.state == TaskState.WAITING and metadata(task).get("type") in ("intermediateCatchEvent", "receiveTask") \
                and not task.internal_data.get("eximee_entered"):
            before = dict(task.data)
            enter(task)
            hidden = scopes.hidden_from_process(task)
            # Also where SpiffWorkflow copies the variables back from when the event is caught.
            _write_data(task, {name: value for name, value in task.data.items()
                               if name not in hidden and (name not in before or before[name] != value)})


class EmbeddedSubprocess(CallActivity):
    """An embedded subprocess: its input parameters are set when it is entered, before its
    subworkflow starts with a copy of its data (SpiffWorkflow starts it before the task runs)."""

    def copy_data(self, my_task, subworkflow):
        enter(my_task)
        super().copy_data(my_task, subworkflow)


def run_task(task, log, data=None):
    enter(task)
    if data:
        task.data.update(data)
    _record_thrown(task, log)
    _rearm_non_interrupting_boundary(task)
    if _is_event_subprocess_start(task):
        _event_subprocess_starts(task)
    # Task.run(), with the scope left between running and completing (see finish).
    outcome = task.task_spec._run(task)
    if outcome is None:       # service tasks and call activities: they wait
        task._set_state(TaskState.STARTED)
    elif outcome is False:
        task.error()
    else:
        finish(task, log)


# --- event subprocesses (armed with their scope by parser._arm_event_subprocesses) --------------

def _is_event_subprocess_start(task):
    meta = metadata(task)
    return meta.get("type") == "startEvent" and bool(meta.get("eventSubprocess"))


def _owner(start):
    """The event subprocess task in the enclosing scope whose subworkflow `start` begins."""
    return start.workflow.top_workflow.get_task_from_id(start.workflow.parent_task_id)


def _own_tasks(scope, state):
    """The scope's tasks, without those of the subprocesses inside it (get_tasks walks into them)."""
    return [t for t in scope.get_tasks(state=state) if t.workflow is scope]


def _is_scope_end(task):
    return isinstance(task.task_spec, _EndJoin) or task.task_spec.name == "End"


def _event_subprocess_starts(start):
    """Camunda: an interrupting event subprocess cancels everything else its scope is doing (the
    other event subprocesses' waits too); a non-interrupting one leaves it running and waits again,
    so the next event starts another instance of it (a timer's repetition is its cycle's)."""
    owner = _owner(start)
    scope = owner.workflow
    if metadata(start).get("interrupting", True):
        for task in _own_tasks(scope, UNFINISHED):
            parent = task.parent
            if task is not owner and not _is_scope_end(task) and (parent is None or parent.has_state(TaskState.FINISHED_MASK)):
                task.cancel()
    elif not isinstance(start.task_spec.event_definition, TimerEventDefinition) and not start.internal_data.get("eximee_rearmed"):
        start.internal_data["eximee_rearmed"] = True
        with armed_again():
            scope.spec.start.trigger_wf(scope.task_tree, owner.task_spec.name)


def _untriggered(owner):
    """An event subprocess task whose start event still waits for its event."""
    subworkflow = owner.workflow.top_workflow.subprocesses.get(owner.id)
    return subworkflow is None or all(
        t.has_state(NOT_YET) or (isinstance(t.task_spec, StartEvent) and t.state == TaskState.WAITING)
        for t in subworkflow.get_tasks(state=UNFINISHED))


@functools.cache
def _has_event_subprocesses(spec):
    return any(isinstance(task_spec, EventSubprocess) for task_spec in spec.task_specs.values())


def _close_scopes(workflow):
    """A scope whose own flow has ended, and no event subprocess of which runs, ends: the event
    subprocesses still waiting for their start events are cancelled (SpiffWorkflow would wait for
    them forever). Returns whether any scope was closed."""
    closed = False
    for scope in all_workflows(workflow):
        if scope.completed or not _has_event_subprocesses(scope.spec):
            continue
        unfinished = _own_tasks(scope, UNFINISHED)
        owners = [t for t in unfinished if isinstance(t.task_spec, EventSubprocess)]
        if not owners or any(not isinstance(t.task_spec, EventSubprocess) and not _is_scope_end(t)
                             and not any(t.is_descendant_of(o) for o in owners) for t in unfinished):
            continue
        if not all(_untriggered(owner) for owner in owners):
            continue
        for owner in owners:
            owner.cancel()
        for join in _own_tasks(scope, UNFINISHED):
            if isinstance(join.task_spec, _EndJoin):
                join.task_spec._update(join)
        closed = True
    return closed


THROWING = ("intermediateThrowEvent", "endEvent")


def _record_thrown(task, log):
    """What a throw or end event is about to throw, for what the instance alone cannot do: a
    signal reaches other instances too (Session broadcasts log.signals after saving, with the
    event's camunda:in variables); a catch-all error or escalation catcher learns the code."""
    meta = metadata(task)
    kind = meta.get("event")
    if kind == "signal" and meta["type"] in THROWING:
        from .assignment import call_inputs
        log.signals.append((meta.get("signalName"), activity_id(task), call_inputs(task, meta)[0]))
    if kind not in ("error", "escalation"):
        return
    if meta["type"] in THROWING:
        log.thrown_codes[kind] = meta.get(f"{kind}Code")
        return
    # camunda:errorCodeVariable / escalationCodeVariable of a catching event: the code thrown in this
    # operation by the model, else the catcher's own (an external worker's BPMN error sets it first).
    variable = meta.get(f"{kind}CodeVariable")
    if variable and log.thrown_codes.get(kind):
        task.data[variable] = log.thrown_codes[kind]
    elif variable and meta.get(f"{kind}Code"):
        task.data.setdefault(variable, meta[f"{kind}Code"])


# Camunda message definitions in SpiffWorkflow store the payload in a result variable; our
# deliveries put variables in directly and drop this one when the event's task is left.
MESSAGE_RESULT = "__eximee_message"


def event_payload(own_definition):
    """What a delivered event carries into SpiffWorkflow. Our deliveries set variables themselves;
    a message definition still wants a result variable (MESSAGE_RESULT), while any other copies
    the payload's keys into the task's data, so it gets none."""
    return {"payload": None, "result_var": MESSAGE_RESULT} if isinstance(own_definition, MessageEventDefinition) else {}


def finish(task, log):
    """Complete `task`: a user task's complete listeners, its end execution listeners, then leave its scope (camunda:outputParameter
    into the enclosing scope, locals dropped), so what completion hands on (to the next task, to a
    multi-instance body's merge) holds no locals."""
    task.data.pop(MESSAGE_RESULT, None)
    run_task_listeners(task, "complete")
    _listen(task, "end")      # before the output parameters, as in Camunda
    outputs = {p["name"]: parameter_value(task, p) for p in metadata(task).get("outputs", [])}
    scopes.close(task, outputs)
    task.complete()
    if metadata(task).get("asyncAfter"):
        _hold_children(task)
    log.completed.append(task)


def _hold_children(task):
    for child in task.children:
        if child.state & UNFINISHED:
            child.internal_data["eximee_hold"] = str(task.id)


def release_hold(workflow, engine_task_id):
    released = []
    for sub in all_workflows(workflow):
        for task in sub.get_tasks(state=UNFINISHED):
            if task.internal_data.get("eximee_hold") == engine_task_id:
                del task.internal_data["eximee_hold"]
                released.append(task)
    return released


def parameter_value(task, parameter):
    if "list" in parameter:
        return [evaluate_text(task, item) for item in parameter["list"]]
    if "map" in parameter:
        return {key: evaluate_text(task, item) for key, item in parameter["map"].items()}
    return evaluate_text(task, parameter.get("text", ""))


# --- describing the state ------------------------------------------------------------------------

def unfinished_tasks(workflow):
    tasks = []
    for sub in all_workflows(workflow):
        if not sub.completed:
            tasks.extend(sub.get_tasks(state=ACTIVE))
    return tasks


def ended(workflow):
    """Completed, or nothing left that could ever run (every path ended, e.g. by an uncaught error)."""
    return workflow.completed or not unfinished_tasks(workflow)


def end_branch(task):
    """End the path of `task` (with its boundary events) without following its outgoing flows."""
    parent = task.parent
    (parent if parent is not None and isinstance(parent.task_spec, BoundaryEventSplit) else task).cancel()


def active_activities(workflow):
    return [t for t in unfinished_tasks(workflow) if is_activity(t) and not _waits_to_start(t)]


def _waits_to_start(task):
    """An event subprocess waiting for its start event, and that start event: as in Camunda, only
    a subscription (or a timer job), not an activity instance, until the event comes."""
    if isinstance(task.task_spec, EventSubprocess):
        return _untriggered(task)
    return task.state == TaskState.WAITING and _is_event_subprocess_start(task)


def open_user_tasks(workflow):
    return [t for t in unfinished_tasks(workflow)
            if isinstance(t.task_spec, UserTask) and t.state == TaskState.READY and not held(t)]


def variables_of(workflow):
    """Process variables: the data the instance carries at its frontier (what the next activity
    sees), or the data it ended with."""
    if workflow.completed:
        return dict(workflow.data or (workflow.last_task.data if workflow.last_task else {}))
    active = workflow.get_tasks(state=ACTIVE)
    if not active:
        return None     # every path ended without completing: the variables stay as they were
    merged = {}
    for task in active:
        merged.update(scopes.process_variables(task))
    return merged


def set_variables(workflow, modifications, deletions):
    """Variables live on the tasks that carry the instance forward (and on embedded subprocess tasks)."""
    for task in unfinished_tasks(workflow):
        _write_data(task, modifications, deletions)
    if workflow.completed:
        workflow.data.update(modifications)


def _write_data(task, values, deletions=()):
    """Into a waiting task's data and its parent's: SpiffWorkflow copies the parent's data over a
    waiting task's each time it looks at it again (a catch event receiving its message), which
    would bring the old values back."""
    for holder in (task, task.parent) if task.parent is not None else (task,):
        for name in deletions:
            holder.data.pop(name, None)
        holder.data.update(values)


def share_variables(workflow, variables, source):
    """Variables an operation brings from outside (a completion's, a worker's, a message's) belong
    to the process in Camunda, and every branch sees them at once. SpiffWorkflow keeps them on the
    branch of `source`, where they are lost if that branch ends before the branches join. Names
    that are locals where they arrive (or where a branch is) stay local there."""
    shared = {name: value for name, value in (variables or {}).items()
              if name not in scopes.hidden_from_process(source)}
    if not shared:
        return
    for task in unfinished_tasks(workflow):
        hidden = scopes.hidden_from_process(task)
        _write_data(task, {name: value for name, value in shared.items() if name not in hidden})


# --- pruning ------------------------------------------------------------------------------------

def prune(workflow):
    """Drop finished parts of each task tree: re-root the tree at the lowest common ancestor of all
    unfinished tasks. Between operations every join that waits has an unfinished task on each
    branch it still counts, all below that ancestor, so joins see what they need; what is dropped
    is history, which is already in our tables."""
    for sub in all_workflows(workflow):
        _prune_tree(sub)
    live = {tid for sub in all_workflows(workflow) for tid in sub.tasks}
    for task_id in [tid for tid in workflow.subprocesses if tid not in live]:
        del workflow.subprocesses[task_id]


def _prune_tree(workflow):
    unfinished = [t for t in workflow.tasks.values() if t.state & UNFINISHED]
    if not unfinished:
        return
    ancestor = _common_ancestor(unfinished)
    if ancestor is not None and ancestor.state & UNFINISHED:
        # An unfinished task still inherits its parent's data when it runs.
        ancestor = ancestor.parent
    if ancestor is None or ancestor is workflow.task_tree:
        return
    keep = {t.id for t in ancestor}
    if workflow.last_task is not None and workflow.last_task.id not in keep:
        workflow.last_task = None
    for task_id in [tid for tid in workflow.tasks if tid not in keep]:
        del workflow.tasks[task_id]
    ancestor._parent = None
    workflow.task_tree = ancestor


def _path(task):
    path = []
    while task is not None:
        path.append(task)
        task = task.parent
    return path[::-1]


def _common_ancestor(tasks):
    common = None
    for level in zip(*(_path(t) for t in tasks)):
        if any(t is not level[0] for t in level):
            break
        common = level[0]
    return common


# --- wait states --------------------------------------------------------------------------------

def wait_kind(task):
    meta = metadata(task)
    if meta.get("type") == "boundaryEvent":
        return "boundary"
    if meta.get("eventSubprocess"):
        return "event-subprocess"
    if meta.get("type") == "receiveTask":
        return "receive"
    parent = task.parent
    if parent is not None and isinstance(parent.task_spec, EventBasedGateway):
        return "event-gateway"
    return "catch"


def waiting_service_tasks(workflow):
    return [t for t in unfinished_tasks(workflow)
            if isinstance(t.task_spec, ServiceTask) and t.state == TaskState.STARTED and not is_call_activity(t)]


@functools.cache
def _has_call_activities(spec):
    return any(metadata_of_spec(task_spec).get("type") == "callActivity" for task_spec in spec.task_specs.values())


def waiting_call_activities(workflow):
    if not any(_has_call_activities(spec) for spec in (workflow.spec, *workflow.subprocess_specs.values())):
        return []
    return [t for t in unfinished_tasks(workflow) if is_call_activity(t) and t.state == TaskState.STARTED]


def waiting_events(workflow):
    """Catching events that wait; behind an event-based gateway these are the gateway's branches
    (SpiffWorkflow moves their event definitions onto the waiting gateway)."""
    found = []
    for task in unfinished_tasks(workflow):
        if held(task):
            continue    # not entered yet: asyncAfter of the activity before it holds it
        if isinstance(task.task_spec, EventBasedGateway) and task.state == TaskState.WAITING:
            found.extend(child for child in task.children if metadata(child).get("event"))
        elif isinstance(task.task_spec, CatchingEvent) and task.state == TaskState.WAITING and metadata(task).get("event"):
            found.append(task)
    return found


def waiting_gateway(task):
    """The waiting event-based gateway a branch event belongs to, if any."""
    parent = task.parent
    if parent is not None and isinstance(parent.task_spec, EventBasedGateway) and parent.state == TaskState.WAITING:
        return parent
    return None


def catch_at(task, event_definition_for):
    """Deliver to a waiting catch event, or to its event-based gateway on the branch's behalf."""
    gateway = waiting_gateway(task)
    if gateway is not None:
        index = gateway.task_spec.outputs.index(task.task_spec)
        definition = gateway.task_spec.event_definition.event_definitions[index]
        gateway.task_spec.catch(gateway, BpmnEvent(definition, payload=event_payload(definition)))
        if isinstance(definition, TimerEventDefinition):
            gateway.task_spec._update(gateway)
        else:
            # The delivered event decides alone. _update would also count a branch timer that is
            # due by the wall clock but whose job has not run yet, and take both branches.
            gateway._set_internal_data(seen_events=gateway.internal_data["seen_events"][-1:])
            gateway._ready()
        return gateway
    task.task_spec.catch(task, BpmnEvent(event_definition_for(task), payload=event_payload(task.task_spec.event_definition)))
    task.task_spec._update(task)
    _rearm_non_interrupting_boundary(task)
    return task


@functools.cache
def _has_conditions(spec):
    return any(isinstance(getattr(task_spec, "event_definition", None), ConditionalEventDefinition)
               for task_spec in spec.task_specs.values())


def waiting_conditions(workflow):
    """Conditional events waiting for their condition (a walk of the task tree only for models
    that have any). From here on only a change of variables fires them (fire_conditions)."""
    if not any(_has_conditions(spec) for spec in (workflow.spec, *workflow.subprocess_specs.values())):
        return []
    waiting = [t for t in unfinished_tasks(workflow) if t.state == TaskState.WAITING and not held(t)
               and isinstance(getattr(t.task_spec, "event_definition", None), ConditionalEventDefinition)]
    for task in waiting:
        task.internal_data[CONDITION_WAITS] = True
    return waiting


def fire_conditions(waiting, changes):
    """Camunda evaluates a waiting conditional event's condition on every change of a variable
    (SpiffWorkflow only when the event is entered). `waiting`: the conditional events that waited
    before the changes; `changes`: {name: ("create" | "update" | "delete", value)}.
    camunda:variableName and camunda:variableEvents narrow which changes count. The waiting
    branch's copy of the variables is brought up to date first, as Camunda's variables are the
    process's. Returns whether any event fired."""
    fired = False
    for task in waiting:
        _write_data(task, {name: value for name, (kind, value) in changes.items() if kind != "delete"},
                    [name for name, (kind, _) in changes.items() if kind == "delete"])
        meta = metadata(task)
        names, kinds = meta.get("variableName", []), meta.get("variableEvents", [])
        if not any((not names or name in names) and (not kinds or kind in kinds)
                   for name, (kind, _) in changes.items()):
            continue
        task.internal_data[CONDITION_WAITS] = False
        holds = task.task_spec.event_definition.has_fired(task)
        task.internal_data[CONDITION_WAITS] = not holds
        if holds:
            task._ready()
            fired = True
            _rearm_non_interrupting_boundary(task)
    return fired


def _rearm_non_interrupting_boundary(caught):
    """A non-interrupting boundary event stays armed while its activity runs (Camunda fires it on
    every matching message, signal, escalation or change making its condition true; a timer's
    cycle is its own). SpiffWorkflow's boundary event waits once, so the caught one runs its branch
    and a fresh sibling waits for the next event. A sibling, not the caught task kept waiting: when
    the activity ends, the waiting boundary is cancelled with everything below it, which must not
    include the branches already started. Called when it is caught and again when it runs (an
    event SpiffWorkflow delivers within the instance): it rearms once."""
    split = caught.parent
    if getattr(caught.task_spec, "cancel_activity", True) or not isinstance(split.task_spec, BoundaryEventSplit) \
            or isinstance(caught.task_spec.event_definition, TimerEventDefinition) \
            or caught.internal_data.get("eximee_rearmed"):
        return
    caught.internal_data["eximee_rearmed"] = True
    activity = next(child for child in split.children if not hasattr(child.task_spec, "cancel_activity"))
    if activity.has_state(TaskState.FINISHED_MASK):
        return
    fresh = split._add_child(caught.task_spec, TaskState.FUTURE)
    fresh.task_spec._predict(fresh, mask=TaskState.NOT_FINISHED_MASK)
    with armed_again():
        fresh.task_spec._update(fresh)


def held_tasks(workflow):
    return [t for t in unfinished_tasks(workflow) if held(t)]
