"""Local variables, as Camunda 7 scopes them. SpiffWorkflow has one namespace (the task's data, copied
from task to task), so we record which names are local to which scope and drop them (restoring any
outer value they shadowed) when the scope is left, before the task completes, so neither the next
task nor a multi-instance body's merge sees them.

Scopes that hold locals:
- an activity with camunda:inputOutput: its input parameters, and what expressions evaluated at it
  set with `execution.setVariableLocal`;
- one instance of a multi-instance activity: its element variable and its setVariableLocal names;
- an embedded subprocess: its input parameters, and setVariableLocal names set by activities inside
  it that are no scope themselves (in Camunda they share the subprocess's execution);
- a call activity: variables mapped by `camunda:out local="true"`.
Anywhere else setVariableLocal sets a process variable, as in Camunda.
"""

from .multi_instance import element_variable, instance_of

LOCALS = "eximee_locals"          # internal data of a scope's task: names declared local there
SHADOWED = "eximee_shadowed"      # internal data: outer values the locals hide, restored on leaving


def _metadata(task):
    return (getattr(task.task_spec, "extensions", None) or {}).get("eximee", {})


def own_locals(task):
    """Names local to the scope `task` opens (none for a task that opens no scope)."""
    names = [p["name"] for p in _metadata(task).get("inputs", [])]
    item = element_variable(task)
    if item:
        names.append(item)
    names.extend(name for name in task.internal_data.get(LOCALS, ()) if name not in names)
    return names


def _enclosing_subprocess(task):
    workflow = task.workflow
    if workflow is workflow.top_workflow:
        return None
    return workflow.top_workflow.get_task_from_id(workflow.parent_task_id)


def _opens_scope(task):
    meta = _metadata(task)
    return bool(meta.get("inputs") or meta.get("outputs")) or instance_of(task) is not None \
        or meta.get("type") == "subProcess"


def scope_of(task):
    """The task whose scope a local set while `task` runs belongs to; None for the process."""
    while task is not None:
        if _opens_scope(task):
            return task
        task = _enclosing_subprocess(task)
    return None


def remember_outer(scope, name, visible):
    """Before `name` becomes local to `scope`: keep the value it had outside (from `visible`, the
    variables where it is set), to restore when the scope is left."""
    if name in visible and name not in scope.internal_data.get(SHADOWED, {}) and name not in own_locals(scope):
        scope.internal_data.setdefault(SHADOWED, {})[name] = visible[name]


def make_local(scope, name, visible=None):
    """`name` becomes local to `scope` (before its local value is written into `visible`, the
    variables where it is set, by default the scope's own)."""
    remember_outer(scope, name, scope.data if visible is None else visible)
    if name not in own_locals(scope):
        scope.internal_data.setdefault(LOCALS, []).append(name)


def declare_local(task, name):
    """execution.setVariableLocal(name, ...) evaluated at `task` (before the value is written)."""
    scope = scope_of(task)
    if scope is not None:
        make_local(scope, name, task.data)


def close(task, outputs):
    """Leave the scope `task` opens: its locals go (outer values come back), `outputs` (already
    evaluated while the locals were visible) are set."""
    shadowed = task.internal_data.get(SHADOWED, {})
    for name in own_locals(task):
        if name in shadowed:
            task.data[name] = shadowed[name]
        else:
            task.data.pop(name, None)
    task.data.update(outputs)


def _scopes_around(task):
    """`task` and the subprocess tasks around it, innermost first."""
    while task is not None:
        yield task
        task = _enclosing_subprocess(task)


def hidden_from_process(task):
    """Names in `task`'s data that are locals of it or of a scope around it: not process variables."""
    return {name for scope in _scopes_around(task) for name in own_locals(scope)}


def process_variables(task):
    """`task`'s data as the process scope sees it: locals out, the process values they hide back."""
    values = dict(task.data)
    outermost = {}
    for scope in _scopes_around(task):
        for name in own_locals(scope):
            outermost[name] = scope
    for name, scope in outermost.items():
        shadowed = scope.internal_data.get(SHADOWED, {})
        if name in shadowed:
            values[name] = shadowed[name]
        else:
            values.pop(name, None)
    return values


def locals_of(task):
    """{name: value} of the locals `task` sees (its own scope's and the enclosing ones')."""
    return {name: task.data[name] for name in hidden_from_process(task) if name in task.data}
