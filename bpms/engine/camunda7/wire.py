"""Camunda 7 REST wire formats: typed variables, dates, and the mapping of the engine's ids to our
row ids.

Variables: our API speaks plain JSON values; the engine speaks `{value, type, valueInfo}`. Objects
and arrays travel as Json (a serialized string); Object variables in JSON format are read back as
JSON; other serializations (Java, XML) and Bytes/File are kept as the engine shows them.

Ids: our projection rows have UUID keys. Engines configured with a UUID id generator (EximeeBPMS and
Camunda Run do by default, and so does our own facade) give UUIDs that become our ids unchanged, so
both sides speak of the same instance by the same id; others (Camunda's DbIdGenerator: "2501") are
mapped to a stable uuid5 and the engine's id is kept on the row.
"""

import json
import uuid
from datetime import date, datetime, time, timezone

from bpms.engine.embedded.variables import INT_MAX, INT_MIN, type_of

_NAMESPACE = uuid.UUID("6f1d6c62-39c8-4f7a-9a61-0c7c5e2f3a10")


def local_id(remote_id):
    try:
        return uuid.UUID(str(remote_id))
    except ValueError:
        return uuid.uuid5(_NAMESPACE, str(remote_id))


def typed(value):
    if value is None:
        return {"value": None, "type": "Null"}
    if isinstance(value, bool):
        return {"value": value, "type": "Boolean"}
    if isinstance(value, int):
        return {"value": value, "type": "Integer" if INT_MIN <= value <= INT_MAX else "Long"}
    if isinstance(value, float):
        return {"value": value, "type": "Double"}
    if isinstance(value, str):
        return {"value": value, "type": "String"}
    if isinstance(value, datetime):
        return {"value": format_date(value if value.tzinfo else value.replace(tzinfo=timezone.utc)), "type": "Date"}
    if isinstance(value, date):
        return {"value": format_date(datetime.combine(value, time(), timezone.utc)), "type": "Date"}
    return {"value": json.dumps(value), "type": "Json"}


def typed_all(variables):
    return {name: typed(value) for name, value in (variables or {}).items()}


def plain(variable):
    kind, value = variable.get("type"), variable.get("value")
    info = variable.get("valueInfo") or {}
    json_object = kind == "Object" and info.get("serializationDataFormat") == "application/json"
    if (kind == "Json" or json_object) and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def plain_all(variables):
    return {name: plain(variable) for name, variable in (variables or {}).items()}


def type_name(variable):
    """The type our projection shows: the engine's, or the one of the plain value."""
    kind = variable.get("type")
    return kind if kind in ("String", "Boolean", "Short", "Integer", "Long", "Double", "Date", "Json", "Null") \
        else type_of(plain(variable))


def parse_date(text):
    """`2026-11-27T18:42:42.657+0100` (Camunda's format), or ISO 8601; None stays None."""
    if not text:
        return None
    for pattern in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            pass
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def format_date(moment):
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}" + moment.strftime("%z")
