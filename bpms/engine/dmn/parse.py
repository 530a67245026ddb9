"""A .dmn file (DMN 1.1, 1.2 or 1.3, as Camunda Modeler writes them) into Decisions, refusing at
deploy time what could not run: every problem found is collected, each naming its element, so one
422 lists them all."""

from lxml import etree

from bpms.engine.embedded.bpmn_xml import BpmnXmlError, Problem, local
from bpms.engine.embedded.bpmn_xml import parse as parse_xml

from . import languages
from .model import (
    AGGREGATIONS, DEFAULT_INPUT_VARIABLE, FEEL, HIT_POLICIES, TYPE_REFS, Decision, DecisionTable,
    DmnInvalid, Expression, Input, LiteralExpression, Output, Rule,
)

DMN_NAMESPACES = (
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",    # DMN 1.1, older Camunda Modelers
    "http://www.omg.org/spec/DMN/20180521/MODEL/",     # DMN 1.2
    "https://www.omg.org/spec/DMN/20191111/MODEL/",    # DMN 1.3, Camunda Modeler 4 and later
)
CAMUNDA = "{http://camunda.org/schema/1.0/dmn}"
# Decision logic DMN allows and Camunda 7 cannot evaluate.
UNSUPPORTED_LOGIC = ("context", "invocation", "relation", "list", "functionDefinition", "conditional", "for",
                     "every", "some", "filter")
ORDERING_POLICIES = ("PRIORITY", "OUTPUT ORDER")


def parse_dmn(resource_name: str, content: bytes) -> list[Decision]:
    """Every decision of the file. Raises DmnInvalid listing every problem found."""
    root = _root(resource_name, content)
    reader = _Reader(resource_name, root)
    decisions = reader.decisions()
    if reader.problems:
        raise DmnInvalid(reader.problems)
    return decisions


def _root(resource_name, content):
    def invalid(detail):
        return DmnInvalid([Problem(resource_name, "", detail)])

    try:
        root = parse_xml(content)     # the same hardened reading as BPMN files: no DOCTYPE, no entities
    except BpmnXmlError as exc:
        raise invalid(str(exc)) from exc
    if local(root.tag) != "definitions" or etree.QName(root).namespace not in DMN_NAMESPACES:
        raise invalid("the root element is not the definitions of DMN 1.1, 1.2 or 1.3")
    return root


def split_list(text):
    """The items of a FEEL list of unary tests (`"a","b"`): split at the commas outside string
    literals, parentheses and intervals. An interval's brackets may face either way (`]1..5[`),
    so a bracket toggles rather than nests."""
    items, start, depth, interval, quoted, escaped = [], 0, 0, False, False, False
    for position, char in enumerate(text):
        if escaped:
            escaped = False
        elif quoted:
            escaped, quoted = char == "\\", char != '"'
        elif char == '"':
            quoted = True
        elif char in "[]":
            interval = not interval
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "," and depth == 0 and not interval:
            items.append(text[start:position].strip())
            start = position + 1
    items.append(text[start:].strip())
    return [item for item in items if item]


