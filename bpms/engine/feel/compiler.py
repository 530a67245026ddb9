"""Turns FEEL text into an Expression or UnaryTests: a tree of small Python closures built once
per distinct text (LRU-cached), so evaluating is only calls and dict lookups. Nothing is ever
handed to Python's eval or exec; names are looked up in the context mapping and nowhere else."""

import functools
import re
from collections import ChainMap
from collections.abc import Mapping
from decimal import Decimal

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from . import values
from .builtins import FUNCTIONS
from .errors import FeelError, FeelEvaluationError, FeelSyntaxError

MAX_TEXT_LENGTH = 10_000
# Bounds the parse tree, hence the recursion depth of compiling and evaluating; real decision
# tables nest a few levels.
MAX_NESTING = 100
CACHE_SIZE = 4096

_parser = Lark.open("grammar.lark", rel_to=__file__, parser="lalr", start=["expression", "unary_tests"],
                    propagate_positions=True)
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|.)", re.DOTALL)
_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "/": "/", "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
_SURROGATE = re.compile("[\ud800-\udfff]")
# The key of the tested value (FEEL's `?`) in a unary test's context. Not a str, so no variable
# can collide with it.
_INPUT = object()
# What `is defined` sees for a name or key that is absent, as opposed to present and null.
_MISSING = object()

_CONDITIONS = {"compare", "between", "in_test", "conjunction", "disjunction"}
_BOOLEAN_FUNCTIONS = {"not", "contains", "starts with", "ends with", "list contains", "is defined"}

_OPERATORS = {
    "=": values.equals, "!=": values.not_equal, "<": values.less_than, "<=": values.less_or_equal,
    ">": values.greater_than, ">=": values.greater_or_equal,
    "+": values.add, "-": values.subtract, "*": values.multiply, "/": values.divide,
}


class Expression:
    """A compiled FEEL expression; evaluate() gives its value for one context."""

    __slots__ = ("text", "_function")

    def __init__(self, text, function):
        self.text = text
        self._function = function

    def evaluate(self, context: Mapping):
        return _guarded(self.text, self._function, context)

    def __repr__(self):
        return f"Expression({self.text!r})"


class UnaryTests:
    """Compiled FEEL unary tests (a decision table's input entry); matches() says whether a value
    passes them."""

    __slots__ = ("text", "_test", "_uses_input")

    def __init__(self, text, test, uses_input):
        self.text = text
        self._test = test
        self._uses_input = uses_input

    def matches(self, value, context: Mapping) -> bool:
        if self._uses_input:
            context = ChainMap({_INPUT: value}, context)
        return _guarded(self.text, self._test, value, context)

    def __repr__(self):
        return f"UnaryTests({self.text!r})"


def _guarded(text, function, *arguments):
    try:
        return function(*arguments)
    except FeelError as error:
        error.text = error.text or text
        raise
    except (TypeError, ValueError, ArithmeticError, RecursionError) as error:
        # A combination of values the semantics did not foresee (or data nested absurdly deep):
        # still the model's error, not the engine's.
        raise FeelEvaluationError(f"{type(error).__name__}: {error}", text) from error


@functools.lru_cache(maxsize=CACHE_SIZE)
def compile_expression(text: str) -> Expression:
    """Raises FeelSyntaxError for text that is not a FEEL expression of the supported subset."""
    builder = _Builder(allow_input=False)
    return Expression(text, _compiled(text, "expression", builder))


@functools.lru_cache(maxsize=CACHE_SIZE)
def compile_unary_tests(text: str) -> UnaryTests:
    """Raises FeelSyntaxError. "-" and blank text match anything, null included."""
    if isinstance(text, str) and text.strip() in ("", "-"):
        return UnaryTests(text, lambda value, context: True, uses_input=False)
    builder = _Builder(allow_input=True)
    test = _compiled(text, "unary_tests", builder)
    return UnaryTests(text, test, builder.uses_input)


def evaluate(text: str, context: Mapping):
    return compile_expression(text).evaluate(context)


def _compiled(text, start, builder):
    if not isinstance(text, str):
        raise TypeError(f"a FEEL text is a str, not {type(text).__name__}")
    try:
        return builder.build(_parse(text, start))
    except FeelError as error:
        error.text = text
        raise


def _parse(text, start):
    if len(text) > MAX_TEXT_LENGTH:
        raise FeelSyntaxError(f"the text is {len(text)} characters long, at most {MAX_TEXT_LENGTH} are allowed")
    if not text.strip():
        raise FeelSyntaxError("the text is empty")
    try:
        return _parser.parse(text, start=start)
    except UnexpectedInput as error:
        raise FeelSyntaxError(_describe(error, text)) from None


def _describe(error, text):
    if isinstance(error, UnexpectedCharacters):
        return f"unexpected character {text[error.pos_in_stream]!r} {_where(error.line, error.column)}"
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        return f"unexpected {error.token.value!r} {_where(error.token.line, error.token.column)}"
    lines = text.split("\n")
    return f"unexpected end of text {_where(len(lines), len(lines[-1]) + 1)} (is a bracket or an operand missing?)"


