"""A safe evaluator for a subset of FEEL, the Friendly Enough Expression Language of DMN 1.3, as
Camunda 7 decision tables use it: expressions (`amount * 1.2`, `if vip then 0.1 else 0`) and unary
tests, the input entries of a table (`< 100`, `[1..5)`, `"PL", "DE"`, `not("x")`, `? > limit`).

Texts are parsed with lark (grammar.lark) and compiled once into Python closures; nothing reaches
eval or exec, functions are an allow-list (builtins.py), and names resolve only in the context
mapping. Value semantics are in values.py, the built-ins in builtins.py.

Choices where FEEL leaves room or Camunda differs:
- Every number the evaluator computes is a Decimal (34 digits, half-even); context values are
  returned as they are when only read. int, float and Decimal compare by value; bool is no number.
- `=` and `!=` are two-valued: null = null is true, values of different kinds are unequal.
  Ordering incomparable values (or null) gives null.
- A date against a date-time compares the date-time's calendar day (at its own offset); a local
  date-time against one with an offset is incomparable.
- Unary tests are two-valued: a test that cannot compare simply does not match, so a null value
  matches not("x"). A test that mentions `?`, or is a comparison, `and`/`or`, `between`, `in` or a
  boolean built-in (as `cellInput > 5` is), matches when it is true; any other expression matches
  a value equal to it, or in the list it gives.
- `list[e]` is an index when e is a number in the surrounding context, otherwise a filter.
- An absent name is null; wrong argument types to a built-in give null, unreadable text in a
  conversion (date("2024-13-01"), duration("P1Y")) raises FeelEvaluationError."""

from .compiler import (
    MAX_NESTING, MAX_TEXT_LENGTH, Expression, UnaryTests, compile_expression, compile_unary_tests, evaluate,
)
from .errors import FeelError, FeelEvaluationError, FeelSyntaxError

__all__ = [
    "MAX_NESTING", "MAX_TEXT_LENGTH", "Expression", "FeelError", "FeelEvaluationError", "FeelSyntaxError",
    "UnaryTests", "compile_expression", "compile_unary_tests", "evaluate",
]
