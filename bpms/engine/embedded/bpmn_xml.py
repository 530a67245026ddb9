"""Reading Camunda Modeler XML before SpiffWorkflow sees it.

Three jobs, all on one hardened lxml tree:
- `check`: everything we cannot execute faithfully becomes a problem naming the element id and why;
- `normalise`: rewrite constructs Camunda accepts but SpiffWorkflow's parser does not (prefixed
  refs, undeclared errors, implicit splits, condition-less inclusive flows, resource scripts,
  expression service tasks, camunda multi-instance collections, call activities);
- `element_metadata`: the camunda: attributes SpiffWorkflow drops, per element id, which the parser
  copies into each task spec's `extensions["eximee"]`.
"""

import functools
import re
from dataclasses import dataclass, field

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
NS = {"bpmn": BPMN_NS, "camunda": CAMUNDA_NS}
B = "{%s}" % BPMN_NS
C = "{%s}" % CAMUNDA_NS

FLOW_NODE_TAGS = {
    "task", "userTask", "serviceTask", "sendTask", "receiveTask", "scriptTask", "businessRuleTask",
    "manualTask", "callActivity", "subProcess", "transaction", "startEvent", "endEvent",
    "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent", "exclusiveGateway",
    "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway", "adHocSubProcess",
}
ACTIVITY_TAGS = {"task", "userTask", "serviceTask", "sendTask", "receiveTask", "scriptTask",
                 "businessRuleTask", "manualTask", "callActivity", "subProcess", "transaction"}
SCRIPT_FORMATS_JUEL = {"juel", "JUEL", "el"}
SCRIPT_FORMATS_PYTHON = {"python", "Python", "py"}
SCRIPT_FORMAT_DMN = "dmn"     # a business rule task's decision, never a script a model can name
# camunda: attributes/elements that run Java code or listeners: we cannot run them, so we refuse
# the model instead of silently skipping behaviour it relies on.
JAVA_HOOKS = ("class", "delegateExpression")
EXPRESSION = re.compile(r"^\s*[$#]\{(.*)\}\s*$", re.S)
# Set on elements whose tag normalisation changed, so history and metadata keep the drawn type.
ORIGINAL_TYPE = "{urn:eximee:bpmn}originalType"
SIMPLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class BpmnXmlError(Exception):
    """The file is not a readable XML document (BPMN or DMN), or not a BPMN document."""


@dataclass
class Problem:
    resource: str
    element_id: str
    detail: str

    def as_error(self):
        return {"pointer": f"/resources/{self.resource}/{self.element_id}", "detail": self.detail,
                "elementId": self.element_id, "resource": self.resource}


@dataclass
class ReadResult:
    tree: object
    problems: list = field(default_factory=list)
    metadata: dict = field(default_factory=dict)       # element id -> {...}
    processes: dict = field(default_factory=dict)      # process id -> {...}


def hardened_parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, dtd_validation=False, load_dtd=False,
                           huge_tree=False, remove_comments=True)