class _Reader:
    def __init__(self, resource, root):
        self.resource = resource
        self.root = root
        self.ns = "{%s}" % etree.QName(root).namespace
        self.problems = []
        self.default_language = self.language(root, FEEL, root.get("id") or "definitions") or FEEL

    def problem(self, element_id, detail):
        self.problems.append(Problem(self.resource, element_id, detail))

    def children(self, element, name):
        return element.findall(self.ns + name)

    def child(self, element, name):
        return element.find(self.ns + name)

    def text_of(self, element):
        """The <text> of an expression element, stripped; "" when there is none."""
        text = element.findtext(self.ns + "text") if element is not None else None
        return (text or "").strip()

    def language(self, element, default, element_id):
        """None, after reporting it, for a language we cannot evaluate."""
        try:
            return languages.language_of(element.get("expressionLanguage"), default)
        except languages.UnsupportedLanguage as exc:
            self.problem(element_id, str(exc))
            return None

    # --- decisions -------------------------------------------------------------------------------

    def decisions(self):
        elements = self.children(self.root, "decision")
        if not elements:
            self.problem(self.root.get("id") or "definitions", "the file contains no decision")
        keys = {element.get("id") for element in elements}
        decisions, graph = [], {}
        for position, element in enumerate(elements, 1):
            key = element.get("id")
            if not key:
                self.problem(f"decision[{position}]", "a decision needs an id (its key)")
            elif key in graph:
                self.problem(key, f"decision id '{key}' is used twice in this file")
            else:
                graph[key] = tuple(self.required_decisions(element, key, keys))
                logic = self.decision_logic(element, key)
                decisions.append(Decision(key, element.get("name"), element.get(CAMUNDA + "versionTag"),
                                          graph[key], logic))
        self.check_cycles(graph)
        return decisions

    def required_decisions(self, element, key, keys):
        for requirement in self.children(element, "informationRequirement"):
            reference = self.child(requirement, "requiredDecision")
            if reference is None:
                continue    # a requiredInput: input data is documentation only, as in Camunda
            href = (reference.get("href") or "").strip()
            required = href[1:] if href.startswith("#") else href
            if required in keys:
                yield required
            else:
                self.problem(key, f"required decision '{href}' is not a decision of this file")

    def decision_logic(self, element, key):
        table = self.child(element, "decisionTable")
        if table is not None:
            return self.decision_table(table, key)
        literal = self.child(element, "literalExpression")
        if literal is not None:
            return self.literal_expression(element, literal, key)
        unsupported = next((name for name in UNSUPPORTED_LOGIC if self.child(element, name) is not None), None)
        if unsupported:
            self.problem(key, f"<{unsupported}> decision logic is not supported: "
                              "use a decision table or a literal expression")
        else:
            self.problem(key, "the decision has no decision table and no literal expression")
        return None

    def check_cycles(self, graph):
        done, path = set(), []

        def visit(key):
            if key in path:
                cycle = path[path.index(key):] + [key]
                self.problem(key, "required decisions form a cycle: " + " -> ".join(cycle))
            elif key not in done:
                path.append(key)
                for required in graph[key]:
                    visit(required)
                path.pop()
                done.add(key)

        for key in graph:
            visit(key)

    # --- literal expressions ---------------------------------------------------------------------

    def literal_expression(self, decision_element, element, key):
        variable = self.child(decision_element, "variable")
        name = variable.get("name") if variable is not None else None
        if not name:
            self.problem(key, 'a literal expression decision needs a <variable name="..."> for its result')
        element_id = element.get("id") or key
        expression = self.expression(element, element_id, "literal expression")
        if not expression.text:
            self.problem(element_id, "the literal expression is empty")
        type_ref = self.type_ref(variable, key) if variable is not None else None
        return LiteralExpression(name, type_ref, expression)

    # --- decision tables -------------------------------------------------------------------------

    def decision_table(self, element, key):
        hit_policy, aggregation = self.hit_policy(element, key)
        inputs = [self.input(item, key, position) for position, item in enumerate(self.children(element, "input"), 1)]
        outputs = self.outputs(element, key, hit_policy, aggregation)
        rules = [self.rule(item, key, position, inputs, outputs)
                 for position, item in enumerate(self.children(element, "rule"), 1)]
        return DecisionTable(hit_policy, aggregation, tuple(inputs), tuple(outputs), tuple(rules))

    def hit_policy(self, element, key):
        hit_policy = (element.get("hitPolicy") or "UNIQUE").strip()
        aggregation = (element.get("aggregation") or "").strip() or None
        if hit_policy not in HIT_POLICIES:
            self.problem(key, f"unknown hit policy '{hit_policy}' ({', '.join(HIT_POLICIES)})")
        if aggregation is not None and aggregation not in AGGREGATIONS:
            self.problem(key, f"unknown aggregation '{aggregation}' ({', '.join(AGGREGATIONS)})")
        elif aggregation is not None and hit_policy != "COLLECT":
            self.problem(key, f"aggregation {aggregation} needs the hit policy COLLECT, not {hit_policy}")
        return hit_policy, aggregation

    def input(self, element, key, position):
        input_id = element.get("id") or f"{key}/input[{position}]"
        source = self.child(element, "inputExpression")
        expression, type_ref = None, None
        if source is not None:
            expression = self.expression(source, input_id, "input expression")
            type_ref = self.type_ref(source, input_id)
        # Without an expression the input is null and its entries do not see the input variable.
        return Input(input_id, element.get("label"), expression if expression and expression.text else None,
                     type_ref, element.get(CAMUNDA + "inputVariable") or DEFAULT_INPUT_VARIABLE)

    def outputs(self, element, key, hit_policy, aggregation):
        elements = self.children(element, "output")
        outputs = [self.output(item, key, position, len(elements))
                   for position, item in enumerate(elements, 1)]
        names = set()
        for output in outputs:
            if output.name in names:
                self.problem(output.id, f"output name '{output.name}' is used by more than one output")
            names.add(output.name)
        if not outputs:
            self.problem(key, "a decision table needs at least one output")
        if aggregation and len(outputs) > 1:
            self.problem(key, f"aggregation {aggregation} needs exactly one output, the table has {len(outputs)}")
        if hit_policy in ORDERING_POLICIES and outputs and not any(output.values for output in outputs):
            self.problem(key, f"hit policy {hit_policy} orders by output values: give at least one output "
                              "its output values (e.g. \"high\",\"medium\",\"low\")")
        return outputs

    def output(self, element, key, position, count):
        output_id = element.get("id") or f"{key}/output[{position}]"
        name = (element.get("name") or "").strip()
        if not name and count > 1:
            self.problem(output_id, "each output of a table with several outputs needs a name")
        return Output(output_id, name or output_id, element.get("label"), self.type_ref(element, output_id),
                      tuple(self.output_values(element, output_id)))

    def output_values(self, element, output_id):
        items = split_list(self.text_of(self.child(element, "outputValues")))
        for item in items:
            self.compile(languages.unary_tests, item, output_id, f"output value '{item}'")
        return items

    def rule(self, element, key, position, inputs, outputs):
        rule_id = element.get("id") or f"{key}/rule[{position}]"
        input_entries = self.children(element, "inputEntry")
        output_entries = self.children(element, "outputEntry")
        if len(input_entries) != len(inputs) or len(output_entries) != len(outputs):
            self.problem(rule_id, f"the rule has {len(input_entries)} input entries and {len(output_entries)} "
                                  f"output entries, the table {len(inputs)} inputs and {len(outputs)} outputs")
        return Rule(rule_id,
                    tuple(self.expression(entry, rule_id, f"input entry {index}", unary=True)
                          for index, entry in enumerate(input_entries, 1)),
                    tuple(self.expression(entry, rule_id, f"output entry {index}")
                          for index, entry in enumerate(output_entries, 1)))

    # --- expressions and types -------------------------------------------------------------------

    def type_ref(self, element, element_id):
        type_ref = (element.get("typeRef") or "").strip()
        if not type_ref:
            return None
        if type_ref.lower() not in TYPE_REFS:
            self.problem(element_id, f"unknown typeRef '{type_ref}' ({', '.join(TYPE_REFS)})")
            return None
        return type_ref.lower()

    def expression(self, element, element_id, what, unary=False):
        """The Expression of `element`, compiled now so that a syntax error is a deploy problem."""
        language = self.language(element, self.default_language, element_id)
        source = Expression(self.text_of(element), language or self.default_language)
        if source.text and language:
            self.compile(languages.input_entry if unary else languages.expression, source, element_id,
                         f"{what} '{source.text}' ({source.language.upper()})")
        return source

    def compile(self, compile_, source, element_id, what):
        try:
            compile_(source)
        except languages.EXPRESSION_ERRORS as exc:
            self.problem(element_id, f"{what}: {exc}")
