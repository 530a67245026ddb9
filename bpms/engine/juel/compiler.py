"""Turns JUEL text into a CompiledExpression: a tree of small Python closures built once per
distinct text (LRU-cached), so evaluating is only calls and dict lookups. Nothing is ever handed
to Python's eval or exec."""

import functools
import re

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from . import coercion
from .coercion import to_boolean, to_string
from .errors import JuelError, JuelEvaluationError, JuelSyntaxError
from .members import call_method, get_property

MAX_TEXT_LENGTH = 10_000
# Bounds the parse tree, hence the recursion depth of evaluation; real models nest a few levels.
MAX_NESTING = 100
CACHE_SIZE = 4096

_parser = Lark.open("grammar.lark", rel_to=__file__, parser="lalr", maybe_placeholders=True)
_EXPRESSION_START = re.compile(r"(?<!\\)[$#]\{")
_STRING_ESCAPE = re.compile(r"\\([\\'\"])")

_OPERATORS = {
    "==": coercion.equals, "eq": coercion.equals, "!=": coercion.not_equals, "ne": coercion.not_equals,
    "<": coercion.less_than, "lt": coercion.less_than, ">": coercion.greater_than, "gt": coercion.greater_than,
    "<=": coercion.less_or_equal, "le": coercion.less_or_equal,
    ">=": coercion.greater_or_equal, "ge": coercion.greater_or_equal,
    "+": coercion.add, "-": coercion.subtract, "*": coercion.multiply,
    "/": coercion.divide, "div": coercion.divide, "%": coercion.modulo, "mod": coercion.modulo,
}


class CompiledExpression:
    __slots__ = ("text", "_function", "_variable_names")

    def __init__(self, text, function, variable_names):
        self.text = text
        self._function = function
        self._variable_names = frozenset(variable_names)

    def evaluate(self, context):
        try:
            return self._function(context)
        except JuelError as error:
            if not error.expression:
                error.expression = self.text
            raise
        except (TypeError, ValueError, ArithmeticError) as error:
            # A combination of values the coercion rules did not foresee: still the model's error.
            raise JuelEvaluationError(f"{type(error).__name__}: {error}", self.text) from error

    def variable_names(self) -> set[str]:
        """The top-level identifiers the text uses (`order` in `${order.price}`)."""
        return set(self._variable_names)

    def __repr__(self):
        return f"CompiledExpression({self.text!r})"


def is_expression(text) -> bool:
    return isinstance(text, str) and _EXPRESSION_START.search(text) is not None


@functools.lru_cache(maxsize=CACHE_SIZE)
def compile_expression(text: str) -> CompiledExpression:
    if not isinstance(text, str):
        raise TypeError(f"an expression is a str, not {type(text).__name__}")
    try:
        return _compile(text)
    except JuelError as error:
        error.expression = text
        raise


def evaluate(text: str, context) -> object:
    """`${a > 1}` gives the value itself; a composite text (`kermit_${loopCounter}`) gives a
    string; text without an expression is returned as it is."""
    return compile_expression(text).evaluate(context)


def _compile(text):
    if len(text) > MAX_TEXT_LENGTH:
        raise JuelSyntaxError(f"the text is {len(text)} characters long, at most {MAX_TEXT_LENGTH} are allowed")
    builder = _Builder()
    parts = [part if isinstance(part, str) else builder.build(_parse(*part)) for part in _split(text)]
    if all(isinstance(part, str) for part in parts):
        function = _constant("".join(parts))
    elif len(parts) == 1:
        function = parts[0]  # the text is one expression: its value, not a string
    else:
        function = _composite(parts)
    return CompiledExpression(text, function, builder.variables)


def _split(text):
    """Literal text and (body, offset) of each ${...}/#{...}. `\\${` is a literal `${`."""
    parts, markers, position = [], set(), 0
    while True:
        match = _EXPRESSION_START.search(text, position)
        literal = text[position:match.start() if match else len(text)].replace("\\${", "${").replace("\\#{", "#{")
        if literal:
            parts.append(literal)
        if match is None:
            break
        body_end = _closing_brace(text, match.end())
        parts.append((text[match.end():body_end], match.end()))
        markers.add(match.group()[0])
        position = body_end + 1
    if len(markers) > 1:
        raise JuelSyntaxError("${...} and #{...} cannot be mixed in one text")
    return parts


def _closing_brace(text, start):
    depth, quote = 0, None
    position = start
    while position < len(text):
        char = text[position]
        if quote:
            if char == "\\":
                position += 1
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
            if depth > MAX_NESTING:
                raise JuelSyntaxError(f"brackets are nested more than {MAX_NESTING} levels deep")
        elif char in ")]":
            depth -= 1
        elif char == "}":
            return position
        position += 1
    raise JuelSyntaxError(f"the expression opened at position {start - 1} has no closing '}}'")


