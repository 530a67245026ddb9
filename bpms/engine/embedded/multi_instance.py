"""Multi-instance activities as Camunda 7 runs them: the collection may be any expression
(`${order.items}`, `${execution.getVariable('list')}`, a method's result), the element variable
comes from camunda:elementVariable or the standard inputDataItem's name, and it is local to each
instance (it never reaches the enclosing scope)."""

from collections.abc import Mapping

from SpiffWorkflow.bpmn.exceptions import WorkflowDataException
from SpiffWorkflow.bpmn.specs.data_spec import TaskDataReference

from bpms.engine import juel

COLLECTION = "eximee_collection"


class CollectionExpression(TaskDataReference):
    """A collection given as an expression: evaluated once, when the activity is entered, and kept
    with the activity (a sequential one asks for it again before each instance)."""

    def get(self, my_task):
        if COLLECTION not in my_task.internal_data:
            value = my_task.workflow.script_engine.evaluate(my_task, self.bpmn_id)
            if not isinstance(value, (list, tuple, Mapping)):
                raise WorkflowDataException(
                    f"multi-instance collection '{self.bpmn_id}' gave {type(value).__name__}, not a collection",
                    my_task)
            my_task.internal_data[COLLECTION] = list(value) if isinstance(value, tuple) else value
        return my_task.internal_data[COLLECTION]

    def exists(self, my_task):
        return True

    def set(self, my_task, value):
        raise WorkflowDataException(f"multi-instance collection '{self.bpmn_id}' is an expression, not a variable",
                                    my_task)


def adapt(task_spec, loop_characteristics):
    """Called by the parser on the multi-instance spec it just built from `loop_characteristics`."""
    data_input = task_spec.data_input
    if data_input is not None and juel.is_expression(data_input.bpmn_id):
        task_spec.data_input = CollectionExpression(data_input.bpmn_id)
    item = loop_characteristics.find("{*}inputDataItem")
    if item is not None and item.get("name"):
        # Camunda names the element variable by the data item's name; SpiffWorkflow by its id.
        task_spec.input_item = TaskDataReference(item.get("name"))


def instance_of(task):
    """The multi-instance activity `task` is one instance of, or None."""
    parent = task.parent
    if parent is None or getattr(parent.task_spec, "task_spec", None) != task.task_spec.name:
        return None
    return parent


def element_variable(task):
    """The name of the element variable of a multi-instance instance (local to it), or None."""
    body = instance_of(task)
    if body is None:
        return None
    item, output = getattr(body.task_spec, "input_item", None), getattr(body.task_spec, "output_item", None)
    if item is None or (output is not None and output.bpmn_id == item.bpmn_id):
        return None
    return item.bpmn_id
