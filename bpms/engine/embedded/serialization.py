"""Engine state <-> JSON. Specs are stored once per deployed version (ProcessDefinition.engine_spec)
and cached deserialized per definition id; an instance's state is stored without them."""

import threading
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.config import (
    ParallelMultiInstanceTask,
    SequentialMultiInstanceTask,
)
from SpiffWorkflow.bpmn.serializer.default.task_spec import BpmnTaskSpecConverter, MultiInstanceTaskConverter
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.helpers.spec import BpmnDataSpecificationConverter
from SpiffWorkflow.bpmn.specs.defaults import CallActivity, ServiceTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG

from bpms.models import ProcessDefinition

from .multi_instance import CollectionExpression
from .runtime import EmbeddedSubprocess


class StateOnlyWorkflowConverter(BpmnWorkflowConverter):
    """Leaves the specs out of an instance's state; on restore they come from the spec cache."""

    def to_dict(self, workflow):
        dct = super().to_dict(workflow)
        del dct["spec"], dct["subprocess_specs"]
        return dct

    def from_dict(self, dct):
        spec, subprocess_specs = dct.pop("spec"), dct.pop("subprocess_specs")
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


CONFIG = dict(CAMUNDA_CONFIG)
CONFIG[ServiceTask] = BpmnTaskSpecConverter
CONFIG[ParallelMultiInstanceTask] = MultiInstanceTaskConverter
CONFIG[SequentialMultiInstanceTask] = MultiInstanceTaskConverter
CONFIG[BpmnWorkflow] = StateOnlyWorkflowConverter
CONFIG[CollectionExpression] = BpmnDataSpecificationConverter
CONFIG[EmbeddedSubprocess] = CONFIG[CallActivity]

_registry = BpmnWorkflowSerializer.configure(CONFIG)
serializer = BpmnWorkflowSerializer(_registry)


def spec_to_json(spec, subprocess_specs):
    return {
        "spec": _registry.convert(spec),
        "subprocess_specs": {name: _registry.convert(sub) for name, sub in subprocess_specs.items()},
        "version": serializer.VERSION,
    }


def spec_from_json(data):
    return (_registry.restore(data["spec"]),
            {name: _registry.restore(sub) for name, sub in data["subprocess_specs"].items()})


_cache = {}
_cache_lock = threading.Lock()


def cached_spec(definition_id, load_json):
    """Specs are immutable once deployed, so one deserialized copy per process serves every instance."""
    found = _cache.get(definition_id)
    if found is None:
        found = spec_from_json(load_json())
        with _cache_lock:
            _cache[definition_id] = found
    return found


def _parents_first(dct):
    """SpiffWorkflow restores a task's data as a delta on its parent's, so every parent must come
    before its children. PostgreSQL's jsonb does not keep key order, so the tasks are stored as a
    list in tree order."""
    tasks, ordered, queue = dct["tasks"], [], [dct["root"]]
    while queue:
        task_id = queue.pop()
        ordered.append(tasks[task_id])
        queue.extend(child for child in tasks[task_id]["children"] if child in tasks)
    dct["tasks"] = ordered


def _as_mapping(dct):
    if isinstance(dct["tasks"], list):
        dct["tasks"] = {task["id"]: task for task in dct["tasks"]}


_definitions = {}


def cached_definition(definition_id):
    """A deployed ProcessDefinition row (immutable) without its large columns, read once per process."""
    found = _definitions.get(definition_id)
    if found is None:
        found = ProcessDefinition.objects.defer("engine_spec", "bpmn_xml").get(id=definition_id)
        _definitions[definition_id] = found
    return found


def _typed_data(dct):
    """Task data with the registry's types (a Date stays a datetime when restored): SpiffWorkflow's
    task converter leaves them to its JSON encoder, and our JSON column does not use that one."""
    for task in dct["tasks"].values():
        if task["data"]:
            task["data"] = _registry.convert(task["data"])
        if task["delta"] and task["delta"]["updates"]:
            task["delta"]["updates"] = _registry.convert(task["delta"]["updates"])


def state_to_json(workflow):
    dct = _registry.convert(workflow)
    for part in (dct, *dct["subprocesses"].values()):
        _typed_data(part)
        _parents_first(part)
    return dct


def state_from_json(state, spec, subprocess_specs):
    _as_mapping(state)
    for sub in state["subprocesses"].values():
        _as_mapping(sub)
    return _registry.restore({**state, "spec": spec, "subprocess_specs": subprocess_specs})