def _parse(body, offset):
    if not body.strip():
        raise JuelSyntaxError(f"empty expression at position {offset - 1}")
    try:
        return _parser.parse(body)
    except UnexpectedInput as error:
        raise JuelSyntaxError(_describe(error, body, offset)) from None


def _describe(error, body, offset):
    if isinstance(error, UnexpectedCharacters):
        return f"unexpected character {body[error.pos_in_stream]!r} at position {offset + error.pos_in_stream + 1}"
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        return f"unexpected {error.token.value!r} at position {offset + error.token.start_pos + 1}"
    return "unexpected end of expression"


def _constant(value):
    return lambda context: value


def _composite(parts):
    """Literal text and expressions, each value coerced to a string (null becomes "")."""
    def composite(context):
        return "".join(part if type(part) is str else to_string(part(context)) for part in parts)
    return composite


def _checked_name(token):
    name = str(token)
    if name.startswith("__"):
        raise JuelSyntaxError(f"names starting with '__' are not allowed: {name!r}")
    return name


def _chain(first, steps):
    """Left-to-right application of same-precedence operators: a - b - c is (a - b) - c."""
    if len(steps) == 1:
        ((operator, second),) = steps
        return lambda context: operator(first(context), second(context))

    def chain(context):
        value = first(context)
        for operator, operand in steps:
            value = operator(value, operand(context))
        return value
    return chain


def _short_circuit(operands, deciding):
    """|| (stops at the first true operand) and && (stops at the first false one)."""
    def short_circuit(context):
        for operand in operands:
            if to_boolean(operand(context)) is deciding:
                return deciding
        return not deciding
    return short_circuit


class _Builder:
    """Builds the closure for each node of a parse tree and notes the variables it uses."""

    def __init__(self):
        self.variables = set()

    def build(self, tree, depth=0):
        if depth > MAX_NESTING:
            raise JuelSyntaxError(f"the expression is nested more than {MAX_NESTING} levels deep")
        return getattr(self, "_" + tree.data)(tree.children, depth + 1)

    def _operands(self, children, depth):
        return [self.build(child, depth) for child in children]

    # --- literals and names ---

    def _true(self, children, depth):
        return _constant(True)

    def _false(self, children, depth):
        return _constant(False)

    def _null(self, children, depth):
        return _constant(None)

    def _integer(self, children, depth):
        return _constant(int(children[0]))

    def _decimal(self, children, depth):
        return _constant(float(children[0]))

    def _string(self, children, depth):
        return _constant(_STRING_ESCAPE.sub(r"\1", children[0][1:-1]))

    def _variable(self, children, depth):
        name = _checked_name(children[0])
        self.variables.add(name)
        return lambda context: context.resolve(name)

    def _function_call(self, children, depth):
        raise JuelSyntaxError(f"functions are not supported: {children[0]}()")

    # --- access ---

    def _property(self, children, depth):
        base, name = self.build(children[0], depth), _checked_name(children[1])
        return lambda context: get_property(base(context), name)

    def _index(self, children, depth):
        base, key = self._operands(children, depth)
        return lambda context: get_property(base(context), key(context))

    def _method_call(self, children, depth):
        base, name = self.build(children[0], depth), _checked_name(children[1])
        arguments = self._operands(children[2].children, depth) if children[2] is not None else []
        return lambda context: call_method(base(context), name, [argument(context) for argument in arguments])

    # --- operators ---

    def _negate(self, children, depth):
        operand = self.build(children[0], depth)
        return lambda context: coercion.negate(operand(context))

    def _not_(self, children, depth):
        operand = self.build(children[0], depth)
        return lambda context: not to_boolean(operand(context))

    def _empty(self, children, depth):
        operand = self.build(children[0], depth)
        return lambda context: coercion.is_empty(operand(context))

    def _conditional(self, children, depth):
        condition, when_true, when_false = self._operands(children, depth)
        return lambda context: when_true(context) if to_boolean(condition(context)) else when_false(context)

    def _or_test(self, children, depth):
        return _short_circuit(self._operands(children, depth), deciding=True)

    def _and_test(self, children, depth):
        return _short_circuit(self._operands(children, depth), deciding=False)

    def _binary(self, children, depth):
        first = self.build(children[0], depth)
        steps = [(_OPERATORS[operator.children[0].value], self.build(operand, depth))
                 for operator, operand in zip(children[1::2], children[2::2])]
        return _chain(first, steps)

    _equality = _relational = _sum = _product = _binary
