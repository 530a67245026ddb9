"""Process variables from requests: plain JSON values, or Camunda's typed form {value, type}."""

from datetime import datetime, timezone

from eximee.errors import InvalidRequest

TYPES = ("String", "Boolean", "Integer", "Long", "Double", "Date", "Json", "Null")
INT_MIN, INT_MAX = -(2 ** 31), 2 ** 31 - 1


def _is_typed(value):
    return isinstance(value, dict) and "type" in value and set(value) <= {"value", "type", "valueInfo"}


def _convert(kind, value):
    """The plain JSON value of a typed variable, or ValueError saying why it does not convert."""
    if kind == "Null":
        if value is not None:
            raise ValueError("a Null variable has no value")
        return None
    if value is None:
        return None
    if kind == "String":
        if not isinstance(value, str):
            raise ValueError("must be a string")
        return value
    if kind == "Boolean":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise ValueError("must be true or false")
    if kind in ("Integer", "Long"):
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(f"must be an {kind.lower()}")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValueError(f"must be an {kind.lower()}") from None
        if kind == "Integer" and not INT_MIN <= number <= INT_MAX:
            raise ValueError("is out of range for an Integer (use Long)")
        return number
    if kind == "Double":
        if isinstance(value, bool):
            raise ValueError("must be a number")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValueError("must be a number") from None
    if kind == "Date":
        return parse_date(value)
    return value   # Json


def parse_date(value):
    """A Date variable: an aware datetime (Camunda's 2026-11-27T18:42:42.657+0100, any ISO 8601
    date-time; a bare date is midnight UTC, a time without offset is UTC)."""
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date or date-time")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("must be an ISO 8601 date or date-time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def parse_variables(data, pointer="/processVariables"):
    """{name: plain value}; every problem reported at once with its path."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidRequest("Variables must be a JSON object.", errors=[{"pointer": pointer, "detail": "must be an object"}])
    values, errors = {}, []
    for name, raw in data.items():
        path = f"{pointer}/{name}"
        if not name or not isinstance(name, str) or len(name) > 255:
            errors.append({"pointer": path, "detail": "invalid variable name"})
            continue
        if not _is_typed(raw):
            values[name] = raw
            continue
        kind = raw["type"]
        if kind not in TYPES:
            errors.append({"pointer": f"{path}/type", "detail": f"unknown type '{kind}' (one of {', '.join(TYPES)})"})
            continue
        try:
            values[name] = _convert(kind, raw.get("value"))
        except ValueError as exc:
            errors.append({"pointer": f"{path}/value", "detail": f"{exc}"})
    if errors:
        raise InvalidRequest("Some variables are not valid.", errors=errors)
    return values
