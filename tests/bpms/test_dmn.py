"""The DMN core (bpms/engine/dmn): parsing and validating .dmn files as Camunda Modeler writes them,
evaluating decisions with Camunda 7's semantics, and mapping results as camunda:mapDecisionResult
does. No database: decisions are parsed from bytes and evaluated in memory."""

import datetime
import json
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from bpms.engine import dmn
from bpms.engine.dmn import DmnEvaluationError, DmnInvalid, evaluate, map_result, parse_dmn
from bpms.engine.dmn import evaluation
from bpms.engine.dmn.typeref import CoercionError, coerce

MODELS = Path(__file__).parent / "models" / "dmn"
DMN13 = "https://www.omg.org/spec/DMN/20191111/MODEL/"
DMN12 = "http://www.omg.org/spec/DMN/20180521/MODEL/"
DMN11 = "http://www.omg.org/spec/DMN/20151101/dmn.xsd"


def load(name):
    return {decision.key: decision for decision in parse_dmn(name, (MODELS / name).read_bytes())}


def definitions(body, namespace=DMN13, attributes=""):
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="{namespace}" '
            f'xmlns:camunda="http://camunda.org/schema/1.0/dmn" id="definitions" name="Test" '
            f'namespace="http://camunda.org/schema/1.0/dmn" {attributes}>{body}</definitions>').encode()


def table(rules, inputs=(("amount", "integer"),), outputs=(("result", "string"),), hit_policy=None,
          aggregation=None, key="decision"):
    """A one-decision DMN file. inputs: (expression, typeRef); outputs: (name, typeRef[, outputValues]);
    rules: (rule id, [input entries], [output entries])."""
    policy = f' hitPolicy="{hit_policy}"' if hit_policy else ""
    policy += f' aggregation="{aggregation}"' if aggregation else ""
    parts = [f'<decision id="{key}" name="Test decision"><decisionTable id="table"{policy}>']
    for position, (expression, type_ref) in enumerate(inputs, 1):
        type_attribute = f' typeRef="{type_ref}"' if type_ref else ""
        parts.append(f'<input id="input{position}"><inputExpression id="inputExpression{position}"{type_attribute}>'
                     f'<text>{escape(expression)}</text></inputExpression></input>')
    for position, (name, type_ref, *values) in enumerate(outputs, 1):
        type_attribute = f' typeRef="{type_ref}"' if type_ref else ""
        name_attribute = f' name="{name}"' if name else ""
        values_element = f"<outputValues><text>{escape(values[0])}</text></outputValues>" if values else ""
        parts.append(f'<output id="output{position}"{name_attribute}{type_attribute}>{values_element}</output>')
    for rule_id, input_entries, output_entries in rules:
        parts.append(f'<rule id="{rule_id}">')
        parts.extend(f"<inputEntry><text>{escape(text)}</text></inputEntry>" for text in input_entries)
        parts.extend(f"<outputEntry><text>{escape(text)}</text></outputEntry>" for text in output_entries)
        parts.append("</rule>")
    parts.append("</decisionTable></decision>")
    return definitions("".join(parts))


def decide(content, variables, key="decision"):
    return evaluate({decision.key: decision for decision in parse_dmn("test.dmn", content)}, key, variables)


def problems_of(content):
    with pytest.raises(DmnInvalid) as raised:
        parse_dmn("test.dmn", content)
    return [(problem.resource, problem.element_id, problem.detail) for problem in raised.value.problems]


# --- a realistic bank model: a DRD with a decision table requiring another, and a literal expression

LOAN = {"amount": 20000, "age": 30, "creditScore": 750, "hasDefaults": False}


@pytest.mark.parametrize("variables, expected", [
    ({"age": 17, "amount": 500}, {"approved": False, "reason": "applicant under 18"}),
    ({"amount": 999.99}, {"approved": True, "reason": "small amount"}),
    ({"amount": 1000}, {"approved": True, "reason": "standard"}),                        # [1000..50000] is closed
    ({"amount": 50000, "creditScore": 600}, {"approved": True, "reason": "standard"}),   # class B via the DRD
    ({"amount": 50000, "creditScore": 499}, {"approved": False, "reason": "risk class C"}),
    ({"amount": 20000, "hasDefaults": True}, {"approved": False, "reason": "risk class C"}),
    ({"amount": 50000.01}, {"approved": True, "reason": "large loan, risk class A"}),
    ({"amount": 80000, "creditScore": 700}, {"approved": True, "reason": "large loan, risk class A"}),
    ({"amount": 80000, "creditScore": 699}, {"approved": False, "reason": "large loans need risk class A"}),
])
def test_loan_approval_uses_the_required_risk_class(variables, expected):
    assert evaluate(load("loan_approval.dmn"), "loanApproval", {**LOAN, **variables}) == [expected]


