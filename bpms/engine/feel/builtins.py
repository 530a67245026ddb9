"""The built-in functions FEEL texts may call: an allow-list, nothing else is callable.

An argument of the wrong type gives null, as FEEL says. Text that a conversion function cannot
read (date("2024-13-01"), number("1,5"), duration("P1Y")) raises FeelEvaluationError instead: it
is almost always a typo in the model, which null would hide as a silently unmatched rule."""

import datetime
import functools
import json
import re
from collections import namedtuple
from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from . import values
from .errors import FeelEvaluationError
from .values import DECIMAL_CONTEXT, is_number, to_decimal, to_integer

Builtin = namedtuple("Builtin", "function min_arguments max_arguments")

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_AND_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})?")
_DAY_TIME_DURATION = re.compile(
    r"(?P<sign>-)?P(?:(?P<days>[0-9]+)D)?(?:T(?:(?P<hours>[0-9]+)H)?(?:(?P<minutes>[0-9]+)M)?(?:(?P<seconds>[0-9]+(?:\.[0-9]+)?)S)?)?")
_YEARS_MONTHS_DURATION = re.compile(r"-?P[0-9]+[YM]")
_NUMBER = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
# Plain notation up to the exponents a FEEL number reaches; a context value beyond that
# (Decimal("1E+999999999")) is written with its exponent rather than as a billion digits.
_PLAIN_DIGITS = 6144
# The scale range of decimal128, which FEEL's decimal() allows.
_SCALES = range(-6111, 6177)


def _is_string(value):
    return isinstance(value, str)


def _is_list(value):
    return isinstance(value, list)


def _accepts(*checks):
    """Null unless each argument passes its check (an omitted optional argument is not checked)."""
    def decorate(function):
        @functools.wraps(function)
        def checked(*arguments):
            if all(check(argument) for check, argument in zip(checks, arguments)):
                return function(*arguments)
            return None
        return checked
    return decorate


# --- conversions ---

def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    if not _DATE.fullmatch(value):
        raise FeelEvaluationError(f"date() expects yyyy-mm-dd, not {value!r}")
    return _parsed(datetime.date.fromisoformat, value, "date")


def _date_and_time(value):
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    if not isinstance(value, str):
        return None
    if _DATE.fullmatch(value):
        return datetime.datetime.combine(_date(value), datetime.time())
    if not _DATE_AND_TIME.fullmatch(value):
        raise FeelEvaluationError(
            f"date and time() expects yyyy-mm-ddThh:mm:ss with an optional fraction and offset, not {value!r}")
    return _parsed(datetime.datetime.fromisoformat, value, "date and time")


def _parsed(parse, text, function_name):
    try:
        return parse(text)
    except ValueError as error:  # the right shape but no such day or time: 2024-02-30, 25:00
        raise FeelEvaluationError(f"{function_name}() cannot read {text!r}: {error}") from None


@_accepts(_is_string)
def _duration(text):
    match = _DAY_TIME_DURATION.fullmatch(text)
    if match is None or text.endswith(("P", "T")):
        if _YEARS_MONTHS_DURATION.match(text):
            raise FeelEvaluationError(f"duration() supports days-and-time durations only, not {text!r}")
        raise FeelEvaluationError(f"duration() expects an ISO 8601 duration such as P1DT2H, not {text!r}")
    parts = {name: Decimal(match[name] or 0) for name in ("days", "hours", "minutes", "seconds")}
    microseconds = ((parts["days"] * 24 + parts["hours"]) * 60 + parts["minutes"]) * 60_000_000 \
        + parts["seconds"] * 1_000_000
    try:
        duration = datetime.timedelta(microseconds=int(microseconds))
    except OverflowError:
        raise FeelEvaluationError(f"duration() cannot represent {text!r}: more than 999999999 days") from None
    return -duration if match["sign"] else duration


@_accepts(_is_string)
def _number(text):
    if not _NUMBER.fullmatch(text):
        raise FeelEvaluationError(f"number() expects digits with an optional '.' and exponent, not {text!r}")
    try:
        return DECIMAL_CONTEXT.create_decimal(text)
    except ArithmeticError:
        raise FeelEvaluationError(f"number() cannot read {text!r}: beyond the range of a FEEL number") from None


def _string(value):
    return None if value is None else _text(value)


