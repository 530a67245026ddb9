"""Validation of submitted variables against a user task's camunda:formData."""

from datetime import date, datetime

from eximee.errors import RuleViolation


def _is_type(kind, value, field):
    if kind == "string":
        return isinstance(value, str)
    if kind == "long":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "date":
        if not isinstance(value, str):
            return False
        for parse in (datetime.fromisoformat, date.fromisoformat, lambda v: datetime.strptime(v, "%d/%m/%Y")):
            try:
                parse(value.replace("Z", "+00:00"))
                return True
            except ValueError:
                pass
        return False
    if kind == "enum":
        return value in {v["id"] for v in field.get("values", [])}
    return True


def _constraint_error(name, config, value):
    if name == "minlength" and isinstance(value, str) and len(value) < int(config):
        return f"must be at least {config} characters long"
    if name == "maxlength" and isinstance(value, str) and len(value) > int(config):
        return f"must be at most {config} characters long"
    if name == "min" and isinstance(value, (int, float)) and value < float(config):
        return f"must be at least {config}"
    if name == "max" and isinstance(value, (int, float)) and value > float(config):
        return f"must be at most {config}"
    return None


def validate_form(fields, variables, pointer_prefix="/variables"):
    """Every violation at once, each with the field's path."""
    errors = []
    for field in fields or []:
        name, kind = field["id"], field.get("type") or "string"
        constraints = {c["name"]: c.get("config") for c in field.get("validation", [])}
        pointer = f"{pointer_prefix}/{name}"
        value = variables.get(name)
        if "readonly" in constraints and name in variables:
            errors.append({"pointer": pointer, "detail": "is read-only"})
            continue
        if value is None or value == "":
            if "required" in constraints:
                errors.append({"pointer": pointer, "detail": "is required"})
            continue
        if not _is_type(kind, value, field):
            allowed = f" (one of {', '.join(v['id'] for v in field.get('values', []))})" if kind == "enum" else ""
            errors.append({"pointer": pointer, "detail": f"must be a {kind}{allowed}"})
            continue
        for constraint, config in constraints.items():
            detail = _constraint_error(constraint, config, value)
            if detail:
                errors.append({"pointer": pointer, "detail": detail})
    if errors:
        raise RuleViolation("The submitted variables do not match the task's form.", errors=errors)