def test_loan_approval_file_describes_its_decisions():
    decisions = load("loan_approval.dmn")
    assert list(decisions) == ["riskClass", "loanApproval", "maxInstalment"]
    approval = decisions["loanApproval"]
    assert (approval.name, approval.version_tag, approval.required) == ("Loan approval", "2024.1", ("riskClass",))
    assert decisions["riskClass"].version_tag is None
    assert [output.values for output in decisions["riskClass"].logic.outputs] == [('"A"', '"B"', '"C"')]


def test_required_decision_without_a_result_sets_no_variable():
    # creditScore null matches no rule of riskClass, so riskClass stays as the caller gave it.
    variables = {**LOAN, "creditScore": None, "riskClass": "B", "amount": 2000}
    assert evaluate(load("loan_approval.dmn"), "loanApproval", variables) == [{"approved": True, "reason": "standard"}]


def test_literal_expression_decision_gives_one_result_named_by_its_variable():
    decisions = load("loan_approval.dmn")
    assert evaluate(decisions, "maxInstalment", {"monthlyIncome": 8250}) == [{"maxInstalment": 3300.0}]
    assert type(evaluate(decisions, "maxInstalment", {"monthlyIncome": 10})[0]["maxInstalment"]) is float
    assert evaluate(decisions, "maxInstalment", {}) == [{"maxInstalment": None}]


def test_literal_expression_result_is_coerced_to_its_type():
    content = definitions('<decision id="fee"><variable name="fee" typeRef="integer"/>'
                          '<literalExpression><text>amount * 0.01</text></literalExpression></decision>')
    assert decide(content, {"amount": 1000}, "fee") == [{"fee": 10}]
    with pytest.raises(DmnEvaluationError, match=r"decision 'fee'.*literal expression.*cannot be converted to integer"):
        decide(content, {"amount": 1234}, "fee")


# --- DMN 1.1 and 1.2 files, JUEL, camunda:inputVariable

@pytest.mark.parametrize("variables, fee", [
    ({"segment": "private", "account": {"averageBalance": 0}}, 0.0),
    ({"segment": "standard", "account": {"averageBalance": 10000}}, 0.0),    # JUEL entry on `balance`
    ({"segment": "standard", "account": {"averageBalance": 9999.99}}, 15.0),  # JUEL output ${baseFee * 2}
    ({"segment": "student", "account": {"averageBalance": 100}}, 4.5),
])
def test_dmn_1_1_file_with_juel_input_expression_entry_and_input_variable(variables, fee):
    decisions = load("account_fee_dmn11.dmn")
    assert decisions["accountFee"].logic.inputs[1].variable == "balance"
    assert evaluate(decisions, "accountFee", {**variables, "baseFee": 7.5}) == [{"fee": fee}]


def test_dmn_1_2_namespace_is_accepted():
    content = table([("r1", ["< 10"], ['"low"'])]).replace(DMN13.encode(), DMN12.encode())
    assert decide(content, {"amount": 5}) == [{"result": "low"}]


def test_juel_as_the_default_language_of_the_definitions():
    content = definitions('<decision id="d"><decisionTable><input><inputExpression typeRef="integer">'
                          '<text>amount</text></inputExpression></input><output name="result"/>'
                          '<rule id="r1"><inputEntry><text>${cellInput &gt; 10}</text></inputEntry>'
                          '<outputEntry><text>${"big"}</text></outputEntry></rule></decisionTable></decision>',
                          attributes='expressionLanguage="juel"')
    assert decide(content, {"amount": 11}, "d") == [{"result": "big"}]
    assert decide(content, {"amount": 10}, "d") == []


def test_input_variable_is_seen_by_feel_entries_as_well_as_by_the_question_mark():
    content = definitions('<decision id="d"><decisionTable><input camunda:inputVariable="score">'
                          '<inputExpression typeRef="integer"><text>creditScore</text></inputExpression></input>'
                          '<output name="ok" typeRef="boolean"/>'
                          '<rule id="r1"><inputEntry><text>? &gt; limit</text></inputEntry>'
                          '<outputEntry><text>score &gt; limit</text></outputEntry></rule></decisionTable></decision>')
    # Output entries see the variables only, not the input variable (as in Camunda): score is null.
    assert decide(content, {"creditScore": 700, "limit": 600}, "d") == [{"ok": None}]
    assert decide(content, {"creditScore": 500, "limit": 600}, "d") == []


