"""Evaluating decisions with Camunda 7's semantics (its DMN engine's decision table handler, hit
policy handlers and decision result mappers), over Decisions from parse.py or from JSON."""

from collections import ChainMap
from typing import Any, Mapping

from . import languages, typeref
from .model import DecisionTable, DmnEvaluationError

# Camunda hands these results to a requiring decision as lists even when there is only one
# (COLLECT without aggregation, RULE ORDER); OUTPUT ORDER, which Camunda lacks, is alike.
_ALWAYS_LISTS = ("COLLECT", "RULE ORDER", "OUTPUT ORDER")
MAPPINGS = ("resultList", "singleResult", "singleEntry", "collectEntries")


def evaluate(decisions: Mapping, key: str, variables: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The result list of decision `key`: one {output name: value} per hit. The decisions it
    requires, directly or not, are evaluated first, each once, and their results become variables."""
    order = _evaluation_order(decisions, key)
    scope = dict(variables)
    for required in order[:-1]:
        _add_to_variables(required, _evaluate_decision(required, scope), scope)
    return _evaluate_decision(order[-1], scope)


def _evaluation_order(decisions, key):
    """`key` last, each decision after the decisions it requires (parse_dmn refused cycles)."""
    order, seen = [], set()

    def visit(current, requiring):
        if current not in decisions:
            raise DmnEvaluationError(f"no decision '{current}'" +
                                     (f" (required by '{requiring}')" if requiring else ""))
        if current in seen:
            return
        seen.add(current)
        for required in decisions[current].required:
            visit(required, current)
        order.append(decisions[current])

    visit(key, None)
    return order


def _add_to_variables(decision, results, scope):
    """As Camunda: one result gives each output as a variable, several give each output name the
    list of its values; no result sets nothing."""
    if not results:
        return
    if len(results) == 1 and not _always_lists(decision):
        scope.update(results[0])
        return
    for name in dict.fromkeys(name for result in results for name in result):
        scope[name] = [result[name] for result in results if name in result]


def _always_lists(decision):
    table = decision.logic
    return isinstance(table, DecisionTable) and table.hit_policy in _ALWAYS_LISTS and not table.aggregation


def _evaluate_decision(decision, scope):
    if isinstance(decision.logic, DecisionTable):
        return _DecisionTableRun(decision, scope).results()
    return _evaluate_literal(decision, scope)


def _evaluate_literal(decision, scope):
    """Always one result, null included (as Camunda)."""
    literal = decision.logic
    source = literal.expression
    value = _run(decision, f"literal expression '{source.text}'", languages.expression(source), scope)
    value = _coerced(decision, f"literal expression result '{literal.variable}'", value, literal.type_ref)
    return [{literal.variable: typeref.plain(value, literal.type_ref)}]


def _run(decision, what, function, *args):
    try:
        return function(*args)
    except languages.EXPRESSION_ERRORS as exc:
        raise DmnEvaluationError(f"decision '{decision.key}': {what}: {exc}") from exc


def _coerced(decision, what, value, type_ref):
    try:
        return typeref.coerce(value, type_ref)
    except typeref.CoercionError as exc:
        raise DmnEvaluationError(f"decision '{decision.key}': {what}: {exc}") from exc


class _DecisionTableRun:
    """One evaluation of a decision table: inputs once each, input entries only of the rules
    still in play (as Camunda, so an entry of a rule already out never raises), output entries of
    the matching rules, then the hit policy."""

    def __init__(self, decision, scope):
        self.decision = decision
        self.table = decision.logic
        self.scope = scope

    def error(self, detail):
        return DmnEvaluationError(f"decision '{self.decision.key}': {detail}")

    def results(self):
        rules = list(self.table.rules)
        for index, table_input in enumerate(self.table.inputs):
            value, context = self.input_value(table_input)
            rules = [rule for rule in rules if self.entry_matches(rule, index, value, context)]
        hits = [(rule, self.outputs(rule)) for rule in rules]
        results = _HIT_POLICIES[self.table.hit_policy](self, hits)
        types = {output.name: output.type_ref for output in self.table.outputs}
        return [{name: typeref.plain(value, types[name]) for name, value in result.items()} for result in results]

    def input_value(self, table_input):
        """The input's value and the context its entries see (the input variable bound to it)."""
        if table_input.expression is None:
            return None, self.scope
        value = _run(self.decision, f"input '{table_input.id}' expression '{table_input.expression.text}'",
                     languages.expression(table_input.expression), self.scope)
        value = _coerced(self.decision, f"input '{table_input.id}'", value, table_input.type_ref)
        return value, ChainMap({table_input.variable: value}, self.scope)

    def entry_matches(self, rule, index, value, context):
        entry = rule.input_entries[index]
        return _run(self.decision, f"rule '{rule.id}' input entry {index + 1} '{entry.text}'",
                    languages.input_entry(entry), value, context)

    def outputs(self, rule):
        """{output name: value} of a matching rule; an empty output entry gives no entry at all,
        as in Camunda."""
        values = {}
        for index, (output, entry) in enumerate(zip(self.table.outputs, rule.output_entries), 1):
            if entry.text:
                value = _run(self.decision, f"rule '{rule.id}' output entry {index} '{entry.text}'",
                             languages.expression(entry), self.scope)
                values[output.name] = _coerced(self.decision, f"rule '{rule.id}' output '{output.name}'", value,
                                               output.type_ref)
        return values

    # --- hit policies: each takes [(rule, outputs)] of the matching rules, in rule order -----------

    def hit_unique(self, hits):
        if len(hits) > 1:
            raise self.error(f"hit policy UNIQUE allows one matching rule, but rules {_ids(hits)} matched")
        return [outputs for _, outputs in hits]

    def hit_first(self, hits):
        return [outputs for _, outputs in hits[:1]]

    def hit_any(self, hits):
        if any(outputs != hits[0][1] for _, outputs in hits):
            raise self.error("hit policy ANY needs equal outputs from all matching rules, "
                             f"but rules {_ids(hits)} differ")
        return [outputs for _, outputs in hits[:1]]

    def hit_priority(self, hits):
        return self.hit_output_order(hits)[:1]

    def hit_output_order(self, hits):
        # sorted() is stable: rules of equal priority keep their rule order.
        return [outputs for _, outputs in sorted(hits, key=lambda hit: self.rank(hit[1]))]

    def hit_rule_order(self, hits):
        return [outputs for _, outputs in hits]

    def hit_collect(self, hits):
        if not self.table.aggregation:
            return self.hit_rule_order(hits)
        output = self.table.outputs[0]
        values = [outputs[output.name] for _, outputs in hits if outputs.get(output.name) is not None]
        if self.table.aggregation == "COUNT":
            return [{output.name: len(values)}]
        if not values:
            return []
        not_numbers = [(rule, outputs) for rule, outputs in hits
                       if outputs.get(output.name) is not None and not typeref.is_number(outputs[output.name])]
        if not_numbers:
            raise self.error(f"aggregation {self.table.aggregation} needs numbers, but output '{output.name}' "
                             f"of rules {_ids(not_numbers)} is not a number")
        return [{output.name: _AGGREGATIONS[self.table.aggregation](values)}]

    def rank(self, outputs):
        """Position of each output's value in its outputValues (left to right over the outputs
        that have some); a value that none of them matches ranks after all of them."""
        return tuple(self.position(output, outputs.get(output.name)) for output in self.table.outputs if output.values)

    def position(self, output, value):
        if value is None:
            return len(output.values)
        for position, item in enumerate(output.values):
            if _run(self.decision, f"output '{output.id}' value '{item}'", languages.unary_tests(item).matches,
                    value, {}):
                return position
        return len(output.values)


def _ids(hits):
    return ", ".join(rule.id for rule, _ in hits)


_HIT_POLICIES = {
    "UNIQUE": _DecisionTableRun.hit_unique,
    "FIRST": _DecisionTableRun.hit_first,
    "ANY": _DecisionTableRun.hit_any,
    "PRIORITY": _DecisionTableRun.hit_priority,
    "OUTPUT ORDER": _DecisionTableRun.hit_output_order,
    "RULE ORDER": _DecisionTableRun.hit_rule_order,
    "COLLECT": _DecisionTableRun.hit_collect,
}
_AGGREGATIONS = {"SUM": sum, "MIN": min, "MAX": max}


def map_result(results: list[dict[str, Any]], mapping: str = "resultList") -> Any:
    """The result list shaped as camunda:mapDecisionResult says. Raises DmnEvaluationError when
    the results do not fit the mapping, ValueError for an unknown mapping."""
    if mapping == "resultList":
        return results
    if mapping == "singleResult":
        return _single_result(results, mapping)
    if mapping == "singleEntry":
        result = _single_result(results, mapping)
        return _single_entry(result, mapping) if result else None
    if mapping == "collectEntries":
        return [_single_entry(result, mapping) for result in results if result]
    raise ValueError(f"unknown decision result mapping '{mapping}' ({', '.join(MAPPINGS)})")


def _single_result(results, mapping):
    if len(results) > 1:
        raise DmnEvaluationError(f"mapDecisionResult {mapping} needs at most one result, the decision gave "
                                 f"{len(results)}")
    return results[0] if results else None


def _single_entry(result, mapping):
    if len(result) > 1:
        # Names only: the values may be customer data, and this message ends up in incidents.
        raise DmnEvaluationError(f"mapDecisionResult {mapping} needs results of one entry, the decision gave "
                                 f"one with {', '.join(map(str, result))}")
    return next(iter(result.values()))
