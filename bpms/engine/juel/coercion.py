"""EL 2.2 type coercion (JSR-245 section 1.18) and the operators defined on top of it (sections
1.7 and 1.8), over the values process variables hold: None, bool, int (EL Long), float (EL Double;
a Decimal counts as one), str, list, dict, dates.

bool is an int subclass in Python but never a number in EL, so type checks here use `type(x) is`,
never isinstance.

One deliberate difference from EL: dividing by zero (`/`, `div`, `%`, `mod`) raises
JuelEvaluationError instead of giving Infinity or NaN. Those values cannot be stored as JSON
process variables and would fail later, far from the expression that produced them."""

import datetime
import math
import re
from decimal import Decimal

from .errors import JuelEvaluationError

_LONG = re.compile(r"[+-]?[0-9]+\Z")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[dDfF]?\Z")
# Java's String.trim() removes every character up to and including the space.
JAVA_WHITESPACE = "".join(map(chr, range(0x21)))

_JAVA_TYPE_NAMES = {type(None): "null", bool: "Boolean", int: "Long", float: "Double",
                    Decimal: "BigDecimal", str: "String", list: "List", tuple: "List", dict: "Map",
                    datetime.datetime: "Date"}
# Types EL would compare with compareTo (besides numbers and strings, which are coerced first).
_ORDERED_TYPES = (bool, datetime.datetime, datetime.date, datetime.time, datetime.timedelta)


def type_name(value):
    return _JAVA_TYPE_NAMES.get(type(value), type(value).__name__)