def test_juel_evaluation_error_names_decision_rule_and_text():
    content = definitions('<decision id="d"><decisionTable><input><inputExpression><text>amount</text>'
                          '</inputExpression></input><output name="result"/><rule id="r1">'
                          '<inputEntry expressionLanguage="juel"><text>cellInput &gt; unknownLimit</text>'
                          '</inputEntry><outputEntry><text>1</text></outputEntry></rule></decisionTable></decision>')
    with pytest.raises(DmnEvaluationError, match=r"decision 'd': rule 'r1' input entry 1 'cellInput > unknownLimit'.*"
                                                 r"unknownLimit"):
        decide(content, {"amount": 1}, "d")


# --- FEEL unary tests typical of bank tables

@pytest.mark.parametrize("entry, value, matches", [
    ("< 1000", 999, True),
    ("< 1000", 1000, False),
    ("[1000..5000]", 1000, True),
    ("[1000..5000]", 5000, True),
    ("[1000..5000]", 5000.5, False),
    ('"A","B"', "B", True),
    ('"A","B"', "C", False),
    ('not("C")', "A", True),
    ('not("C")', "C", False),
    ("-", None, True),
    ("", "anything", True),
    ('>= date("2024-01-01")', datetime.date(2024, 1, 1), True),
    ('>= date("2024-01-01")', datetime.date(2023, 12, 31), False),
    ("? >= minimum", 50, True),
    ("? >= minimum", 49, False),
])
def test_feel_unary_tests(entry, value, matches):
    content = table([("r1", [entry], ['"hit"'])], inputs=(("value", None),))
    assert decide(content, {"value": value, "minimum": 50}) == ([{"result": "hit"}] if matches else [])


def test_feel_evaluation_error_names_decision_input_and_text():
    content = table([("r1", ["-"], ['"x"'])], inputs=(('date(startDate)', None),))
    with pytest.raises(DmnEvaluationError, match=r"decision 'decision': input 'input1' expression 'date\(startDate\)'"):
        decide(content, {"startDate": "yesterday"})


def test_feel_error_in_an_output_entry_names_the_rule():
    content = table([("r1", ["-"], ['date(when)'])], outputs=(("result", None),))
    with pytest.raises(DmnEvaluationError, match=r"decision 'decision': rule 'r1' output entry 1 'date\(when\)'"):
        decide(content, {"amount": 1, "when": "soon"})


def test_input_entries_of_rules_already_out_are_not_evaluated():
    # r1 is out after the first input, so its failing second entry never runs (as in Camunda).
    content = table([("r1", ["> 100", 'date("x")'], ['"a"']), ("r2", ["-", "-"], ['"b"'])],
                    inputs=(("amount", "integer"), ("other", None)))
    assert decide(content, {"amount": 5}) == [{"result": "b"}]


# --- hit policies

LEVELS = [
    ("r1", [">= 0"], ['"low"']),
    ("r2", [">= 100"], ['"high"']),
    ("r3", [">= 50"], ['"medium"']),
    ("r4", [">= 100"], ['"high"']),
]
LEVEL_OUTPUT = (("level", "string", '"high","medium","low"'),)


@pytest.mark.parametrize("hit_policy, amount, expected", [
    (None, 10, ["low"]),
    ("UNIQUE", 10, ["low"]),
    ("UNIQUE", -1, []),
    ("UNIQUE", 150, "hit policy UNIQUE allows one matching rule, but rules r1, r2, r3, r4 matched"),
    ("FIRST", 150, ["low"]),
    ("FIRST", 60, ["low"]),
    ("FIRST", -1, []),
    ("PRIORITY", 150, ["high"]),
    ("PRIORITY", 60, ["medium"]),
    ("PRIORITY", -1, []),
    ("ANY", 10, ["low"]),
    ("ANY", 150, "hit policy ANY needs equal outputs from all matching rules, but rules r1, r2, r3, r4 differ"),
    ("COLLECT", 150, ["low", "high", "medium", "high"]),
    ("COLLECT", -1, []),
    ("RULE ORDER", 150, ["low", "high", "medium", "high"]),
    ("RULE ORDER", 60, ["low", "medium"]),
    ("OUTPUT ORDER", 150, ["high", "high", "medium", "low"]),
    ("OUTPUT ORDER", 60, ["medium", "low"]),
])
def test_hit_policies(hit_policy, amount, expected):
    content = table(LEVELS, outputs=LEVEL_OUTPUT, hit_policy=hit_policy)
    if isinstance(expected, str):
        with pytest.raises(DmnEvaluationError, match=f"decision 'decision': {expected}"):
            decide(content, {"amount": amount})
    else:
        assert decide(content, {"amount": amount}) == [{"level": level} for level in expected]


