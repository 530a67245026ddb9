"""OpenAPI document: the problem details every operation can answer (docs/api-conventions.md).

The errors come from one place (eximee/api/problems.py), not from the views, so drf-spectacular
cannot see them; this hook declares them once for every operation, with the schema of a problem
body, so clients and schema checkers know what a 4xx or 503 looks like."""

PROBLEM_COMPONENT = "Problem"

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `type` is stable, branch on it.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "example": "urn:eximee:problem:validation-error"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "nullable": True},
        "requestId": {"type": "string", "nullable": True},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["pointer", "detail"],
                "properties": {"pointer": {"type": "string"}, "detail": {"type": "string"}},
                "additionalProperties": True,
            },
        },
    },
    # Some problems name more, e.g. the BPMN element a failing expression belongs to.
    "additionalProperties": True,
}

_EVERY_OPERATION = {
    "400": "The request is not valid (validation-error, malformed-request).",
    "401": "No token, or an invalid one.",
    "403": "The caller's roles do not allow this.",
    "404": "The resource does not exist, or the caller may not know it exists.",
    "429": "Too many requests; Retry-After says when to come back.",
    "503": "The database or the broker is unavailable; retry later.",
}
_STATE_CHANGES = {
    "409": "The resource's state forbids this now.",
    "412": "If-Match names a stale version.",
    "413": "The request body is too large.",
    "415": "Unsupported media type.",
    "422": "Valid input that breaks a rule.",
}


def problem_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})[PROBLEM_COMPONENT] = PROBLEM_SCHEMA
    content = {"application/problem+json": {"schema": {"$ref": f"#/components/schemas/{PROBLEM_COMPONENT}"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            statuses = dict(_EVERY_OPERATION)
            if method != "get":
                statuses.update(_STATE_CHANGES)
            responses = operation.setdefault("responses", {})
            for status, description in statuses.items():
                responses.setdefault(status, {"description": description, "content": content})
    return result
