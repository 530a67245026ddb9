"""Turning engine tasks into our rows and wait states: user-task assignment, due dates and forms;
call-activity variable mapping; what the instance waits for."""

from datetime import date, datetime

from django.utils import timezone
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from bpms.engine import interface
from bpms.models import UserTask

from . import runtime, scopes
from .scripting import ExpressionFailed, assignee_of, evaluate_text, metadata, multi_instance_variables
from .variables import stored, type_of


def _names(task, text):
    """candidateUsers/candidateGroups: a comma list whose parts may be expressions, or one
    expression giving a list or a comma list."""
    if not text:
        return []
    value = evaluate_text(task, text) if text.strip().startswith(("${", "#{")) else None
    if value is not None:
        items = value if isinstance(value, (list, tuple)) else str(value).split(",")
        return [str(v).strip() for v in items if str(v).strip()]
    return [str(evaluate_text(task, part)) for part in runtime_csv(text)]


def runtime_csv(text):
    return [part.strip() for part in text.split(",") if part.strip()]


def moment(task, text, now):
    """dueDate/followUpDate: an ISO date-time, a date, a duration from now, or an expression giving one."""
    if not text:
        return None
    value = evaluate_text(task, text)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=now.tzinfo)
    value = str(value)
    if value.startswith("P"):
        return now + TimerEventDefinition.get_timedelta_from_start(TimerEventDefinition.parse_iso_duration(value), now)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=now.tzinfo)


def user_task_row(instance, task, now):
    try:
        return _user_task_row(instance, task, now)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ExpressionFailed(f"user task '{runtime.activity_id(task)}': a due date, follow-up date or priority "
                               f"does not have a usable value ({exc})", task=task, exception=exc) from exc


def _user_task_row(instance, task, now):
    meta = metadata(task)
    assignee = assignee_of(task)
    priority = evaluate_text(task, meta["priority"]) if meta.get("priority") else 50
    return UserTask(
        process_instance=instance, engine_task_id=str(task.id), task_definition_key=runtime.activity_id(task),
        name=meta.get("name", ""), description=meta.get("documentation", ""),
        process_definition_key=instance.process_definition_key, business_key=instance.business_key,
        assignee=assignee,
        candidate_users=_names(task, meta.get("candidateUsers")),
        candidate_groups=_names(task, meta.get("candidateGroups")),
        priority=int(priority), due_at=moment(task, meta.get("dueDate"), now),
        follow_up_at=moment(task, meta.get("followUpDate"), now),
        form_key=str(evaluate_text(task, meta["formKey"])) if meta.get("formKey") else "",
        form_fields=meta.get("formFields", []), local_variables=_typed_local_variables(task), created_at=now)


def local_variables(task):
    """What the task sees besides process variables (see scopes.py)."""
    return {**multi_instance_variables(task), **scopes.locals_of(task)}


def _typed_local_variables(task):
    return {name: {"value": stored(value), "type": type_of(value)} for name, value in local_variables(task).items()}


# --- call activities ----------------------------------------------------------------------------

def _mapping(task, mapping, source_variables):
    if mapping.get("variables") == "all":
        return dict(source_variables)
    if "sourceExpression" in mapping:
        return {mapping["target"]: evaluate_text(task, mapping["sourceExpression"], source_variables)}
    if "source" in mapping and mapping["source"] in source_variables:
        return {mapping.get("target") or mapping["source"]: source_variables[mapping["source"]]}
    return {}


def _is_local(mapping):
    return mapping.get("local") == "true"


def call_inputs(task, meta):
    """(variables for the called instance, its business key) from camunda:in; `local="true"`
    reads only the call activity's own local variables (its input parameters)."""
    values = {}
    local_variables = {name: task.data[name] for name in scopes.own_locals(task) if name in task.data}
    for mapping in meta.get("in", []):
        if "businessKey" not in mapping:
            values.update(_mapping(task, mapping, local_variables if _is_local(mapping) else task.data))
    business_key = next((evaluate_text(task, m["businessKey"]) for m in meta.get("in", []) if "businessKey" in m), None)
    return values, business_key


