"""Camunda 7 error answers as our domain errors (rendered as problem+json by eximee.api.problems).

Camunda answers `{type, message, code}`: `type` is the Java exception's simple name, `code` the
engine's error code (0 generic, 1 optimistic locking, 2 deadlock, 3 foreign key, ...). It answers 500
for many caller-side situations (a task claimed by someone else, an unknown task on claim, a
suspended instance), so the 500s are sorted by exception type and message before falling back to
"the engine failed" (502: our API worked, the engine behind it did not).
"""

from eximee.errors import (Conflict, DomainError, InvalidRequest, NotFound, PermissionDenied, RuleViolation,
                           ServiceUnavailable)

OPTIMISTIC_LOCKING, DEADLOCK = 1, 2
CONFLICT_TYPES = {"OptimisticLockingException", "TaskAlreadyClaimedException", "SuspendedEntityInteractionException"}
NOT_FOUND_TYPES = {"NotFoundException", "NullValueException"}
CONFLICT_PHRASES = ("is suspended", "already claimed", "is not locked", "lock", "has been completed")
NOT_FOUND_PHRASES = ("cannot find", "does not exist", "no task", "not found")


class EngineFailure(DomainError):
    status = 502
    slug = "engine-error"
    title = "The process engine failed to carry out the request"


def _body(response):
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def translate(response, request_line):
    body = _body(response)
    kind, code = body.get("type") or "", body.get("code")
    message = body.get("message") or f"The engine answered {response.status_code}."
    extra = {"engineErrorType": kind, "engineErrorCode": code, "engineRequest": request_line}
    status, lowered = response.status_code, message.lower()
    if status == 404:
        return NotFound(message, extra=extra)
    if status == 403:
        return PermissionDenied(message, extra=extra)
    if status == 401:
        # Our credentials for the engine are wrong: an operator's problem, not the caller's.
        return ServiceUnavailable("The engine refused the platform's credentials.", extra=extra)
    if kind == "ParseException":
        # A deployment the engine cannot run: a rule of the model is broken, not the request's form.
        return RuleViolation(message, extra=extra)
    if status == 422:
        return RuleViolation(message, extra=extra)
    if status == 400:
        return InvalidRequest(message, extra=extra)
    if status == 409:
        return Conflict(message, extra=extra)
    if code in (OPTIMISTIC_LOCKING, DEADLOCK) or kind in CONFLICT_TYPES:
        return Conflict(message if code not in (OPTIMISTIC_LOCKING, DEADLOCK) else
                        f"The instance was changed concurrently in the engine; try again. ({message})", extra=extra)
    if kind in NOT_FOUND_TYPES or any(phrase in lowered for phrase in NOT_FOUND_PHRASES):
        return NotFound(message, extra=extra)
    if any(phrase in lowered for phrase in CONFLICT_PHRASES):
        return Conflict(message, extra=extra)
    return EngineFailure(message, extra=extra)
