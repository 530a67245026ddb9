"""Domain errors raised by services and selectors.

They carry what an RFC 9457 problem needs (status, a stable type slug, a title, field errors) but
know nothing of HTTP frameworks, so Celery tasks, the dashboard and the API all raise and catch the
same exceptions; eximee.api.problems renders them.
"""


def json_pointer(path):
    """RFC 6901 pointer of a path of keys and indexes, as used in `errors[].pointer`."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


class DomainError(Exception):
    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(self, detail=None, *, errors=None, extra=None, headers=None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        # [{"pointer": "/processVariables/amount", "detail": "..."}]
        self.errors = errors or []
        self.extra = extra or {}
        self.headers = headers or {}


class InvalidRequest(DomainError):
    status = 400
    slug = "validation-error"
    title = "The request is not valid"


class PermissionDenied(DomainError):
    status = 403
    slug = "forbidden"
    title = "You are not allowed to do this"


class NotFound(DomainError):
    status = 404
    slug = "not-found"
    title = "Resource not found"


class Conflict(DomainError):
    status = 409
    slug = "conflict"
    title = "The resource is in a conflicting state"


class PreconditionFailed(DomainError):
    status = 412
    slug = "precondition-failed"
    title = "The resource has changed since you read it"


class PayloadTooLarge(DomainError):
    status = 413
    slug = "payload-too-large"
    title = "The request body is too large"


class RuleViolation(DomainError):
    status = 422
    slug = "unprocessable"
    title = "The request breaks a rule"


class ServiceUnavailable(DomainError):
    status = 503
    slug = "service-unavailable"
    title = "A service the platform depends on is unavailable"