def test_any_with_equal_outputs_gives_one_result():
    content = table([("r1", ["> 100"], ['"high"']), ("r2", ["> 200"], ['"high"'])], hit_policy="ANY")
    assert decide(content, {"amount": 300}) == [{"result": "high"}]


def test_priority_ranks_outputs_left_to_right_and_keeps_rule_order_on_ties():
    outputs = (("decision", "string", '"reject","review","accept"'), ("reason", "string"))
    content = table([("r1", ["-"], ['"accept"', '"default"']),
                     ("r2", ["> 10"], ['"review"', '"above 10"']),
                     ("r3", ["> 20"], ['"review"', '"above 20"']),
                     ("r4", ["> 1000"], ['"reject"', '"above 1000"'])], outputs=outputs, hit_policy="PRIORITY")
    assert decide(content, {"amount": 5}) == [{"decision": "accept", "reason": "default"}]
    assert decide(content, {"amount": 30}) == [{"decision": "review", "reason": "above 10"}]
    assert decide(content, {"amount": 5000}) == [{"decision": "reject", "reason": "above 1000"}]


POINTS = [
    ("r1", [">= 0"], ["10"]),
    ("r2", [">= 100"], ["20"]),
    ("r3", [">= 1000"], [""]),       # no output: not counted, not summed
    ("r4", [">= 50"], ["5"]),
]


@pytest.mark.parametrize("aggregation, amount, expected", [
    (None, 2000, [{"points": 10}, {"points": 20}, {}, {"points": 5}]),
    ("SUM", 2000, [{"points": 35}]),
    ("SUM", 60, [{"points": 15}]),
    ("SUM", -1, []),
    ("MIN", 2000, [{"points": 5}]),
    ("MIN", -1, []),
    ("MAX", 2000, [{"points": 20}]),
    ("MAX", -1, []),
    ("COUNT", 2000, [{"points": 3}]),
    ("COUNT", 1000, [{"points": 3}]),
    ("COUNT", -1, [{"points": 0}]),
])
def test_collect_aggregations(aggregation, amount, expected):
    content = table(POINTS, outputs=(("points", "integer"),), hit_policy="COLLECT", aggregation=aggregation)
    assert decide(content, {"amount": amount}) == expected


def test_collect_sum_of_doubles_is_exact_and_a_float():
    content = table([("r1", ["-"], ["0.1"]), ("r2", ["-"], ["0.2"])], outputs=(("rate", "double"),),
                    hit_policy="COLLECT", aggregation="SUM")
    result = decide(content, {"amount": 1})
    assert result == [{"rate": 0.3}] and type(result[0]["rate"]) is float


def test_collect_aggregation_of_strings_is_an_error():
    content = table([("r1", ["-"], ["1"]), ("r2", ["-"], ['"b"']), ("r3", ["-"], ['"c"'])], outputs=(("result", None),),
                    hit_policy="COLLECT", aggregation="MAX")
    with pytest.raises(DmnEvaluationError, match=r"decision 'decision': aggregation MAX needs numbers, "
                                                 r"but output 'result' of rules r2, r3 is not a number"):
        decide(content, {"amount": 1})
    content = table([("r1", ["-"], ['"a"']), ("r2", ["-"], ['"b"'])], hit_policy="COLLECT", aggregation="COUNT")
    assert decide(content, {"amount": 1}) == [{"result": 2}]


# --- typeRef coercion of inputs and outputs

