"""Process variables from requests: plain JSON values, or Camunda's typed form {value, type}."""

import json
from datetime import datetime, timezone

from eximee.errors import InvalidRequest

TYPES = ("String", "Boolean", "Integer", "Long", "Double", "Date", "Json", "Null")
# Camunda 7's names that only its REST dialect (/engine-rest) accepts: a Short is a small integer,
# Json and Object values travel there as serialized text.
CAMUNDA_TYPES = TYPES + ("Short", "Object")
INT_MIN, INT_MAX = -(2 ** 31), 2 ** 31 - 1
SHORT_MIN, SHORT_MAX = -(2 ** 15), 2 ** 15 - 1
JSON_FORMAT = "application/json"


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


class _Invalid(Exception):
    """One variable that does not parse: `detail` at `where` below the variable's path."""

    def __init__(self, where, detail):
        super().__init__(detail)
        self.where, self.detail = where, detail


def _parse(data, pointer, parse_one, message):
    """{name: parse_one(raw value)} for a variables object; every problem reported at once with
    its path, under message(errors)."""
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
        try:
            values[name] = parse_one(raw)
        except _Invalid as exc:
            errors.append({"pointer": f"{path}{exc.where}", "detail": exc.detail})
    if errors:
        raise InvalidRequest(message(errors), errors=errors)
    return values


def _converted(convert, *args):
    try:
        return convert(*args)
    except ValueError as exc:
        raise _Invalid("/value", f"{exc}") from None


def _value(raw):
    """/v1: a plain JSON value, or a typed {value, type}."""
    if not _is_typed(raw):
        return raw
    kind = raw["type"]
    if kind not in TYPES:
        raise _Invalid("/type", f"unknown type '{kind}' (one of {', '.join(TYPES)})")
    return _converted(_convert, kind, raw.get("value"))


def parse_variables(data, pointer="/processVariables"):
    """{name: plain value}; every problem reported at once with its path."""
    return _parse(data, pointer, _value, lambda errors: "Some variables are not valid.")


def _convert_camunda(kind, value, value_info):
    """Like _convert, for the types only Camunda's dialect has and its serialized Json/Object."""
    if kind == "Short":
        number = _convert("Integer", value)
        if number is not None and not SHORT_MIN <= number <= SHORT_MAX:
            raise ValueError("is out of range for a Short")
        return number
    if kind in ("Json", "Object") and isinstance(value, str):
        if kind == "Object" and (value_info or {}).get("serializationDataFormat", JSON_FORMAT) != JSON_FORMAT:
            raise ValueError(f"only Object values serialized as {JSON_FORMAT} are supported")
        try:
            return json.loads(value)
        except ValueError:
            raise ValueError("is not valid serialized JSON") from None
    return _convert(kind, value)


def _camunda_value(raw):
    """Camunda 7: always {value, type, valueInfo}; a missing or null type means the JSON value is
    taken as it is (Camunda infers the type)."""
    if not isinstance(raw, dict) or not set(raw) <= {"value", "type", "valueInfo"}:
        raise _Invalid("", "must be an object {value, type, valueInfo}")
    kind, value_info = raw.get("type"), raw.get("valueInfo")
    if kind is None:
        return raw.get("value")
    if kind not in CAMUNDA_TYPES:
        raise _Invalid("/type", f"Unsupported value type '{kind}'")
    if value_info is not None and not isinstance(value_info, dict):
        raise _Invalid("/valueInfo", "must be an object")
    return _converted(_convert_camunda, kind, raw.get("value"), value_info)


def parse_camunda_variables(data, pointer="/variables"):
    """Camunda 7's variables map {name: {value, type, valueInfo}} -> {name: plain value}. Every
    problem is reported at once with its path."""
    return _parse(data, pointer, _camunda_value,
                  lambda errors: "; ".join(f"{e['pointer']}: {e['detail']}" for e in errors))
