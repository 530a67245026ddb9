"""Our CamundaParser: standard multi-instance semantics on every task, camunda metadata in
`spec.extensions["eximee"]`, and one entry point that turns a deployment's files into specs."""

from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.bpmn.parser.task_parsers import SubprocessParser as SpiffSubprocessParser
from SpiffWorkflow.bpmn.parser import event_parsers
from SpiffWorkflow.bpmn.specs.defaults import ServiceTask, StartEvent
from SpiffWorkflow.bpmn.specs.event_definitions import MessageEventDefinition, SignalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.conditional import ConditionalEventDefinition
from SpiffWorkflow.camunda.parser.event_parsers import CamundaStartEventParser
from SpiffWorkflow.camunda.parser.task_spec import CamundaTaskParser, SubWorkflowParser

from . import bpmn_xml, multi_instance
from .runtime import EmbeddedSubprocess

get_subprocess_spec = SpiffSubprocessParser.get_subprocess_spec


def _add_multiinstance_task(self, loop_characteristics):
    TaskParser._add_multiinstance_task(self, loop_characteristics)
    multi_instance.adapt(self.task, loop_characteristics)


def _standard_multi_instance(parser_class):
    """CamundaTaskParser's multi-instance rewrites the shared spec while an instance runs; the
    standard BPMN one (collection normalised to loopDataInputRef by bpmn_xml) does not."""
    return type(parser_class.__name__, (parser_class,), {"_add_multiinstance_task": _add_multiinstance_task})


class SubprocessParser(SubWorkflowParser):
    """CamundaParser's subprocess parser ignores triggeredByEvent, running an event subprocess as
    an ordinary one right after the start event."""

    def create_task(self):
        event = self.node.get("triggeredByEvent") == "true"
        spec_class = self.EVENT_SUBPROCESS_CLASS if event else self.spec_class
        return spec_class(self.spec, self.bpmn_id, subworkflow_spec=get_subprocess_spec(self), **self.bpmn_attributes)


class StartEventParser(CamundaStartEventParser):
    """SpiffWorkflow's start events know no error or escalation definitions, which the start events
    of event subprocesses use."""

    def create_task(self):
        task = self._create_task(self.get_event_definition([
            event_parsers.MESSAGE_EVENT_XPATH, event_parsers.SIGNAL_EVENT_XPATH, event_parsers.TIMER_EVENT_XPATH,
            event_parsers.CONDITIONAL_EVENT_XPATH, event_parsers.ERROR_EVENT_XPATH,
            event_parsers.ESCALATION_EVENT_XPATH]))
        self.spec.start.connect(task)
        return task


class EximeeParser(CamundaParser):
    OVERRIDE_PARSER_CLASSES = {
        tag: (_standard_multi_instance(parser), spec)
        for tag, (parser, spec) in CamundaParser.OVERRIDE_PARSER_CLASSES.items()
    } | {full_tag("serviceTask"): (_standard_multi_instance(CamundaTaskParser), ServiceTask),
         full_tag("subProcess"): (_standard_multi_instance(SubprocessParser), EmbeddedSubprocess),
         full_tag("startEvent"): (StartEventParser, StartEvent)}


class ParseFailure(Exception):
    def __init__(self, problems):
        super().__init__("; ".join(p.detail for p in problems))
        self.problems = problems


def attach_metadata(spec, metadata):
    for task_spec in spec.task_specs.values():
        bpmn_id = getattr(task_spec, "bpmn_id", None)
        if bpmn_id in metadata and hasattr(task_spec, "extensions"):
            task_spec.extensions = {**(task_spec.extensions or {}), "eximee": metadata[bpmn_id]}


BPMN_SUFFIXES = (".bpmn", ".bpmn20.xml")


def parse_deployment(resources):
    """resources: {file name: bytes}. Returns {process id: (spec, subprocess specs, process info)}
    for every executable process, with the camunda metadata attached; raises ParseFailure listing
    every problem found."""
    parser = EximeeParser()
    problems, metadata, processes, owner = [], {}, {}, {}
    for name, content in resources.items():
        if not name.lower().endswith(BPMN_SUFFIXES):
            continue
        try:
            read = bpmn_xml.read(name, content, resources)
        except bpmn_xml.BpmnXmlError as exc:
            problems.append(bpmn_xml.Problem(name, "", str(exc)))
            continue
        problems.extend(read.problems)
        metadata.update(read.metadata)
        for process_id, info in read.processes.items():
            processes[process_id] = info
            owner[process_id] = name
        if not read.problems:
            try:
                parser.add_bpmn_xml(read.tree, filename=name)
            except ValidationException as exc:
                problems.append(bpmn_xml.Problem(name, exc.id or "", _first_line(exc)))
    if not processes and not problems and any(name.lower().endswith(BPMN_SUFFIXES) for name in resources):
        problems.append(bpmn_xml.Problem("", "", "the deployment contains no BPMN process"))
    if problems:
        raise ParseFailure(problems)
    result = {}
    for process_id, info in processes.items():
        if not info["executable"]:
            continue
        try:
            spec = parser.get_spec(process_id)
            subprocess_specs = parser.get_subprocess_specs(process_id)
        except ValidationException as exc:
            problems.append(bpmn_xml.Problem(owner[process_id], exc.id or process_id, _first_line(exc)))
            continue
        for each in (spec, *subprocess_specs.values()):
            attach_metadata(each, metadata)
            _arm_event_subprocesses(each, subprocess_specs)
        result[process_id] = (spec, subprocess_specs, info | {"resource": owner[process_id]})
    if problems:
        raise ParseFailure(problems)
    return result


WAITING_STARTS = (MessageEventDefinition, SignalEventDefinition, ConditionalEventDefinition)


def _arm_event_subprocesses(spec, subprocess_specs):
    """SpiffWorkflow starts an event subprocess with a message, signal or conditional start event
    only when that event reaches the top workflow by its own delivery, which ours never use. Like
    one with a timer start, it now waits from the moment its scope starts (its start event is a
    wait state with a subscription); runtime.py gives it Camunda's interrupting, repeating and
    ending rules. Error and escalation event subprocesses stay as they are: SpiffWorkflow starts
    them when the error or escalation is thrown."""
    for name in list(spec.start.trigger_specs):
        event_spec = subprocess_specs.get(name)
        if event_spec and any(isinstance(start.event_definition, WAITING_STARTS) for start in event_spec.bpmn_start_events):
            spec.start.trigger_specs.remove(name)
            spec.start.connect(spec.task_specs[name])
            spec.task_specs[name].connect(spec.end)


def _first_line(exc):
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