def shown(value):
    """A value as error messages quote it: strings in quotes, the rest as Java prints them."""
    text = repr(value) if type(value) is str else java_string(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _cannot_coerce(value, target):
    return JuelEvaluationError(f"cannot coerce {shown(value)} ({type_name(value)}) to {target}")


def _is_double(value):
    return type(value) is float or type(value) is Decimal


def _is_decimal_text(value):
    return type(value) is str and ("." in value or "e" in value or "E" in value)


def to_long(value):
    kind = type(value)
    if kind is int:
        return value
    if value is None:
        return 0
    if kind is float or kind is Decimal:
        if not math.isfinite(value):
            raise _cannot_coerce(value, "Long")
        return int(value)
    if kind is str:
        if value == "":
            return 0
        if _LONG.match(value):
            return int(value)
    raise _cannot_coerce(value, "Long")


def to_double(value):
    kind = type(value)
    if kind is float:
        return value
    if kind is int or kind is Decimal:
        return float(value)
    if value is None:
        return 0.0
    if kind is str:
        if value == "":
            return 0.0
        text = value.strip(JAVA_WHITESPACE)  # Double.valueOf trims, Long.valueOf does not
        if _DOUBLE.match(text):
            return float(text.rstrip("dDfF"))
    raise _cannot_coerce(value, "Double")


def to_boolean(value):
    if value is True or value is False:
        return value
    if value is None:
        return False
    if type(value) is str:
        return value.lower() == "true"
    raise _cannot_coerce(value, "Boolean")


def to_string(value):
    """EL coercion to String: null is the empty string (so `Hello ${name}` never says "null")."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    return java_string(value)


def java_string(value):
    """Java's toString() of a value, the way Camunda would print it."""
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        return _java_double(value)
    if kind is list or kind is tuple:
        return "[" + ", ".join(java_string(item) for item in value) + "]"
    if kind is dict:
        return "{" + ", ".join(f"{java_string(k)}={java_string(v)}" for k, v in value.items()) + "}"
    return str(value)


def _java_double(value):
    """Double.toString: plain notation between 10^-3 and 10^7, otherwise 1.0E10 style."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        return repr(value)  # shortest round-trip digits, always with a ".0" or fraction here
    digits = Decimal(repr(value))
    sign, numerals, _ = digits.as_tuple()
    numerals = "".join(map(str, numerals)).rstrip("0") or "0"
    mantissa = numerals[0] + "." + (numerals[1:] or "0")
    return f"{'-' if sign else ''}{mantissa}E{digits.adjusted()}"


# --- arithmetic (EL 1.7) ----------------------------------------------------------------------

def _arithmetic(left, right, operation):
    if left is None and right is None:
        return 0
    if _is_double(left) or _is_double(right) or _is_decimal_text(left) or _is_decimal_text(right):
        return operation(to_double(left), to_double(right))
    return operation(to_long(left), to_long(right))


def add(left, right):
    if type(left) is int and type(right) is int:
        return left + right
    return _arithmetic(left, right, _plus)


def subtract(left, right):
    if type(left) is int and type(right) is int:
        return left - right
    return _arithmetic(left, right, _minus)


def multiply(left, right):
    if type(left) is int and type(right) is int:
        return left * right
    return _arithmetic(left, right, _times)


def _plus(left, right):
    return left + right


def _minus(left, right):
    return left - right


def _times(left, right):
    return left * right


def divide(left, right):
    """`/` and `div` always give a Double: 7 / 2 is 3.5, 4 / 2 is 2.0."""
    if left is None and right is None:
        return 0
    dividend, divisor = to_double(left), to_double(right)
    if divisor == 0:
        raise JuelEvaluationError("division by zero")
    return dividend / divisor


def modulo(left, right):
    """`%` and `mod` keep the sign of the dividend, as in Java (-7 % 3 is -1)."""
    if left is None and right is None:
        return 0
    if _is_double(left) or _is_double(right) or _is_decimal_text(left) or _is_decimal_text(right):
        dividend, divisor = to_double(left), to_double(right)
        if divisor == 0:
            raise JuelEvaluationError("division by zero")
        return math.fmod(dividend, divisor)
    dividend, divisor = to_long(left), to_long(right)
    if divisor == 0:
        raise JuelEvaluationError("division by zero")
    remainder = abs(dividend) % abs(divisor)
    return remainder if dividend >= 0 else -remainder


def negate(value):
    kind = type(value)
    if kind is int or kind is float or kind is Decimal:
        return -value
    if value is None:
        return 0
    if kind is str:
        return -to_double(value) if _is_decimal_text(value) else -to_long(value)
    raise _cannot_coerce(value, "a number")


# --- comparison (EL 1.8) ----------------------------------------------------------------------

def equals(left, right):
    if left is right:
        return True
    if left is None or right is None:
        return False
    left_type, right_type = type(left), type(right)
    if left_type is right_type and (left_type is int or left_type is str or left_type is bool):
        return left == right
    if _is_double(left) or _is_double(right):
        return to_double(left) == to_double(right)
    if left_type is int or right_type is int:
        return to_long(left) == to_long(right)
    if left_type is bool or right_type is bool:
        return to_boolean(left) == to_boolean(right)
    if left_type is str or right_type is str:
        return to_string(left) == to_string(right)
    return left == right


def not_equals(left, right):
    return not equals(left, right)


def _ordered_pair(left, right):
    if _is_double(left) or _is_double(right):
        return to_double(left), to_double(right)
    if type(left) is int or type(right) is int:
        return to_long(left), to_long(right)
    if type(left) is str or type(right) is str:
        return to_string(left), to_string(right)
    if type(left) is type(right) and isinstance(left, _ORDERED_TYPES):
        return left, right
    raise JuelEvaluationError(f"cannot compare {type_name(left)} with {type_name(right)}")


def less_than(left, right):
    if type(left) is int and type(right) is int:
        return left < right
    if left is None or right is None:
        return False
    left, right = _ordered_pair(left, right)
    return left < right


def greater_than(left, right):
    if type(left) is int and type(right) is int:
        return left > right
    if left is None or right is None:
        return False
    left, right = _ordered_pair(left, right)
    return left > right


def less_or_equal(left, right):
    if type(left) is int and type(right) is int:
        return left <= right
    if left is right:
        return True
    if left is None or right is None:
        return False
    left, right = _ordered_pair(left, right)
    return left <= right


def greater_or_equal(left, right):
    if type(left) is int and type(right) is int:
        return left >= right
    if left is right:
        return True
    if left is None or right is None:
        return False
    left, right = _ordered_pair(left, right)
    return left >= right


def is_empty(value):
    if value is None:
        return True
    if type(value) is str:
        return value == ""
    if isinstance(value, (list, tuple, dict, set)):
        return len(value) == 0
    return False