@pytest.mark.parametrize("type_ref, value, expected", [
    ("integer", 42, 42),
    ("integer", 42.0, 42),
    ("integer", Decimal("42"), 42),
    ("integer", "42", 42),
    ("integer", 42.5, CoercionError),
    ("integer", 2**31, CoercionError),
    ("integer", True, CoercionError),
    ("integer", "4.2", CoercionError),
    ("long", 2**31, 2**31),
    ("long", 2**63, CoercionError),
    ("double", 1, Decimal(1)),
    ("double", 0.1, Decimal("0.1")),
    ("double", "2.5", Decimal("2.5")),
    ("double", "abc", CoercionError),
    ("double", float("nan"), CoercionError),
    ("string", 42, "42"),
    ("string", True, "true"),
    ("string", "x", "x"),
    ("boolean", True, True),
    ("boolean", "FALSE", False),
    ("boolean", "yes", CoercionError),
    ("boolean", 1, CoercionError),
    ("date", datetime.datetime(2024, 5, 1, 10, 30), datetime.datetime(2024, 5, 1, 10, 30)),
    ("date", datetime.date(2024, 5, 1), datetime.datetime(2024, 5, 1)),
    ("date", "2024-05-01T10:30:00", datetime.datetime(2024, 5, 1, 10, 30)),
    ("date", "1st of May", CoercionError),
    ("date", 20240501, CoercionError),
    ("integer", None, None),
    (None, {"any": "value"}, {"any": "value"}),
])
def test_type_ref_coercion(type_ref, value, expected):
    if expected is CoercionError:
        with pytest.raises(CoercionError):
            coerce(value, type_ref)
    else:
        result = coerce(value, type_ref)
        assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize("type_ref, value, entry", [
    ("integer", "42", "42"),
    ("integer", 42.0, "42"),
    ("string", 42, '"42"'),
    ("boolean", "TRUE", "true"),
    ("double", "0.1", "0.1"),
    ("date", "2024-05-01T10:30:00", '>= date and time("2024-05-01T10:00:00")'),
])
def test_input_is_coerced_before_its_entries_test_it(type_ref, value, entry):
    content = table([("r1", [entry], ['"hit"'])], inputs=(("value", type_ref),))
    assert decide(content, {"value": value}) == [{"result": "hit"}]


def test_input_that_cannot_be_coerced_names_the_input():
    content = table([("r1", ["-"], ['"hit"'])], inputs=(("amount", "integer"),))
    expected = r"decision 'decision': input 'input1': 12.5 cannot be converted to integer"
    with pytest.raises(DmnEvaluationError, match=expected):
        decide(content, {"amount": 12.5})


@pytest.mark.parametrize("type_ref, entry, expected", [
    (None, "10 / 4", 2.5),
    (None, "10 / 2", 5),
    (None, "3.0", 3),
    ("double", "10", 10.0),
    ("integer", "10 / 2", 5),
    ("long", '"9000000000"', 9000000000),
    ("string", "10", "10"),
    ("boolean", '"true"', True),
    ("date", 'date and time("2024-05-01T10:00:00")', datetime.datetime(2024, 5, 1, 10)),
    ("date", 'date("2024-05-01")', datetime.datetime(2024, 5, 1)),
    (None, '[1, 2.5, {"a": 1.0}]', [1, 2.5, {"a": 1}]),
    (None, "null", None),
])
def test_outputs_are_coerced_and_plain(type_ref, entry, expected):
    content = table([("r1", ["-"], [entry])], outputs=(("value", type_ref),))
    result = decide(content, {"amount": 1})
    assert result == [{"value": expected}] and type(result[0]["value"]) is type(expected)


def test_output_that_cannot_be_coerced_names_rule_and_output():
    content = table([("r1", ["-"], ["10 / 4"])], outputs=(("value", "integer"),))
    with pytest.raises(DmnEvaluationError, match=r"decision 'decision': rule 'r1' output 'value': .*integer"):
        decide(content, {"amount": 1})


def test_a_single_output_without_a_name_is_named_by_its_id():
    content = table([("r1", ["-"], ['"x"'])], outputs=((None, "string"),))
    assert decide(content, {"amount": 1}) == [{"output1": "x"}]


# --- DRDs

DIAMOND = definitions("""
  <decision id="base"><variable name="base"/><literalExpression><text>amount * 2</text></literalExpression></decision>
  <decision id="left">
    <informationRequirement><requiredDecision href="#base"/></informationRequirement>
    <variable name="left"/><literalExpression><text>base + 1</text></literalExpression>
  </decision>
  <decision id="right">
    <informationRequirement><requiredDecision href="#base"/></informationRequirement>
    <variable name="right"/><literalExpression><text>base + 2</text></literalExpression>
  </decision>
  <decision id="top">
    <informationRequirement><requiredDecision href="#left"/></informationRequirement>
    <informationRequirement><requiredDecision href="#right"/></informationRequirement>
    <variable name="total"/><literalExpression><text>left + right</text></literalExpression>
  </decision>""")


def test_each_required_decision_is_evaluated_once(monkeypatch):
    evaluated = []
    original = evaluation._evaluate_decision

    def counting(decision, scope):
        evaluated.append(decision.key)
        return original(decision, scope)

    monkeypatch.setattr(evaluation, "_evaluate_decision", counting)
    assert decide(DIAMOND, {"amount": 5}, "top") == [{"total": 23}]
    assert evaluated == ["base", "left", "right", "top"]