def _where(line, column):
    return f"at column {column}" if line == 1 else f"at line {line}, column {column}"


def _located(node):
    return _where(node.line, node.column) if isinstance(node, str) else _where(node.meta.line, node.meta.column)


def _check_depth(tree, depth):
    if depth > MAX_NESTING:
        raise FeelSyntaxError(f"the text is nested more than {MAX_NESTING} levels deep {_located(tree)}")


def _constant(value):
    return lambda context: value


# --- strings ---

def _string_value(token):
    def unescape(match):
        escape = match.group(1)
        if escape.startswith("u"):
            return chr(int(escape[1:], 16))
        if escape not in _ESCAPES:
            column = token.column + 1 + match.start()  # + 1 for the opening quote
            raise FeelSyntaxError(f"unknown escape '\\{escape}' in a string {_where(token.line, column)}")
        return _ESCAPES[escape]

    text = _ESCAPE.sub(unescape, token[1:-1])
    if _SURROGATE.search(text):
        text = _joined_surrogates(text, token)
    return text


def _joined_surrogates(text, token):
    """\\ud83d\\ude00 is one character written as its two UTF-16 halves."""
    try:
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        raise FeelSyntaxError(f"a string has half of a \\u surrogate pair {_located(token)}") from None


# --- access ---

def _path_step(value, name):
    """a.b on a context reads a key; on a list it maps over the elements, as FEEL's path does."""
    if isinstance(value, Mapping):
        return value.get(name)
    if isinstance(value, list):
        return [item.get(name) if isinstance(item, Mapping) else None for item in value]
    return None


def _item_at(items, position):
    """1-based; negative positions count from the end; anything else out of range is null."""
    index = values.to_integer(position)
    if index is None or index == 0 or abs(index) > len(items):
        return None
    return items[index - 1 if index > 0 else index]


def _item_scope(item, context):
    """Inside a filter `item` is the element, and a context element's keys are names too."""
    scope = {**item, "item": item} if isinstance(item, Mapping) else {"item": item}
    return ChainMap(scope, context)


# --- unary tests ---

def _is_condition(tree):
    """Whether an expression used as a test is a condition on the value rather than a value to
    compare with: it mentions `?` (FEEL 1.2+: ? > 5 and ? < 10), or it is a comparison, a logical
    operator or a boolean built-in, as `cellInput > 5` is when written with Camunda's input
    variable. Deciding by shape, not by result, keeps a null value from matching a condition that
    came out null, and lets `cellInput = false` match false."""
    while tree.data == "parenthesized":
        tree = tree.children[0]
    if tree.data == "function_call":
        return " ".join(tree.children[0].split()) in _BOOLEAN_FUNCTIONS or _mentions_input(tree)
    return tree.data in _CONDITIONS or _mentions_input(tree)


def _mentions_input(tree):
    return any(tree.find_data("input"))


def _matches_value(value, expected):
    """A test that is a plain value: the tested value equals it, or is in the list it gives."""
    if values.equals(value, expected):
        return True
    return isinstance(expected, list) and any(values.equals(value, item) for item in expected)