def call_outputs(task, meta, child_variables):
    """(values, names of them local to the call activity) from camunda:out; `local="true"` makes
    them locals of the call activity, which its output parameters can map and which go when it ends."""
    values, local_names = {}, set()
    for mapping in meta.get("out", []):
        mapped = _mapping(task, mapping, child_variables)
        values.update(mapped)
        if _is_local(mapping):
            local_names.update(mapped)
    return values, local_names


# --- wait states --------------------------------------------------------------------------------

def _branch_due(task, meta, now):
    """A timer behind an event-based gateway: SpiffWorkflow keeps no due time for it, so we fix one
    the first time we see the branch."""
    if "eximee_due" not in task.internal_data:
        if meta.get("timeDate"):
            due = moment(task, meta["timeDate"], now)
        else:
            text = meta.get("timeDuration") or meta.get("timeCycle", "").split("/")[-1]
            due = moment(task, text, now)
        task.internal_data["eximee_due"] = due.isoformat()
    return task.internal_data["eximee_due"]


def _timer(task, meta, now):
    definition = task.task_spec.event_definition
    if runtime.waiting_gateway(task) is not None:
        value = _branch_due(task, meta, now)
    elif not hasattr(definition, "has_fired"):
        return None
    else:
        definition.has_fired(task)      # computes and stores the due time on first sight
        value = task._get_internal_data("event_value")
    cycle = None
    if isinstance(value, dict):
        cycle, value = meta.get("timeCycle"), value.get("next")
    if value is None:
        return None
    due = TimerEventDefinition.get_datetime(value) if isinstance(value, str) else value
    return interface.TimerWait(str(task.id), runtime.activity_id(task), due, runtime.wait_kind(task),
                               meta.get("interrupting", True), cycle, meta.get("retryTimeCycle"))


def wait_states(workflow):
    now = timezone.now()
    service_tasks, messages, signals, timers, continuations = [], [], [], [], []
    for task in runtime.waiting_service_tasks(workflow):
        meta = metadata(task)
        if not meta.get("topic"):
            continue
        topic = evaluate_text(task, meta["topic"])
        priority = evaluate_text(task, meta["taskPriority"]) if meta.get("taskPriority") else 0
        service_tasks.append(interface.ServiceTaskWait(
            str(task.id), runtime.activity_id(task), meta.get("name", ""), str(topic), int(priority or 0),
            meta.get("retryTimeCycle"), meta.get("properties", {}),
            {name: stored(value) for name, value in local_variables(task).items()}))
    for task in runtime.waiting_events(workflow):
        meta = metadata(task)
        kind, interrupting = runtime.wait_kind(task), meta.get("interrupting", True)
        if meta["event"] == "message":
            messages.append(interface.MessageWait(str(task.id), runtime.activity_id(task), meta.get("messageName", ""),
                                                  kind, interrupting))
        elif meta["event"] == "signal":
            signals.append(interface.SignalWait(str(task.id), runtime.activity_id(task), meta.get("signalName", ""),
                                                kind, interrupting))
        elif meta["event"] == "timer":
            timer = _timer(task, meta, now)
            if timer is not None:
                timers.append(timer)
    for task in runtime.held_tasks(workflow):
        hold = task.internal_data.get("eximee_hold")
        if hold:
            activity = _activity_of_hold(task, hold)
            continuations.append(interface.AsyncContinuation(hold, runtime.activity_id(activity), "after",
                                                             metadata(activity).get("retryTimeCycle")))
        else:
            continuations.append(interface.AsyncContinuation(str(task.id), runtime.activity_id(task), "before",
                                                             metadata(task).get("retryTimeCycle")))
    return interface.WaitStates(tuple(service_tasks), tuple(messages), tuple(signals), tuple(timers),
                                tuple(dict.fromkeys(continuations)))


def _activity_of_hold(task, hold):
    parent = task.parent
    return parent if parent is not None and str(parent.id) == hold else task


