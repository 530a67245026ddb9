"""How SpiffWorkflow evaluates text from a model: `${...}`/`#{...}` go to our JUEL evaluator, other
text is a literal (a timer's `PT5M`, a cardinality `3`); juel script tasks are expressions; Python
script tasks (only when an admin enables them) run restricted. Nothing from a model reaches eval."""

import ast
import builtins
import contextlib
import contextvars
import sys
import time
from collections import ChainMap
from datetime import datetime

from django.conf import settings
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException

from bpms.engine import dmn, juel

from . import bpmn_xml, decisions, scopes


def metadata(task):
    return (getattr(task.task_spec, "extensions", None) or {}).get("eximee", {})


def literal(text):
    text = text.strip()
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def multi_instance_variables(task):
    """loopCounter and friends for a task running as one instance of a multi-instance activity."""
    parent = task.parent
    if parent is None or not hasattr(parent.task_spec, "task_spec") or parent.task_spec.task_spec != task.task_spec.name:
        return {}
    children = [c for c in parent.children if c.task_spec.name == task.task_spec.name]
    info = parent.task_spec.task_info(parent)
    completed, running = len(info.get("completed", [])), len(info.get("running", []))
    total = parent.internal_data.get("cardinality")
    if total is None:
        total = completed + running + len(info.get("future", []) or [])
    return {"loopCounter": children.index(task) if task in children else 0,
            "nrOfInstances": total, "nrOfCompletedInstances": completed, "nrOfActiveInstances": running}


def instance_identity(task):
    return getattr(task.workflow.top_workflow, "eximee_identity", {})


class _Visible(ChainMap):
    """The multi-instance built-ins in front of the variables; writes go to the variables."""

    def __setitem__(self, key, value):
        self.maps[-1][key] = value


class _TaskScope:
    """setVariableLocal at a task: local to the scope around it (see scopes.py)."""

    def __init__(self, task):
        self.task = task

    def declare(self, name):
        scopes.declare_local(self.task, name)

    def names(self):
        return scopes.hidden_from_process(self.task) | set(multi_instance_variables(self.task))


def juel_context(task, variables=None, *, listener_task=False):
    """What an expression at `task` sees; with listener_task, also `task` (a user task's listener)."""
    variables = task.data if variables is None else variables
    extra = multi_instance_variables(task)
    if extra:
        variables = _Visible(extra, variables)
    identity = instance_identity(task)
    facts = dict(id=str(task.id), process_instance_id=identity.get("id"), business_key=identity.get("business_key"),
                 activity_id=getattr(task.task_spec, "bpmn_id", None), local_scope=_TaskScope(task))
    execution = juel.ExecutionFacade(variables, **facts)
    delegate_task = juel.TaskFacade(variables, name=metadata(task).get("name", ""), task_definition_key=facts["activity_id"],
                                    assignee=assignee_of(task), execution=execution, **facts) if listener_task else None
    return juel.Context(variables, execution=execution, task=delegate_task)


# A user task's assignee as a create listener set it (task.setAssignee), over camunda:assignee.
ASSIGNEE_SET = "eximee_assignee"


def assignee_of(task):
    if ASSIGNEE_SET in task.internal_data:
        return task.internal_data[ASSIGNEE_SET]
    meta = metadata(task)
    assignee = evaluate_text(task, meta["assignee"]) if meta.get("assignee") else None
    return str(assignee) if assignee not in (None, "") else None


def run_task_listeners(task, event):
    """camunda:taskListener of `event` (create or complete): expressions or JUEL scripts, with
    `task` beside `execution`, in the model's order."""
    for text in metadata(task).get("taskListeners", {}).get(event, []):
        context = juel_context(task, listener_task=True)
        try:
            juel.evaluate(text, context)
        except juel.JuelError as exc:
            raise _fail(task, text, exc) from exc
        if context.task.assignee != assignee_of(task):
            task.internal_data[ASSIGNEE_SET] = context.task.assignee


class ExpressionFailed(WorkflowTaskException):
    pass


class DecisionFailed(ExpressionFailed):
    pass


def _fail(task, text, exc):
    element = getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name
    return ExpressionFailed(f"expression '{text}' failed at element '{element}': {exc}", task=task, exception=exc)


def evaluate_text(task, text, variables=None):
    """A model's text: an expression evaluated with JUEL, or a literal. A failing expression raises
    ExpressionFailed naming the element and the expression."""
    if text is None:
        return None
    if not juel.is_expression(text):
        return literal(text)
    try:
        return juel.evaluate(text, juel_context(task, variables))
    except juel.JuelError as exc:
        raise _fail(task, text, exc) from exc