class _Builder:
    """Builds the closure for each node of a parse tree. Expressions become f(context) -> value,
    tests f(value, context) -> bool."""

    def __init__(self, allow_input):
        self.allow_input = allow_input
        self.uses_input = False

    def build(self, tree, depth=0):
        _check_depth(tree, depth)
        if tree.data == "input" and not self.allow_input:
            raise FeelSyntaxError(f"'?' (the tested value) is only allowed in unary tests {_located(tree)}")
        return getattr(self, "_" + tree.data)(tree.children, depth + 1)

    def _operands(self, children, depth):
        return [self.build(child, depth) for child in children]

    # --- literals and names ---

    def _number(self, children, depth):
        return _constant(Decimal(children[0]))

    def _string(self, children, depth):
        return _constant(_string_value(children[0]))

    def _true(self, children, depth):
        return _constant(True)

    def _false(self, children, depth):
        return _constant(False)

    def _null(self, children, depth):
        return _constant(None)

    def _name(self, children, depth):
        name = str(children[0])
        return lambda context: context.get(name)

    def _input(self, children, depth):
        self.uses_input = True
        return lambda context: context.get(_INPUT)

    def _parenthesized(self, children, depth):
        return self.build(children[0], depth)

    def _list(self, children, depth):
        items = self._operands(children, depth)
        return lambda context: [item(context) for item in items]

    def _context(self, children, depth):
        entries = [(_key(entry.children[0]), self.build(entry.children[1], depth)) for entry in children]

        def context_literal(context):
            # Later entries see the earlier ones, as in FEEL: {a: 1, b: a + 1}.
            result = {}
            scope = ChainMap(result, context)
            for key, value in entries:
                result[key] = value(scope)
            return result
        return context_literal

    # --- access ---

    def _path(self, children, depth):
        base, name = self.build(children[0], depth), str(children[1])
        return lambda context: _path_step(base(context), name)

    def _filter(self, children, depth):
        base, selector = self._operands(children, depth)

        def filter_(context):
            items = base(context)
            if not isinstance(items, list):
                return None
            # A number in the surrounding context makes the brackets an index (list[2], list[n]);
            # anything else is a condition evaluated per element.
            position = selector(context)
            if values.is_number(position):
                return _item_at(items, position)
            return [item for item in items if selector(_item_scope(item, context)) is True]
        return filter_

    def _function_call(self, children, depth):
        token, arguments = children[0], children[1:]
        name = " ".join(token.split())
        if name == "is defined":
            self._check_arity(token, name, arguments, 1, 1)
            return self._is_defined(arguments[0], depth)
        builtin = FUNCTIONS.get(name)
        if builtin is None:
            raise FeelSyntaxError(f"unknown function {name}() {_located(token)}")
        self._check_arity(token, name, arguments, builtin.min_arguments, builtin.max_arguments)
        function, operands = builtin.function, self._operands(arguments, depth)
        return lambda context: function(*[operand(context) for operand in operands])

    def _check_arity(self, token, name, arguments, least, most):
        if len(arguments) < least or (most is not None and len(arguments) > most):
            if least == most:
                expected = str(least)
            elif most is None:
                expected = f"at least {least}"
            else:
                expected = f"{least} or {most}"
            raise FeelSyntaxError(f"{name}() takes {expected} argument(s), not {len(arguments)} {_located(token)}")

    def _is_defined(self, argument, depth):
        lookup = self._lookup(argument, depth)
        return lambda context: lookup(context) is not _MISSING

    def _lookup(self, tree, depth):
        """Like build(), but an absent name or context key gives _MISSING rather than null."""
        _check_depth(tree, depth)
        if tree.data == "name":
            name = str(tree.children[0])
            return lambda context: context.get(name, _MISSING)
        if tree.data == "path":
            base, name = self._lookup(tree.children[0], depth + 1), str(tree.children[1])

            def step(context):
                value = base(context)
                if value is _MISSING:
                    return _MISSING
                if isinstance(value, Mapping):
                    return value.get(name, _MISSING)
                return _path_step(value, name)
            return step
        return self.build(tree, depth)

    # --- operators ---

    def _negate(self, children, depth):
        operand = self.build(children[0], depth)
        return lambda context: values.negate(operand(context))

    def _power(self, children, depth):
        base, exponent = self._operands(children, depth)
        return lambda context: values.power(base(context), exponent(context))

    def _chain(self, children, depth):
        """Same-precedence operators left to right: a - b - c is (a - b) - c."""
        first = self.build(children[0], depth)
        steps = [(_OPERATORS[operator.children[0].value], self.build(operand, depth))
                 for operator, operand in zip(children[1::2], children[2::2])]

        def chain(context):
            value = first(context)
            for operator, operand in steps:
                value = operator(value, operand(context))
            return value
        return chain

    _sum = _product = _compare = _chain

    def _between(self, children, depth):
        value, low, high = self._operands(children, depth)

        def between(context):
            tested = value(context)
            return values.conjunction((values.greater_or_equal(tested, low(context)),
                                       values.less_or_equal(tested, high(context))))
        return between

    def _in_test(self, children, depth):
        value, test = self.build(children[0], depth), self.build(children[1], depth)
        return lambda context: test(value(context), context)

    def _conjunction(self, children, depth):
        operands = self._operands(children, depth)
        return lambda context: values.conjunction(operand(context) for operand in operands)

    def _disjunction(self, children, depth):
        operands = self._operands(children, depth)
        return lambda context: values.disjunction(operand(context) for operand in operands)

    def _conditional(self, children, depth):
        condition, when_true, when_false = self._operands(children, depth)
        return lambda context: when_true(context) if condition(context) is True else when_false(context)

    # --- unary tests ---

    def _unary_tests(self, children, depth):
        tests = self._operands(children, depth)
        return lambda value, context: any(test(value, context) for test in tests)

    _test_list = _unary_tests

    def _negation(self, children, depth):
        # The input entry not("x") matches every value that "x" does not match, null included:
        # tests here are two-valued (an incomparable value simply does not match).
        tests = self._operands(children[1:], depth)
        return lambda value, context: not any(test(value, context) for test in tests)

    def _comparison_test(self, children, depth):
        operator, operand = _OPERATORS[children[0].children[0].value], self.build(children[1], depth)
        return lambda value, context: operator(value, operand(context)) is True

    def _interval(self, children, depth):
        opening, low, _, high, closing = children
        above = values.greater_or_equal if opening == "[" else values.greater_than
        below = values.less_or_equal if closing == "]" else values.less_than
        low, high = self.build(low, depth), self.build(high, depth)
        return lambda value, context: above(value, low(context)) is True and below(value, high(context)) is True

    def _expression_test(self, children, depth):
        expression = self.build(children[0], depth)
        if _is_condition(children[0]):
            return lambda value, context: expression(context) is True
        return lambda value, context: _matches_value(value, expression(context))


def _key(token):
    return _string_value(token) if token.type == "STRING" else str(token)
