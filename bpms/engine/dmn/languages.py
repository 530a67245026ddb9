"""FEEL and JUEL behind one interface. Each distinct text is compiled once and cached, so a
Decision read back from JSON compiles only what its evaluations reach, and the parser's compile
(to report syntax errors at deploy time) warms the same cache."""

import functools

from bpms.engine import feel, juel

from .model import FEEL, JUEL

# The names Camunda 7 accepts for FEEL, compared case-insensitively as Camunda does.
FEEL_NAMES = frozenset({
    "feel",
    "http://www.omg.org/spec/feel/20140401",
    "http://www.omg.org/spec/dmn/20180521/feel/",
    "https://www.omg.org/spec/dmn/20191111/feel/",
})
EXPRESSION_ERRORS = (feel.FeelError, juel.JuelError)
CACHE_SIZE = 4096


class UnsupportedLanguage(ValueError):
    pass


def language_of(name, default):
    """FEEL or JUEL for an expressionLanguage attribute; `default` when there is none."""
    if not name or not name.strip():
        return default
    lowered = name.strip().lower()
    if lowered in FEEL_NAMES:
        return FEEL
    if lowered == JUEL:
        return JUEL
    raise UnsupportedLanguage(f"expression language '{name.strip()}' is not supported (use FEEL or JUEL)")


def _juel_text(text):
    # Camunda models write JUEL in DMN both as `${a > 1}` and as a bare `a > 1`.
    return text if juel.is_expression(text) else "${" + text + "}"


def _juel(text):
    compiled = juel.compile_expression(_juel_text(text))
    return lambda context: compiled.evaluate(juel.Context(context))


@functools.lru_cache(maxsize=CACHE_SIZE)
def expression(source):
    """function(context) -> value for an Expression with non-empty text."""
    if source.language == JUEL:
        return _juel(source.text)
    return feel.compile_expression(source.text).evaluate


def _matches_anything(value, context):
    return True


@functools.lru_cache(maxsize=CACHE_SIZE)
def input_entry(source):
    """function(value, context) -> bool for an input entry. A JUEL entry is a boolean expression
    over the context (which binds the input variable); anything but true is no match, as in Camunda."""
    if not source.text:
        return _matches_anything
    if source.language == JUEL:
        evaluate = _juel(source.text)
        return lambda value, context: evaluate(context) is True
    return feel.compile_unary_tests(source.text).matches


@functools.lru_cache(maxsize=CACHE_SIZE)
def unary_tests(text):
    """An output value (outputValues item), always FEEL."""
    return feel.compile_unary_tests(text)
