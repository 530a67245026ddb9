"""DMN decisions as Camunda 7 evaluates them (what `businessRuleTask camunda:decisionRef` runs),
independent of any process engine.

    decisions = parse_dmn("loan.dmn", content)                 # deploy: DmnInvalid lists every problem
    stored = {d.key: d.to_json() for d in decisions}           # plain JSON for the database
    by_key = {key: Decision.from_json(data) for key, data in stored.items()}
    results = evaluate(by_key, "loanApproval", variables)      # [{output name: value}, ...]
    map_result(results, "singleEntry")                         # camunda:mapDecisionResult

Files: DMN 1.1 (older Camunda Modelers), 1.2 and 1.3. Decision logic: decision tables (every DMN
hit policy; COLLECT with SUM, MIN, MAX, COUNT) and literal expressions; a decision may require
others of its file (`informationRequirement/requiredDecision`). Expressions are FEEL
(bpms.engine.feel) unless an `expressionLanguage` of the element, or of `<definitions>`, says
`juel`; any other language is refused at deploy time. outputValues are always FEEL.

Results follow Camunda 7 where it defines them, and choose where it does not:
- an output without a name (allowed when it is the table's only output) is named by its id;
- an empty output entry gives no entry in the result (Camunda leaves it out; it is not null);
- COLLECT with SUM/MIN/MAX aggregates the non-null values of the output, giving [] when there is
  none; COUNT counts them, giving [{name: 0}] when no rule matched;
- PRIORITY and OUTPUT ORDER (which Camunda 7 itself lacks) rank by the outputs that have
  outputValues, left to right; a value outside the list ranks last, ties keep rule order;
- a required decision's single result becomes one variable per output; several results, or any
  result of COLLECT (without aggregation), RULE ORDER or OUTPUT ORDER, give each output name the
  list of its values; no result sets no variable;
- typeRefs (string, boolean, integer, long, double, date; case-insensitive) coerce input and
  output values as Camunda's data type transformers do; `date` is a date and time (datetime; a
  plain date is taken at midnight, an ISO string is parsed). Results are plain: whole numbers are
  int unless the typeRef is double, other numbers float.
"""

from .evaluation import MAPPINGS, evaluate, map_result
from .model import (
    Decision, DecisionTable, DmnError, DmnEvaluationError, DmnInvalid, Expression, Input, LiteralExpression,
    Output, Rule,
)
from .parse import DMN_NAMESPACES, parse_dmn

__all__ = [
    "DMN_NAMESPACES", "MAPPINGS", "Decision", "DecisionTable", "DmnError", "DmnEvaluationError", "DmnInvalid",
    "Expression", "Input", "LiteralExpression", "Output", "Rule", "evaluate", "map_result", "parse_dmn",
]