def parse(content: bytes):
    try:
        root = etree.fromstring(content, hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise BpmnXmlError(f"not well-formed XML: {exc}") from exc
    if root.getroottree().docinfo.doctype:
        raise BpmnXmlError("DOCTYPE declarations are not allowed")
    return root


def local(tag):
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def strip_prefix(ref):
    return ref.split(":", 1)[1] if ref and ":" in ref else ref


def expression_body(text):
    """The inside of `${...}`/`#{...}`, or None for a literal."""
    match = EXPRESSION.match(text or "")
    return match.group(1).strip() if match else None


def csv(text):
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def read(resource_name, content, resources):
    """Check, normalise and describe one BPMN document. `resources` maps every file name of the
    deployment to its bytes (for camunda:resource="deployment://...")."""
    root = parse(content)
    if local(root.tag) != "definitions" or etree.QName(root).namespace != BPMN_NS:
        raise BpmnXmlError("the root element is not bpmn:definitions")
    result = ReadResult(tree=root)
    _check_schema(root, resource_name, result.problems)
    _check(root, resource_name, result.problems)
    _normalise(root, resource_name, resources, result.problems)
    for process in root.iter(B + "process"):
        result.processes[process.get("id")] = _process_metadata(process)
        for element in process.iter():
            if local(element.tag) in FLOW_NODE_TAGS and element.get("id"):
                result.metadata[element.get("id")] = _element_metadata(element, root)
    return result


# --- checks -------------------------------------------------------------------------------------

# Camunda accepts these where the BPMN XSD wants a QName: prefixed refs without a declared prefix,
# and expressions as called elements.
_XSD_TOLERATED = re.compile(r"attribute '(calledElement|messageRef|errorRef|signalRef|escalationRef)'.*QName")


@functools.cache
def _schema():
    from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
    return BpmnValidator().validator


def _at_path(root, path):
    try:
        found = root.getroottree().xpath(path, namespaces={k: v for k, v in root.nsmap.items() if k})
    except etree.XPathError:
        return None
    return found[0] if found else None


def _check_schema(root, resource, problems):
    """BPMN 2.0 XSD, minus what Camunda itself tolerates; each error names the element's id."""
    schema = _schema()
    if schema.validate(root):
        return
    by_line = {}
    for element in root.iter():
        if isinstance(element.tag, str):
            by_line.setdefault(element.sourceline, element)
    for error in schema.error_log:
        if _XSD_TOLERATED.search(error.message):
            continue
        element = _at_path(root, error.path)
        if element is None:
            element = by_line.get(error.line)
        while element is not None and not element.get("id"):
            element = element.getparent()
        element_id = element.get("id") if element is not None else f"line {error.line}"
        problems.append(Problem(resource, element_id, f"not valid BPMN 2.0: {error.message}"))

def _check(root, resource, problems):
    def problem(element, detail):
        problems.append(Problem(resource, element.get("id") or local(element.tag), detail))

    for element in root.iter():
        tag = local(element.tag)
        if tag == "compensateEventDefinition" or element.get("isForCompensation") == "true":
            problem(element.getparent() if tag == "compensateEventDefinition" else element,
                    "compensation is not supported")
        elif tag in ("complexGateway", "adHocSubProcess"):
            problem(element, f"{tag} is not supported")
        elif tag == "dataStoreReference":
            problem(element, "data stores are not supported")
        elif tag == "scriptTask":
            script_format = (element.get("scriptFormat") or "").strip()
            if script_format in SCRIPT_FORMATS_PYTHON:
                from django.conf import settings
                if not settings.BPMS_ALLOW_PYTHON_SCRIPTS:
                    problem(element, "Python script tasks are disabled (setting BPMS_ALLOW_PYTHON_SCRIPTS)")
            elif script_format not in SCRIPT_FORMATS_JUEL:
                problem(element, f"unsupported script language '{script_format or '(none)'}': use juel")
        elif tag == "businessRuleTask" and element.get(C + "type") != "external":
            if element.get(C + "decisionRef") is None:
                problem(element, "a business rule task needs camunda:decisionRef, or camunda:type=\"external\" and a topic")
            else:
                _check_decision_reference(element, problem)
        elif tag in ("serviceTask", "sendTask") and element.get(C + "type") != "external" \
                and element.get(C + "expression") is None and element.get(C + "topic") is None:
            if any(element.get(C + attr) is not None for attr in JAVA_HOOKS):
                problem(element, "Java delegates cannot run here: use camunda:type=\"external\" with a topic")
            elif tag == "serviceTask" and element.find(f"{B}extensionElements/{C}connector") is not None:
                problem(element, "camunda connectors are not supported: use an external task")
            elif tag == "serviceTask":
                problem(element, "a service task needs camunda:type=\"external\" and a topic, or camunda:expression")
        if tag == "messageEventDefinition" and local(element.getparent().tag) in ("intermediateThrowEvent", "endEvent") \
                and element.get(C + "type") != "external" \
                and any(element.get(C + attr) is not None for attr in (*JAVA_HOOKS, "expression")):
            problem(element.getparent(), "a message throw event runs as an external task here: "
                                         "use camunda:type=\"external\" with a topic")
        if tag in LISTENER_EVENTS:
            _check_listener(element, problem)
        if tag in FLOW_NODE_TAGS and any(element.get(C + attr) is not None for attr in JAVA_HOOKS) \
                and tag not in ("serviceTask", "sendTask", "businessRuleTask"):
            problem(element, "Java delegates cannot run here")
        if tag == "callActivity":
            binding = element.get(C + "calledElementBinding") or "latest"
            needs = {"version": "calledElementVersion", "versionTag": "calledElementVersionTag"}
            if binding not in ("latest", "deployment", "version", "versionTag"):
                problem(element, f"unknown camunda:calledElementBinding '{binding}' "
                                 "(latest, deployment, version or versionTag)")
            elif binding in needs and not element.get(C + needs[binding]):
                problem(element, f"camunda:calledElementBinding=\"{binding}\" needs camunda:{needs[binding]}")
        if tag == "standardLoopCharacteristics":
            problem(element.getparent(), "standard loops are not supported: draw the loop with a gateway")
        if tag in ("timeDate", "timeDuration", "timeCycle"):
            _check_timer_start_expression(element, problem)
        if tag == "conditionalEventDefinition":
            _check_conditional_event(element, problem)


DECISION_BINDINGS = {"latest": None, "deployment": None, "version": "decisionRefVersion",
                     "versionTag": "decisionRefVersionTag"}
DECISION_RESULT_MAPPINGS = ("resultList", "singleResult", "singleEntry", "collectEntries")


def _check_decision_reference(element, problem):
    binding = element.get(C + "decisionRefBinding") or "latest"
    if binding not in DECISION_BINDINGS:
        problem(element, f"unknown camunda:decisionRefBinding '{binding}' (latest, deployment, version or versionTag)")
    elif DECISION_BINDINGS[binding] and not element.get(C + DECISION_BINDINGS[binding]):
        problem(element, f"camunda:decisionRefBinding '{binding}' needs camunda:{DECISION_BINDINGS[binding]}")
    mapping = element.get(C + "mapDecisionResult") or "resultList"
    if mapping not in DECISION_RESULT_MAPPINGS:
        problem(element, f"unknown camunda:mapDecisionResult '{mapping}' ({', '.join(DECISION_RESULT_MAPPINGS)})")


# Listeners that run here, by the events they run on (see _listener_metadata).
LISTENER_EVENTS = {"executionListener": ("start", "end"), "taskListener": ("create", "complete")}


def _check_listener(listener, problem):
    """Execution listeners on the start or end of a flow node and user task listeners on create or
    complete run as in Camunda when they are expressions or JUEL scripts; the rest is refused,
    naming what to change."""
    kind = {"executionListener": "execution listener", "taskListener": "task listener"}[local(listener.tag)]
    events = LISTENER_EVENTS[local(listener.tag)]
    owner = listener.getparent().getparent()
    owner_tag = local(owner.tag)
    script = listener.find(C + "script")
    if any(listener.get(attr) is not None for attr in JAVA_HOOKS):
        problem(owner, f"Java {kind}s cannot run here: use an expression or a JUEL script")
    elif script is not None and (script.get("scriptFormat") or "").strip() not in SCRIPT_FORMATS_JUEL:
        problem(owner, f"{kind} scripts in '{script.get('scriptFormat') or '(none)'}' cannot run here: use juel")
    elif script is not None and script.get("resource"):
        problem(owner, f"{kind} scripts from a resource are not supported: write the script in the model")
    elif owner_tag not in FLOW_NODE_TAGS:
        problem(owner, f"{kind}s on a {owner_tag} are not supported: put them on a flow node")
    elif (listener.get("event") or "") not in events:
        problem(owner, f"{kind} event '{listener.get('event') or ''}' is not supported ({' or '.join(events)})")
    elif owner.find(B + "multiInstanceLoopCharacteristics") is not None:
        problem(owner, f"{kind}s on a multi-instance activity are not supported")


def _listener_metadata(element, tag):
    """{event: [expression or JUEL script, ...]} of an element's listeners of one kind, in order."""
    listeners = {}
    for listener in _ext(element, f"{C}{tag}"):
        script = listener.find(C + "script")
        listeners.setdefault(listener.get("event"), []).append(
            listener.get("expression") if script is None else (script.text or "").strip())
    return listeners


def _check_conditional_event(definition, problem):
    """Conditional events run as intermediate catch, boundary and event subprocess start events. A
    process's conditional start event (Camunda's condition evaluation API) and one behind an
    event-based gateway are refused rather than never firing."""
    event = definition.getparent()
    if local(event.tag) == "startEvent" and local(event.getparent().tag) == "process":
        problem(event, "conditional start events of processes are not supported: use a conditional boundary "
                       "or intermediate catch event, or an event subprocess")
    incoming = {flow.get("sourceRef") for flow in event.getparent().findall(B + "sequenceFlow")
                if flow.get("targetRef") == event.get("id")}
    if any(local(node.tag) == "eventBasedGateway" for node in event.getparent() if node.get("id") in incoming):
        problem(event, "a conditional event behind an event-based gateway is not supported")


def _check_timer_start_expression(element, problem):
    """A process's timer start event is scheduled before any instance exists (bpms/services/
    timer_starts.py): its expression must not need variables. Every start of the process would
    fail on it too."""
    from bpms.engine import juel

    start = element.getparent().getparent()
    text = (element.text or "").strip()
    if local(start.tag) != "startEvent" or local(start.getparent().tag) != "process" or not juel.is_expression(text):
        return
    try:
        juel.evaluate(text, juel.Context({}))
    except juel.JuelError as exc:
        problem(start, f"a timer start event is evaluated before there is an instance, without variables: {exc}")


# --- normalisation ------------------------------------------------------------------------------

def _sub(parent, tag, **attrs):
    child = etree.SubElement(parent, tag)
    for name, value in attrs.items():
        child.set(name, value)
    return child


def _normalise(root, resource, resources, problems):
    errors = {e.get("id") for e in root.iter(B + "error")}
    declared_by_code = {}
    for element in root.iter():
        tag = local(element.tag)
        for attr in ("messageRef", "errorRef", "signalRef", "escalationRef"):
            if element.get(attr) and ":" in element.get(attr):
                element.set(attr, strip_prefix(element.get(attr)))
        if tag == "errorEventDefinition" and element.get("errorRef") and element.get("errorRef") not in errors:
            # Camunda takes an errorRef that names no <error> as the error code itself.
            code = element.get("errorRef")
            if code not in declared_by_code:
                declared_by_code[code] = _sub(root, B + "error", id=code, name=code, errorCode=code)
                root.remove(declared_by_code[code])
                root.insert(0, declared_by_code[code])
                errors.add(code)
    for scope in list(root.iter(B + "process", B + "subProcess", B + "transaction")):
        _link_events(scope, resource, problems)
        _normalise_scope(scope)
    for element in list(root.iter(B + "scriptTask")):
        _inline_resource_script(element, resource, resources, problems)
    for element in list(root.iter(B + "serviceTask", B + "sendTask", B + "businessRuleTask")):
        if element.get(C + "expression") is not None and element.get(C + "type") != "external":
            _expression_task_to_script(element)
        elif element.get(C + "decisionRef") is not None and element.get(C + "type") != "external":
            _decision_task_to_script(element)
        else:
            _retag(element, "serviceTask")
    for element in list(root.iter(B + "intermediateThrowEvent", B + "endEvent")):
        definition = element.find(B + "messageEventDefinition")
        if definition is not None and definition.get(C + "type") == "external":
            _message_throw_to_external_task(element, definition)
    for element in list(root.iter(B + "multiInstanceLoopCharacteristics")):
        _standard_multi_instance(element)
    for element in list(root.iter(B + "callActivity")):
        # A call activity starts a separate instance (its own id, parent link, latest version of a
        # key that may be an expression); inside SpiffWorkflow it is a task that waits for it.
        _retag(element, "serviceTask")


def _normalise_scope(scope):
    children = [c for c in scope if local(c.tag) in FLOW_NODE_TAGS or local(c.tag) == "sequenceFlow"]
    flows = [c for c in children if local(c.tag) == "sequenceFlow"]
    nodes = {c.get("id"): c for c in children if local(c.tag) != "sequenceFlow"}
    outgoing = {}
    for flow in flows:
        outgoing.setdefault(flow.get("sourceRef"), []).append(flow)
    for node_id, node in list(nodes.items()):
        tag = local(node.tag)
        flows_out = outgoing.get(node_id, [])
        if tag == "inclusiveGateway":
            for flow in flows_out:
                if flow.get("id") != node.get("default") and flow.find(B + "conditionExpression") is None:
                    condition = _sub(flow, B + "conditionExpression")
                    condition.text = "${true}"
        elif (tag in ACTIVITY_TAGS or tag in ("startEvent", "intermediateCatchEvent", "intermediateThrowEvent",
                                              "boundaryEvent")) and len(flows_out) > 1:
            _split_after(scope, node, flows_out)
        elif tag in ACTIVITY_TAGS and not flows_out and node.get("triggeredByEvent") != "true" \
                and scope.get("triggeredByEvent") == "true":
            # Camunda ends the path of an activity without outgoing flow; SpiffWorkflow needs an end.
            end = _sub(scope, B + "endEvent", id=f"{node_id}__implicitEnd")
            _sub(scope, B + "sequenceFlow", id=f"{node_id}__toImplicitEnd", sourceRef=node_id, targetRef=end.get("id"))


def _link_events(scope, resource, problems):
    """A link throw event continues at the catch event of the same name in its scope (Camunda's
    "go to"); SpiffWorkflow knows no links and would end the path at the throw. Both become plain
    intermediate events joined by a sequence flow, so history still shows them as drawn."""
    def links(tag):
        return [(node, node.find(B + "linkEventDefinition")) for node in scope.findall(B + tag)
                if node.find(B + "linkEventDefinition") is not None]

    catches = {}
    for node, definition in links("intermediateCatchEvent"):
        name = definition.get("name") or ""
        if name in catches:
            problems.append(Problem(resource, node.get("id"), f"a second link catch event named '{name}' in one scope"))
        catches[name] = node
    for node, definition in links("intermediateThrowEvent"):
        target = catches.get(definition.get("name") or "")
        if target is None:
            problems.append(Problem(resource, node.get("id"),
                                    f"no link catch event named '{definition.get('name') or ''}' in the same scope"))
            continue
        flow_id = f"{node.get('id')}__link"
        _sub(node, B + "outgoing").text = flow_id
        target.insert(0, etree.Element(B + "incoming"))
        target[0].text = flow_id
        _sub(scope, B + "sequenceFlow", id=flow_id, sourceRef=node.get("id"), targetRef=target.get("id"))
    for node, definition in links("intermediateThrowEvent") + links("intermediateCatchEvent"):
        node.remove(definition)
        _retag(node, "intermediateThrowEvent")


def _split_after(scope, node, flows_out):
    """Several flows out of one element: Camunda forks them all (an implicit parallel split), or, when
    some carry conditions, takes every flow whose condition holds (an implicit inclusive split)."""
    node_id = node.get("id")
    conditional = any(f.find(B + "conditionExpression") is not None for f in flows_out)
    gateway = _sub(scope, B + ("inclusiveGateway" if conditional else "parallelGateway"), id=f"{node_id}__split")
    if conditional and node.get("default"):
        gateway.set("default", node.attrib.pop("default"))
    for flow in flows_out:
        flow.set("sourceRef", gateway.get("id"))
        if conditional and flow.get("id") != gateway.get("default") and flow.find(B + "conditionExpression") is None:
            _sub(flow, B + "conditionExpression").text = "${true}"
    _sub(scope, B + "sequenceFlow", id=f"{node_id}__toSplit", sourceRef=node_id, targetRef=gateway.get("id"))


def _inline_resource_script(element, resource, resources, problems):
    reference = element.get(C + "resource")
    if not reference or element.find(B + "script") is not None:
        return
    name = reference.split("://", 1)[1] if "://" in reference else reference
    if name not in resources:
        problems.append(Problem(resource, element.get("id"), f"script resource '{reference}' is not part of the deployment"))
        return
    _sub(element, B + "script").text = resources[name].decode("utf-8")


def _retag(element, tag):
    if element.get(ORIGINAL_TYPE) is None:
        element.set(ORIGINAL_TYPE, local(element.tag))
    element.tag = B + tag


def _expression_task_to_script(element):
    _retag(element, "scriptTask")
    element.set("scriptFormat", "juel")
    _sub(element, B + "script").text = element.attrib.pop(C + "expression")


def _decision_task_to_script(element):
    """A business rule task evaluates its decision where a script task would run its script
    (scripting.EximeeScriptEngine), with the decision reference as the script."""
    _retag(element, "scriptTask")
    element.set("scriptFormat", SCRIPT_FORMAT_DMN)
    _sub(element, B + "script").text = element.get(C + "decisionRef")


def _message_throw_to_external_task(element, definition):
    """A message throw or end event with camunda:type="external" sends its message through an
    external task of its topic, as in Camunda; the path goes on (or ends) when the task completes."""
    element_id = element.get("id")
    _retag(element, "serviceTask")
    element.remove(definition)
    for attr in ("type", "topic", "taskPriority"):
        if definition.get(C + attr) is not None:
            element.set(C + attr, definition.get(C + attr))
    if element.get(ORIGINAL_TYPE) == "endEvent":
        scope = element.getparent()
        end = _sub(scope, B + "endEvent", id=f"{element_id}__end")
        _sub(scope, B + "sequenceFlow", id=f"{element_id}__toEnd", sourceRef=element_id, targetRef=end.get("id"))


def _standard_multi_instance(element):
    """camunda:collection/elementVariable -> the standard loopDataInputRef/inputDataItem, which the
    parser reads without mutating the shared spec at run time."""
    collection = element.attrib.pop(C + "collection", None)
    variable = element.attrib.pop(C + "elementVariable", None)
    if collection is not None and element.find(B + "loopDataInputRef") is None:
        ref = etree.Element(B + "loopDataInputRef")
        ref.text = collection
        element.insert(0, ref)
    ref = element.find(B + "loopDataInputRef")
    if ref is not None and SIMPLE_NAME.match(expression_body(ref.text) or ""):
        # ${items} reads a variable: the same as naming it, without evaluating an expression.
        ref.text = expression_body(ref.text)
    if variable is not None and element.find(B + "inputDataItem") is None:
        # SpiffWorkflow names the item variable after the data item's id.
        item = etree.Element(B + "inputDataItem", id=variable, name=variable)
        element.insert(1, item)


# --- metadata -----------------------------------------------------------------------------------

def _ext(element, path):
    return element.findall(f"{B}extensionElements/{path}", namespaces=NS)


def _properties(element):
    return {p.get("name"): p.get("value") for p in _ext(element, f"{C}properties/{C}property")}


def _parameter_value(param):
    """A camunda input/output parameter: text (literal or expression), a list or a map."""
    child = next(iter(param), None)
    if child is None:
        return {"text": param.text or ""}
    if local(child.tag) == "list":
        return {"list": [v.text or "" for v in child]}
    if local(child.tag) == "map":
        return {"map": {e.get("key"): e.text or "" for e in child}}
    if local(child.tag) == "script":
        return {"text": child.text or ""}
    return {"text": ""}


def form_fields(element):
    """A user task's camunda:formData fields, as task rows keep them."""
    fields = []
    for xml_field in _ext(element, f"{C}formData/{C}formField"):
        fields.append({
            "id": xml_field.get("id"),
            "label": xml_field.get("label") or "",
            "type": xml_field.get("type") or "string",
            "defaultValue": xml_field.get("defaultValue"),
            "validation": [{"name": c.get("name"), "config": c.get("config")}
                           for c in xml_field.findall(f"{C}validation/{C}constraint")],
            "values": [{"id": v.get("id"), "name": v.get("name")} for v in xml_field.findall(f"{C}value")],
            "properties": {p.get("id"): p.get("value") for p in xml_field.findall(f"{C}properties/{C}property")},
        })
    return fields


def user_task_forms(content: bytes):
    """{user task id: its form fields} of a model as written: a remote engine keeps its own forms,
    our task rows show them (and completions are checked against them) as in embedded mode."""
    try:
        root = parse(content)
    except BpmnXmlError:
        return {}
    return {element.get("id"): form_fields(element) for element in root.iter(f"{B}userTask")}


def _event_definition(element):
    for child in element:
        if local(child.tag).endswith("EventDefinition"):
            return child
    return None


def _element_metadata(element, root):
    tag = element.get(ORIGINAL_TYPE) or local(element.tag)
    meta = {
        "name": element.get("name") or "",
        "type": tag,
        "properties": _properties(element),
    }
    doc = element.find(B + "documentation")
    if doc is not None and doc.text:
        meta["documentation"] = doc.text.strip()
    for attr in ("asyncBefore", "asyncAfter", "async"):
        if element.get(C + attr) == "true":
            meta["asyncBefore" if attr == "async" else attr] = True
    inputs = [{"name": p.get("name"), **_parameter_value(p)} for p in _ext(element, f"{C}inputOutput/{C}inputParameter")]
    outputs = [{"name": p.get("name"), **_parameter_value(p)} for p in _ext(element, f"{C}inputOutput/{C}outputParameter")]
    if inputs:
        meta["inputs"] = inputs
    for key, listener_tag in (("listeners", "executionListener"), ("taskListeners", "taskListener")):
        if listeners := _listener_metadata(element, listener_tag):
            meta[key] = listeners
    if outputs:
        meta["outputs"] = outputs
    if tag == "userTask":
        for attr in ("assignee", "candidateUsers", "candidateGroups", "dueDate", "followUpDate", "priority", "formKey"):
            if element.get(C + attr) is not None:
                meta[attr] = element.get(C + attr)
        meta["formFields"] = form_fields(element)
    if local(element.tag) == "serviceTask" and element.get(C + "type") == "external":
        meta["topic"] = element.get(C + "topic") or ""
        meta["taskPriority"] = element.get(C + "taskPriority")
    # Every job reads it: service tasks, async continuations of any activity, timer events.
    retry = _ext(element, f"{C}failedJobRetryTimeCycle")
    if retry:
        meta["retryTimeCycle"] = (retry[0].text or "").strip()
    if local(element.tag) == "scriptTask":       # also an expression service task, rewritten as one
        meta["scriptFormat"] = element.get("scriptFormat") or ""
        if element.get(C + "resultVariable"):
            meta["resultVariable"] = element.get(C + "resultVariable")
    if meta.get("scriptFormat") == SCRIPT_FORMAT_DMN:
        binding = element.get(C + "decisionRefBinding") or "latest"
        meta["decision"] = {"ref": element.get(C + "decisionRef"), "binding": binding,
                            "mapping": element.get(C + "mapDecisionResult") or "resultList"}
        if DECISION_BINDINGS.get(binding):
            meta["decision"][binding] = element.get(C + DECISION_BINDINGS[binding])
    if tag == "callActivity":
        meta["calledElement"] = element.get("calledElement") or ""
        meta["binding"] = element.get(C + "calledElementBinding") or "latest"
        for attr, name in (("calledElementVersion", "version"), ("calledElementVersionTag", "versionTag")):
            if element.get(C + attr) is not None:
                meta[name] = element.get(C + attr)
        meta["in"] = [dict(m.attrib) for m in _ext(element, f"{C}in")]
        meta["out"] = [dict(m.attrib) for m in _ext(element, f"{C}out")]
    if tag == "startEvent" and element.get(C + "initiator"):
        meta["initiator"] = element.get(C + "initiator")
    definition = _event_definition(element)
    if definition is not None:
        meta["event"] = local(definition.tag).replace("EventDefinition", "")
        if meta["event"] in ("error", "escalation"):
            kind = meta["event"]
            for attr in (f"{kind}CodeVariable", "errorMessageVariable"):
                if definition.get(C + attr):
                    meta[attr] = definition.get(C + attr)
            ref = definition.get(f"{kind}Ref")
            declared = root.find(f"{B}{kind}[@id='{ref}']") if ref else None
            meta[f"{kind}Code"] = (declared.get(f"{kind}Code") or ref) if declared is not None else None
        if meta["event"] == "conditional":
            for attr in ("variableName", "variableEvents"):
                if csv(definition.get(C + attr)):
                    meta[attr] = csv(definition.get(C + attr))
        if meta["event"] == "signal" and tag in ("intermediateThrowEvent", "endEvent"):
            # The variables a thrown signal carries, mapped like a call activity's.
            meta["in"] = [dict(m.attrib) for m in definition.findall(f"{B}extensionElements/{C}in")]
        for kind in ("message", "signal"):
            ref = definition.get(f"{kind}Ref")
            if meta["event"] == kind and ref:
                declared = root.find(f"{B}{kind}[@id='{ref}']")
                meta[f"{kind}Name"] = declared.get("name") if declared is not None and declared.get("name") else ref
        if meta["event"] == "timer":
            for kind in ("timeDate", "timeDuration", "timeCycle"):
                node = definition.find(B + kind)
                if node is not None:
                    meta[kind] = (node.text or "").strip()
    if tag == "receiveTask" and element.get("messageRef"):
        ref = element.get("messageRef")
        declared = root.find(f"{B}message[@id='{ref}']")
        meta["event"] = "message"
        meta["messageName"] = declared.get("name") if declared is not None and declared.get("name") else ref
    if tag == "boundaryEvent":
        meta["attachedToRef"] = element.get("attachedToRef")
        meta["interrupting"] = element.get("cancelActivity", "true") != "false"
    if tag == "startEvent":
        meta["interrupting"] = element.get("isInterrupting", "true") != "false"
        parent = element.getparent()
        meta["eventSubprocess"] = local(parent.tag) == "subProcess" and parent.get("triggeredByEvent") == "true"
    return meta


def _process_metadata(process):
    properties = _properties(process)
    starts = [e for e in process if local(e.tag) == "startEvent"]
    info = {"name": process.get("name") or "", "executable": process.get("isExecutable", "true") != "false",
            "dataModel": properties.get("dataModel", ""), "noneStart": "",
            "versionTag": process.get(C + "versionTag") or "",
            "messageStarts": [], "signalStarts": [], "timerStarts": []}
    return info | {"startIds": [s.get("id") for s in starts]}
