"""RFC 9457 problem details for every error the API returns (docs/api-conventions.md)."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions as drf
from rest_framework.response import Response

from eximee.errors import DomainError
from eximee.logging import current_request_id

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:eximee:problem:"

# DRF exception -> (status, slug, title); the first matching class wins.
_DRF_PROBLEMS = (
    (drf.ValidationError, 400, "validation-error", "The request is not valid"),
    (drf.ParseError, 400, "malformed-request", "The request body could not be parsed"),
    (drf.NotAuthenticated, 401, "unauthenticated", "Authentication is required"),
    (drf.AuthenticationFailed, 401, "unauthenticated", "Authentication failed"),
    (drf.PermissionDenied, 403, "forbidden", "You are not allowed to do this"),
    (drf.NotFound, 404, "not-found", "Resource not found"),
    (drf.MethodNotAllowed, 405, "method-not-allowed", "Method not allowed"),
    (drf.NotAcceptable, 406, "not-acceptable", "No acceptable representation"),
    (drf.UnsupportedMediaType, 415, "unsupported-media-type", "Unsupported media type"),
    (drf.Throttled, 429, "rate-limited", "Too many requests"),
)


def problem_body(status, slug, title, detail=None, *, instance=None, errors=None, extra=None):
    body = {
        "type": TYPE_PREFIX + slug,
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": instance,
        "requestId": current_request_id(),
    }
    if errors:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return body


def field_errors(detail, pointer=""):
    """Flatten DRF's nested error detail into [{pointer, detail}] with JSON-pointer paths."""
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            if key == "non_field_errors":
                out.extend(field_errors(value, pointer))
            else:
                escaped = str(key).replace("~", "~0").replace("/", "~1")
                out.extend(field_errors(value, f"{pointer}/{escaped}"))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [{"pointer": pointer, "detail": str(item)} for item in detail]
        out = []
        for index, item in enumerate(detail):
            out.extend(field_errors(item, f"{pointer}/{index}"))
        return out
    return [{"pointer": pointer, "detail": str(detail)}]


def _problem_response(body, headers=None):
    response = Response(body, status=body["status"], content_type=PROBLEM_CONTENT_TYPE, headers=headers)
    return response


def exception_handler(exc, context):
    request = context.get("request")
    instance = request.path if request is not None else None

    if isinstance(exc, DomainError):
        body = problem_body(exc.status, exc.slug, exc.title, exc.detail, instance=instance,
                            errors=exc.errors, extra=exc.extra)
        return _problem_response(body, exc.headers)

    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        body = problem_body(413, "payload-too-large", "The request body is too large", instance=instance)
        return _problem_response(body)
    elif isinstance(exc, DjangoPermissionDenied):
        # django-ratelimit's Ratelimited is a PermissionDenied subclass; it means 429, not 403.
        if type(exc).__name__ == "Ratelimited":
            body = problem_body(429, "rate-limited", "Too many requests", instance=instance)
            return _problem_response(body, {"Retry-After": str(getattr(exc, "retry_after", 60))})
        exc = drf.PermissionDenied()
    elif isinstance(exc, (OperationalError, InterfaceError)):
        logger.exception("database unavailable")
        body = problem_body(503, "service-unavailable", "The database is unavailable, try again",
                            instance=instance)
        return _problem_response(body, {"Retry-After": "5"})

    for cls, status, slug, title in _DRF_PROBLEMS:
        if isinstance(exc, cls):
            detail = exc.detail
            errors = None
            if isinstance(exc, drf.ValidationError):
                errors = field_errors(detail)
                text = "; ".join(f"{e['pointer'] or '/'}: {e['detail']}" for e in errors[:5])
            else:
                text = str(detail)
            headers = {}
            auth_header = getattr(exc, "auth_header", None)
            if auth_header:
                headers["WWW-Authenticate"] = auth_header
            wait = getattr(exc, "wait", None)
            if wait is not None:
                headers["Retry-After"] = str(int(wait) + 1)
            body = problem_body(status, slug, title, text, instance=instance, errors=errors)
            return _problem_response(body, headers)

    if isinstance(exc, drf.APIException):
        body = problem_body(exc.status_code, "error", str(exc.default_detail), str(exc.detail),
                            instance=instance)
        return _problem_response(body)

    if isinstance(exc, DatabaseError):
        logger.exception("database error")
    else:
        logger.exception("unhandled error")
    body = problem_body(500, "internal-error", "Internal server error",
                        "An unexpected error occurred; quote the request id when reporting it.",
                        instance=instance)
    return _problem_response(body)


def wants_problem_json(request):
    """API callers get problem+json; people in a browser get Django's HTML error pages."""
    return request.path.startswith(("/v1/", "/engine-rest/")) or "html" not in request.headers.get("Accept", "")


def _plain_problem(request, status, slug, title):
    body = problem_body(status, slug, title, instance=request.path)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def page_not_found(request, exception=None):
    if not wants_problem_json(request):
        return defaults.page_not_found(request, exception)
    return _plain_problem(request, 404, "not-found", "Resource not found")


def server_error(request):
    if not wants_problem_json(request):
        return defaults.server_error(request)
    return _plain_problem(request, 500, "internal-error", "Internal server error")


def bad_request(request, exception=None):
    if not wants_problem_json(request):
        return defaults.bad_request(request, exception)
    return _plain_problem(request, 400, "malformed-request", "Bad request")


def permission_denied(request, exception=None):
    if type(exception).__name__ == "Ratelimited":
        response = _plain_problem(request, 429, "rate-limited", "Too many requests")
        response["Retry-After"] = "60"
        return response
    if not wants_problem_json(request):
        return defaults.permission_denied(request, exception)
    return _plain_problem(request, 403, "forbidden", "You are not allowed to do this")
