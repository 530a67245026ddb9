"""typeRef coercion as Camunda 7's data type transformers do it, and the conversion of results to
the plain JSON-able values process variables hold.

Inside an evaluation numbers stay exact (int, Decimal) because FEEL computes with them; only a
decision's results become int or float (see `plain`)."""

import datetime
import math
import re
from decimal import Decimal, InvalidOperation

from bpms.engine.juel.coercion import java_string

_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+\Z")
_RANGES = {"integer": (-2**31, 2**31 - 1), "long": (-2**63, 2**63 - 1)}


class CoercionError(ValueError):
    pass


def _cannot(value, type_ref):
    return CoercionError(f"{value!r} cannot be converted to {type_ref}")


def is_number(value):
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _whole_number(value, type_ref):
    if is_number(value):
        if not math.isfinite(value) or value != int(value):
            raise _cannot(value, type_ref)
        number = int(value)
    elif isinstance(value, str) and _INTEGER_TEXT.match(value):
        number = int(value)
    else:
        raise _cannot(value, type_ref)
    low, high = _RANGES[type_ref]
    if not low <= number <= high:
        raise _cannot(value, type_ref)
    return number


def _double(value):
    if isinstance(value, float):
        # repr keeps the shortest text of the float, so 0.1 stays 0.1 and not its binary expansion.
        value = repr(value)
    elif not is_number(value) and not isinstance(value, str):
        raise _cannot(value, "double")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise _cannot(value, "double") from None
    if not number.is_finite():
        raise _cannot(value, "double")
    return number


def _boolean(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _cannot(value, "boolean")


def _date(value):
    # Camunda's `date` is a date and time (java.util.Date). A plain date is taken as its midnight,
    # where Camunda would refuse it, because FEEL's date("...") gives one.
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise _cannot(value, "date")


_COERCIONS = {
    "string": java_string,
    "boolean": _boolean,
    "integer": lambda value: _whole_number(value, "integer"),
    "long": lambda value: _whole_number(value, "long"),
    "double": _double,
    "date": _date,
}


def coerce(value, type_ref):
    """`value` as `type_ref` says (None: as it is). Null stays null. Raises CoercionError."""
    if value is None or type_ref is None:
        return value
    return _COERCIONS[type_ref](value)


def plain(value, type_ref=None):
    """A result value as a process variable holds it: a whole number is an int unless the typeRef
    is double, other numbers are floats; lists and contexts are converted item by item."""
    if is_number(value):
        if type_ref != "double" and math.isfinite(value) and value == int(value):
            return int(value)
        return float(value)
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value