@pytest.mark.parametrize("hit_policy, aggregation, amount, expected", [
    ("UNIQUE", None, 5, "low"),                            # one result: each output a variable
    ("RULE ORDER", None, 5, ["low"]),                      # RULE ORDER and COLLECT: always lists
    ("COLLECT", None, 5, ["low"]),
    ("COLLECT", None, 150, ["low", "high"]),
    ("COLLECT", "COUNT", 150, 2),                          # an aggregation is one value
    ("FIRST", None, 150, "low"),
])
def test_required_decision_results_become_variables(hit_policy, aggregation, amount, expected):
    policy = f' hitPolicy="{hit_policy}"' + (f' aggregation="{aggregation}"' if aggregation else "")
    content = definitions(f"""
      <decision id="levels"><decisionTable{policy}>
        <input><inputExpression typeRef="integer"><text>amount</text></inputExpression></input>
        <output name="level"/>
        <rule id="r1"><inputEntry><text>&gt;= 0</text></inputEntry>
          <outputEntry><text>"low"</text></outputEntry></rule>
        <rule id="r2"><inputEntry><text>&gt;= 100</text></inputEntry>
          <outputEntry><text>"high"</text></outputEntry></rule>
      </decisionTable></decision>
      <decision id="echo">
        <informationRequirement><requiredDecision href="#levels"/></informationRequirement>
        <variable name="seen"/><literalExpression><text>level</text></literalExpression>
      </decision>""")
    assert decide(content, {"amount": amount}, "echo") == [{"seen": expected}]


def test_unknown_or_missing_decisions_are_evaluation_errors():
    decisions = load("loan_approval.dmn")
    with pytest.raises(DmnEvaluationError, match="no decision 'nope'"):
        evaluate(decisions, "nope", {})
    del decisions["riskClass"]
    with pytest.raises(DmnEvaluationError, match="no decision 'riskClass' \\(required by 'loanApproval'\\)"):
        evaluate(decisions, "loanApproval", LOAN)


# --- result mappings

TWO_ENTRIES = {"approved": True, "reason": "ok"}


@pytest.mark.parametrize("results, mapping, expected", [
    ([], "resultList", []),
    ([TWO_ENTRIES, TWO_ENTRIES], "resultList", [TWO_ENTRIES, TWO_ENTRIES]),
    ([], "singleResult", None),
    ([TWO_ENTRIES], "singleResult", TWO_ENTRIES),
    ([TWO_ENTRIES, TWO_ENTRIES], "singleResult", "needs at most one result, the decision gave 2"),
    ([], "singleEntry", None),
    ([{}], "singleEntry", None),
    ([{"fee": 4.5}], "singleEntry", 4.5),
    ([{"fee": None}], "singleEntry", None),
    ([{"fee": 1}, {"fee": 2}], "singleEntry", "needs at most one result, the decision gave 2"),
    ([TWO_ENTRIES], "singleEntry", "needs results of one entry, the decision gave one with approved, reason"),
    ([], "collectEntries", []),
    ([{"fee": 1}, {}, {"fee": 2}], "collectEntries", [1, 2]),
    ([{"fee": 1}, TWO_ENTRIES], "collectEntries", "needs results of one entry"),
])
def test_result_mappings(results, mapping, expected):
    if isinstance(expected, str):
        with pytest.raises(DmnEvaluationError, match=f"mapDecisionResult {mapping} {expected}"):
            map_result(results, mapping)
    else:
        assert map_result(results, mapping) == expected


def test_result_list_is_the_default_mapping_and_unknown_mappings_are_refused():
    assert map_result([{"a": 1}]) == [{"a": 1}]
    with pytest.raises(ValueError, match="unknown decision result mapping 'firstResult'"):
        map_result([], "firstResult")


# --- JSON round trip

@pytest.mark.parametrize("file_name, key, variables", [
    ("loan_approval.dmn", "loanApproval", LOAN),
    ("loan_approval.dmn", "maxInstalment", {"monthlyIncome": 5000}),
    ("account_fee_dmn11.dmn", "accountFee", {"segment": "standard", "account": {"averageBalance": 1}, "baseFee": 2}),
])
def test_json_round_trip_evaluates_the_same(file_name, key, variables):
    decisions = load(file_name)
    stored = json.loads(json.dumps({k: decision.to_json() for k, decision in decisions.items()}))
    restored = {k: dmn.Decision.from_json(data) for k, data in stored.items()}
    assert restored == decisions
    assert evaluate(restored, key, variables) == evaluate(decisions, key, variables) != []