def _text(value) -> str:
    """The text of a value as FEEL's string() gives it: numbers in plain notation, dates in ISO 8601,
    null as "null" inside lists and contexts."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        number = to_decimal(value)
        if number is None or abs(number.adjusted()) > _PLAIN_DIGITS:
            return str(value)
        return format(number, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return _duration_text(value)
    if isinstance(value, list):
        return "[" + ", ".join(_nested_text(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {_nested_text(item)}" for key, item in value.items()) + "}"
    return str(value)


def _nested_text(value):
    # Quoted, so that ["1", 1] and [1, 1] read differently.
    return json.dumps(value) if isinstance(value, str) else _text(value)


def _duration_text(duration):
    sign = "-" if duration < datetime.timedelta(0) else ""
    duration = abs(duration)
    minutes, seconds = divmod(duration.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    seconds = (seconds + Decimal(duration.microseconds).scaleb(-6)).normalize()
    time = "".join(f"{amount}{unit}" for amount, unit in ((hours, "H"), (minutes, "M")) if amount)
    if seconds:
        time += format(seconds, "f") + "S"
    days = f"{duration.days}D" if duration.days else ""
    if not days and not time:
        return "PT0S"
    return f"{sign}P{days}" + (f"T{time}" if time else "")


# --- strings ---

@_accepts(_is_string)
def _string_length(text):
    return Decimal(len(text))


@_accepts(_is_string)
def _upper_case(text):
    return text.upper()


@_accepts(_is_string)
def _lower_case(text):
    return text.lower()


@_accepts(_is_string, is_number, is_number)
def _substring(text, start, length=None):
    """1-based; a negative start counts from the end (-1 is the last character)."""
    start = to_integer(start)
    if not start:
        return None
    begin = start - 1 if start > 0 else max(len(text) + start, 0)
    if length is None:
        return text[begin:]
    length = to_integer(length)
    if length is None or length < 0:
        return None
    return text[begin:begin + length]


@_accepts(_is_string, _is_string)
def _contains(text, part):
    return part in text


@_accepts(_is_string, _is_string)
def _starts_with(text, prefix):
    return text.startswith(prefix)


@_accepts(_is_string, _is_string)
def _ends_with(text, suffix):
    return text.endswith(suffix)


# --- numbers ---

def _rounded(rounding):
    @_accepts(is_number)
    def rounded(number):
        return to_decimal(number).to_integral_value(rounding=rounding)
    return rounded


@_accepts(is_number, is_number)
def _decimal(number, scale):
    scale = to_integer(scale)
    if scale not in _SCALES:
        return None
    try:
        return DECIMAL_CONTEXT.quantize(to_decimal(number), Decimal((0, (1,), -scale)))
    except ArithmeticError:  # more digits than the 34 a FEEL number holds
        return None


# --- lists ---

def _items(arguments):
    """min([1, 2]) and min(1, 2) alike."""
    if len(arguments) == 1 and isinstance(arguments[0], list):
        return arguments[0]
    return list(arguments)


def _extreme(wanted_order):
    def extreme(*arguments):
        items = _items(arguments)
        if not items:
            return None
        best = items[0]
        for item in items[1:]:
            order = values.compare(item, best)
            if order is None:
                return None
            if order == wanted_order:
                best = item
        return best
    return extreme


def _sum(*arguments):
    items = _items(arguments)
    if not items or not all(is_number(item) for item in items):
        return None
    return functools.reduce(values.add, items, Decimal(0))


def _mean(*arguments):
    total = _sum(*arguments)
    return values.divide(total, len(_items(arguments)))


@_accepts(_is_list)
def _count(items):
    return Decimal(len(items))


@_accepts(_is_list)
def _list_contains(items, wanted):
    return any(values.equals(item, wanted) for item in items)


# --- logic ---

def _not(value):
    return not value if isinstance(value, bool) else None


# "is defined" is missing on purpose: it needs the argument's name, not its value, so the
# compiler builds it (compiler._Builder._is_defined).
FUNCTIONS = {
    "date": Builtin(_date, 1, 1),
    "date and time": Builtin(_date_and_time, 1, 1),
    "duration": Builtin(_duration, 1, 1),
    "number": Builtin(_number, 1, 1),
    "string": Builtin(_string, 1, 1),
    "string length": Builtin(_string_length, 1, 1),
    "upper case": Builtin(_upper_case, 1, 1),
    "lower case": Builtin(_lower_case, 1, 1),
    "substring": Builtin(_substring, 2, 3),
    "contains": Builtin(_contains, 2, 2),
    "starts with": Builtin(_starts_with, 2, 2),
    "ends with": Builtin(_ends_with, 2, 2),
    "abs": Builtin(values.absolute, 1, 1),
    "floor": Builtin(_rounded(ROUND_FLOOR), 1, 1),
    "ceiling": Builtin(_rounded(ROUND_CEILING), 1, 1),
    "decimal": Builtin(_decimal, 2, 2),
    "min": Builtin(_extreme(-1), 1, None),
    "max": Builtin(_extreme(1), 1, None),
    "sum": Builtin(_sum, 1, None),
    "mean": Builtin(_mean, 1, None),
    "count": Builtin(_count, 1, 1),
    "list contains": Builtin(_list_contains, 2, 2),
    "not": Builtin(_not, 1, 1),
}
