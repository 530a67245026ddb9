"""Query-parameter filters shared by the instance and task lists."""

from datetime import datetime, timezone

from django.db.models import Exists, OuterRef

from bpms.models import ProcessVariable

from eximee.errors import InvalidRequest

OPERATORS = {"eq": "exact", "neq": "exact", "gt": "gt", "gteq": "gte", "lt": "lt", "lteq": "lte", "like": "icontains"}


def parse_datetime_param(name, value):
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise InvalidRequest(f"{name} must be an ISO 8601 date-time.",
                             errors=[{"pointer": f"/{name}", "detail": "not an ISO 8601 date-time"}]) from None
    if parsed.tzinfo is None:
        raise InvalidRequest(f"{name} needs a time zone offset.", errors=[{"pointer": f"/{name}", "detail": "no offset"}])
    # PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows: compare in UTC.
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError:
        raise InvalidRequest(f"{name} is out of range.", errors=[{"pointer": f"/{name}", "detail": "out of range"}]) from None


def _typed(text):
    """A filter value as JSON would hold it: numbers and booleans compare as such."""
    if text in ("true", "false"):
        return text == "true"
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def apply_variable_filters(queryset, expressions, instance_path):
    """`name_op_value` (Camunda's form), several joined by commas or repeated: each must hold.
    `instance_path` leads from the queryset's model to its process instance's id.

    Each filter is an EXISTS over the variable rows rather than a join: a join needs DISTINCT,
    which makes PostgreSQL sort every matching row whole before it can page."""
    for expression in [e for raw in expressions for e in raw.split(",") if e]:
        parts = expression.split("_", 2)
        if len(parts) != 3 or parts[1] not in OPERATORS:
            raise InvalidRequest(f"Variable filter '{expression}' is not name_op_value.",
                                 errors=[{"pointer": "/variables", "detail": f"ops: {', '.join(OPERATORS)}"}])
        name, op, raw = parts
        if op == "like":
            lookup, value = "value__icontains", raw.strip("%")
        else:
            lookup, value = f"value__{OPERATORS[op]}", _typed(raw)
        matching = Exists(ProcessVariable.objects.filter(
            process_instance=OuterRef(instance_path), name=name, **{lookup: value}))
        queryset = queryset.exclude(matching) if op == "neq" else queryset.filter(matching)
    return queryset


def ordering(params, sorts, default):
    sort = params.get("sortBy", default)
    if sort not in sorts:
        raise InvalidRequest(f"sortBy must be one of {', '.join(sorts)}.", errors=[{"pointer": "/sortBy", "detail": "unknown"}])
    order = params.get("sortOrder", "desc")
    if order not in ("asc", "desc"):
        raise InvalidRequest("sortOrder must be asc or desc.", errors=[{"pointer": "/sortOrder", "detail": "unknown"}])
    field = sorts[sort]
    return [f"{'-' if order == 'desc' else ''}{field}", "id"]
