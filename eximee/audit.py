"""The audit trail: who did what, to which target, from where, with what outcome.

Every request (API, dashboard, login) is recorded by AuditMiddleware after its response, so no
view has to remember it. Work done outside a request (Celery handlers, scheduled jobs) calls
`record(...)` itself. Model changes are additionally recorded field by field by django-auditlog.
"""

import logging

from django.conf import settings
from django.utils import timezone

from eximee.logging import current_request_id
from eximee.models import AuditEntry

logger = logging.getLogger(__name__)

SUCCESS = "success"


def client_ip(request):
    """The caller's address: REMOTE_ADDR, or the first X-Forwarded-For hop when the app sits
    behind a proxy we trust to set it (TRUST_X_FORWARDED_FOR)."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


def _actor_name(actor):
    if actor is None:
        return ""
    if isinstance(actor, str):
        return actor
    return actor.get_username() if actor.is_authenticated else ""


def record(operation, target, outcome=SUCCESS, *, request=None, actor=None, details=None):
    """Append one entry. With a request, its user, client, address and request id are used."""
    entry = _entry(operation, target, outcome, request=request, actor=actor, details=details)
    entry.save()
    return entry


def record_many(operation, targets, outcome=SUCCESS, *, actor=None):
    """One entry per target of an operation done to many at once outside a request, in one INSERT."""
    AuditEntry.objects.bulk_create([_entry(operation, target, outcome, actor=actor) for target in targets])


def _entry(operation, target, outcome, *, request=None, actor=None, details=None):
    client_id = ""
    source_ip = None
    request_id = current_request_id() or ""
    if request is not None:
        actor = actor if actor is not None else getattr(request, "user", None)
        claims = getattr(request, "auth", None)
        if isinstance(claims, dict):
            client_id = claims.get("client_id") or claims.get("azp") or ""
        source_ip = client_ip(request)
        request_id = getattr(request, "id", "") or request_id
    return AuditEntry(
        occurred_at=timezone.now(),
        actor=_actor_name(actor)[:150],
        client_id=client_id[:200],
        operation=str(operation)[:200],
        target=str(target)[:500],
        outcome=str(outcome)[:100],
        request_id=request_id[:128],
        source_ip=source_ip,
        details=details or {},
    )


def operation_of(request):
    """The name of what a request did: the view's `audit_operation`, else view class + action
    (viewsets) or HTTP method, e.g. "CaseViewSet.create", "TaskComplete.post"."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return f"{request.method} {request.path}"
    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    if view_class is None:
        return f"{match.view_name or match._func_path}.{request.method.lower()}"
    explicit = getattr(view_class, "audit_operation", None)
    if explicit:
        return explicit
    actions = getattr(match.func, "actions", None) or {}
    return f"{view_class.__name__}.{actions.get(request.method.lower(), request.method.lower())}"


def outcome_of(response):
    """"success", or the problem type's slug (forbidden, rate-limited, ...) or http-<status>."""
    if response.status_code < 400:
        return SUCCESS
    data = getattr(response, "data", None)
    if isinstance(data, dict) and isinstance(data.get("type"), str):
        return data["type"].rsplit(":", 1)[-1]
    return f"http-{response.status_code}"


class AuditMiddleware:
    """Records one AuditEntry per request once its response is known. Place it after
    AuthenticationMiddleware; for bearer-token requests DRF has set request.user by then.

    A view may set `request.audit_outcome` (a failed login answers 200) or `request.audit_actor`
    (a logout has no user any more when the entry is written)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(tuple(settings.AUDIT_EXCLUDED_PATH_PREFIXES)):
            match = getattr(request, "resolver_match", None)
            details = {"method": request.method, "status": response.status_code}
            if match is not None and match.kwargs:
                details["arguments"] = {k: str(v) for k, v in match.kwargs.items() if k != "version"}
            try:
                record(operation_of(request), request.path,
                       getattr(request, "audit_outcome", None) or outcome_of(response),
                       request=request, actor=getattr(request, "audit_actor", None), details=details)
            except Exception:  # the response is already decided; a lost audit line must be loud
                logger.exception("could not write the audit entry for %s %s", request.method, request.path)
        return response