# --- deploy-time validation

ONE_INPUT = '<input id="in1"><inputExpression typeRef="integer"><text>amount</text></inputExpression></input>'
ONE_OUTPUT = '<output id="out1" name="result"/>'


def rule_xml(rule_id, inputs, outputs):
    entries = [f"<inputEntry><text>{escape(text)}</text></inputEntry>" for text in inputs]
    entries += [f"<outputEntry><text>{escape(text)}</text></outputEntry>" for text in outputs]
    return f'<rule id="{rule_id}">{"".join(entries)}</rule>'


def table_xml(rules="", attributes="", outputs=ONE_OUTPUT, key="d"):
    return (f'<decision id="{key}"><decisionTable id="t"{attributes}>{ONE_INPUT}{outputs}{rules}'
            '</decisionTable></decision>')


def literal_xml(text="1", variable='<variable name="v"/>', requirements="", key="d"):
    return (f'<decision id="{key}">{requirements}{variable}'
            f'<literalExpression id="le"><text>{escape(text)}</text></literalExpression></decision>')


def requirement(href):
    return f'<informationRequirement><requiredDecision href="{href}"/></informationRequirement>'


def in_language(xml, element, language):
    return xml.replace(f"<{element}", f'<{element} expressionLanguage="{language}"', 1)


RULE_X = rule_xml("r1", ["-"], ['"x"'])


@pytest.mark.parametrize("body, element_id, detail", [
    (table_xml(rule_xml("r1", ["< 10 <"], ['"x"'])), "r1",
     "input entry 1 '< 10 <' (FEEL): Syntax error in FEEL < 10 <"),
    (table_xml(rule_xml("r1", ["-"], ['"x" +'])), "r1", "output entry 1 '\"x\" +' (FEEL): Syntax error"),
    (table_xml(rule_xml("r1", ["-"], ["unknownFunction(1)"])), "r1", "unknown function unknownFunction"),
    (in_language(table_xml(rule_xml("r1", ["-"], ["${a +}"])), "outputEntry", "juel"), "r1",
     "output entry 1 '${a +}' (JUEL): Syntax error"),
    (table_xml().replace("<text>amount</text>", "<text>amount +</text>"), "in1", "input expression 'amount +'"),
    (table_xml(rule_xml("r1", ["-", "-"], ['"x"'])), "r1",
     "the rule has 2 input entries and 1 output entries, the table 1 inputs and 1 outputs"),
    (table_xml(rule_xml("r1", ["-"], [])), "r1", "the rule has 1 input entries and 0 output entries"),
    (table_xml(attributes=' hitPolicy="SOMETIMES"'), "d", "unknown hit policy 'SOMETIMES'"),
    (table_xml(attributes=' hitPolicy="COLLECT" aggregation="AVG"'), "d", "unknown aggregation 'AVG'"),
    (table_xml(attributes=' hitPolicy="RULE ORDER" aggregation="SUM"'), "d",
     "aggregation SUM needs the hit policy COLLECT, not RULE ORDER"),
    (table_xml(attributes=' hitPolicy="COLLECT" aggregation="SUM"',
               outputs='<output id="o1" name="a"/><output id="o2" name="b"/>'), "d",
     "aggregation SUM needs exactly one output, the table has 2"),
    (table_xml(attributes=' hitPolicy="PRIORITY"'), "d", "hit policy PRIORITY orders by output values"),
    (table_xml(attributes=' hitPolicy="OUTPUT ORDER"'), "d", "hit policy OUTPUT ORDER orders by output values"),
    (table_xml(outputs='<output id="o1" name="a"/><output id="o2"/>'), "o2",
     "each output of a table with several outputs needs a name"),
    (table_xml(outputs='<output id="o1" name="a"/><output id="o2" name="a"/>'), "o2",
     "output name 'a' is used by more than one output"),
    (table_xml(outputs=""), "d", "a decision table needs at least one output"),
    (table_xml(outputs='<output id="o1" name="a" typeRef="money"/>'), "o1", "unknown typeRef 'money'"),
    (table_xml().replace('typeRef="integer"', 'typeRef="number"'), "in1", "unknown typeRef 'number'"),
    (table_xml(outputs='<output id="o1" name="a"><outputValues><text>"a", &lt;&lt;</text></outputValues></output>'),
     "o1", "output value '<<'"),
    (in_language(table_xml(RULE_X), "inputEntry", "javascript"), "r1",
     "expression language 'javascript' is not supported"),
    (in_language(table_xml(), "inputExpression", "groovy"), "in1", "expression language 'groovy' is not supported"),
    (in_language(literal_xml(), "literalExpression", "python"), "le", "expression language 'python' is not supported"),
    ('<decision id="d"><context><contextEntry/></context></decision>', "d",
     "<context> decision logic is not supported"),
    ('<decision id="d"><invocation/></decision>', "d", "<invocation> decision logic is not supported"),
    ('<decision id="d"/>', "d", "the decision has no decision table and no literal expression"),
    (literal_xml(variable=""), "d", 'a literal expression decision needs a <variable name="...">'),
    (literal_xml(text=""), "le", "the literal expression is empty"),
    (literal_xml(variable='<variable name="v" typeRef="text"/>'), "d", "unknown typeRef 'text'"),
    (literal_xml(text="1 +"), "le", "literal expression '1 +' (FEEL): Syntax error"),
    (literal_xml(requirements=requirement("#elsewhere")), "d",
     "required decision '#elsewhere' is not a decision of this file"),
    (literal_xml().replace(' id="d"', ""), "decision[1]", "a decision needs an id"),
    (table_xml() + table_xml(), "d", "decision id 'd' is used twice in this file"),
    ("", "definitions", "the file contains no decision"),
])
def test_each_validation_problem(body, element_id, detail):
    found = problems_of(definitions(body))
    assert any(problem[1] == element_id and detail in problem[2] for problem in found), found
    assert all(problem[0] == "test.dmn" for problem in found)