class EximeeScriptEngine(PythonScriptEngine):

    def validate(self, expression):
        if juel.is_expression(expression):
            juel.compile_expression(expression)

    def evaluate(self, task, expression, external_context=None):
        if metadata(task).get("event") == "conditional":
            return _condition_holds(task, expression)
        value = evaluate_text(task, expression)
        # SpiffWorkflow evaluates timer expressions here and parses ISO 8601 text: a Date variable
        # (timeDate ${reviewDate}) is handed over as that text.
        return value.isoformat() if isinstance(value, datetime) else value

    def execute(self, task, script, external_context=None):
        meta = metadata(task)
        script_format = meta.get("scriptFormat", "juel")
        if script_format == bpmn_xml.SCRIPT_FORMAT_DMN:
            result = _decide(task, script.strip(), meta["decision"])
        else:
            result = self._run_script(task, script, script_format)
        if meta.get("resultVariable"):
            task.data[meta["resultVariable"]] = result
        return True

    @staticmethod
    def _run_script(task, script, script_format):
        try:
            if script_format in bpmn_xml.SCRIPT_FORMATS_PYTHON:
                run_restricted_python(script, task.data)
                return None
            return juel.evaluate(script.strip(), juel_context(task))
        except (juel.JuelError, ScriptRejected) as exc:
            raise _fail(task, script.strip(), exc) from exc


# Marks a conditional event that was entered and waits (runtime.waiting_conditions). SpiffWorkflow
# re-evaluates a waiting event whenever it looks at it again, which must not fire it: Camunda
# evaluates it again only when variables change (runtime.fire_conditions lifts the mark for that).
CONDITION_WAITS = "eximee_condition_waits"


_ARMED_AGAIN = contextvars.ContextVar("eximee_armed_again", default=False)


@contextlib.contextmanager
def armed_again():
    """A conditional event armed again after it fired (a non-interrupting boundary or event
    subprocess) waits for the next change of a variable: entered inside this block, its condition
    does not hold, whatever the variables say now."""
    token = _ARMED_AGAIN.set(True)
    try:
        yield
    finally:
        _ARMED_AGAIN.reset(token)


def _condition_holds(task, expression):
    """A conditional event's condition, evaluated when the event is entered and, while it waits,
    only when variables change (runtime.fire_conditions). One naming a variable that does not
    exist (yet) does not hold, as in Camunda, where the event waits for the variable instead of
    failing."""
    if _ARMED_AGAIN.get():
        task.internal_data[CONDITION_WAITS] = True
    if task.internal_data.get(CONDITION_WAITS):
        return False
    try:
        return bool(evaluate_text(task, expression))
    except ExpressionFailed as exc:
        if isinstance(exc.__cause__, juel.UnknownVariable):
            return False
        raise


def _decide(task, ref, decision):
    """A business rule task: its decision reference, version and version tag may be expressions."""
    ref = evaluate_text(task, ref)
    variables = {**task.data, **multi_instance_variables(task)}
    try:
        return decisions.decide(
            str(ref), decision["binding"], decision["mapping"], variables,
            version=evaluate_text(task, decision.get("version")),
            version_tag=evaluate_text(task, decision.get("versionTag")),
            deployment_id=decision.get("deploymentId"))
    except (decisions.DecisionNotFound, dmn.DmnError) as exc:
        element = getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name
        raise DecisionFailed(f"decision '{ref}' failed at element '{element}': {exc}", task=task, exception=exc) from exc


# --- restricted Python (off unless BPMS_ALLOW_PYTHON_SCRIPTS) ----------------------------------

SAFE_BUILTINS = {name: getattr(builtins, name)
                 for name in ("abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "len", "list",
                              "max", "min", "range", "round", "set", "sorted", "str", "sum", "tuple", "zip")}


class ScriptRejected(Exception):
    pass


def check_python(script):
    try:
        tree = ast.parse(script)
    except SyntaxError as exc:
        raise ScriptRejected(f"syntax error: {exc.msg} (line {exc.lineno})") from exc
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            raise ScriptRejected("imports are not allowed")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise ScriptRejected(f"attribute '{node.attr}' is not allowed")
        if isinstance(node, ast.Name) and node.id.startswith("__"):
            raise ScriptRejected(f"name '{node.id}' is not allowed")
    return compile(tree, "<script>", "exec")


def run_restricted_python(script, data):
    code = check_python(script)
    deadline = time.monotonic() + settings.BPMS_SCRIPT_TIME_LIMIT_SECONDS

    def guard(frame, event, arg):
        if time.monotonic() > deadline:
            raise ScriptRejected("time limit exceeded")
        return guard

    namespace = {"__builtins__": SAFE_BUILTINS, **data}
    previous = sys.gettrace()
    sys.settrace(guard)
    try:
        exec(code, namespace)  # noqa: S102 - restricted: checked AST, allow-listed builtins, time limit
    except ScriptRejected:
        raise
    except Exception as exc:
        raise ScriptRejected(f"{type(exc).__name__}: {exc}") from exc
    finally:
        sys.settrace(previous)
    for name, value in namespace.items():
        if name != "__builtins__" and not callable(value):
            data[name] = value