def test_unsupported_default_language_of_the_definitions_is_a_problem():
    found = problems_of(definitions(literal_xml(), attributes='expressionLanguage="javascript"'))
    detail = "expression language 'javascript' is not supported (use FEEL or JUEL)"
    assert found == [("test.dmn", "definitions", detail)]


def test_cycles_of_required_decisions_are_refused():
    def requiring(key, *required):
        return literal_xml(key=key, requirements="".join(requirement(f"#{each}") for each in required))

    cyclic = requiring("a", "b") + requiring("b", "c") + requiring("c", "a") + requiring("d", "d")
    found = problems_of(definitions(cyclic + requiring("e", "a")))
    assert ("test.dmn", "a", "required decisions form a cycle: a -> b -> c -> a") in found
    assert ("test.dmn", "d", "required decisions form a cycle: d -> d") in found
    assert len(found) == 2


def test_every_problem_of_a_file_is_reported():
    found = problems_of((MODELS / "invalid_loan_rules.dmn").read_bytes())
    assert [(element_id, detail.split(":")[0]) for _, element_id, detail in found] == [
        ("loanLimits", "required decision '#customerRating' is not a decision of this file"),
        ("loanLimits", "unknown hit policy 'PRIORITY FIRST' (UNIQUE, FIRST, PRIORITY, ANY, COLLECT, RULE ORDER, "
                       "OUTPUT ORDER)"),
        ("Input_segment", "unknown typeRef 'enum' (string, boolean, integer, long, double, date)"),
        ("Output_limit", "each output of a table with several outputs needs a name"),
        ("Rule_1", "input entry 1 '>= 1000 and' (FEEL)"),
        ("Rule_2", "the rule has 1 input entries and 2 output entries, the table 2 inputs and 2 outputs"),
        ("Rule_3", "expression language 'javascript' is not supported (use FEEL or JUEL)"),
        ("scoring", "<context> decision logic is not supported"),
    ]


@pytest.mark.parametrize("content, detail", [
    (b"<definitions", "not well-formed XML"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE definitions [<!ENTITY x "y">]>\n'
     b'<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"><decision id="d"/></definitions>',
     "DOCTYPE declarations are not allowed"),
    (b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>', "the root element is not the definitions"),
    (b'<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/"/>', "of DMN 1.1, 1.2 or 1.3"),
])
def test_unreadable_files_are_one_problem(content, detail):
    found = problems_of(content)
    assert len(found) == 1 and found[0][:2] == ("test.dmn", "") and detail in found[0][2]


def test_invalid_error_message_lists_the_problems():
    with pytest.raises(DmnInvalid, match="d: unknown hit policy 'X'"):
        parse_dmn("test.dmn", definitions(table_xml(attributes=' hitPolicy="X"')))


def test_dmn_1_1_with_problems_is_reported_like_1_3():
    content = table([("r1", ["< 10 <"], ['"x"'])]).replace(DMN13.encode(), DMN11.encode())
    assert [element_id for _, element_id, _ in problems_of(content)] == ["r1"]
