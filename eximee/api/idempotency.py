"""`Idempotency-Key` for creating POSTs: same key + same body replays the first response with no
second effect; same key + different body is a 422. The record is written in the same transaction
as the effect, so a failed request leaves no record and may be retried with the same key; a
concurrent duplicate waits on the unique index and then replays the committed outcome."""

import functools
import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.response import Response

from eximee.errors import InvalidRequest, RuleViolation
from eximee.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEPT_HEADERS = ("Location", "ETag")


def _request_hash(request):
    body = json.dumps(request.data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(record):
    headers = {**record.response_headers, REPLAYED_HEADER: "true"}
    return Response(record.response_body, status=record.status, headers=headers)


def idempotent(view_method):
    @functools.wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view_method(view, request, *args, **kwargs)
        if not 1 <= len(key) <= 200:
            raise InvalidRequest(f"{HEADER} must be 1 to 200 characters long.",
                                 errors=[{"pointer": f"header:{HEADER}", "detail": "length 1..200"}])
        principal = request.user.get_username() if request.user.is_authenticated else "anonymous"
        digest = _request_hash(request)
        expired_before = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
        with transaction.atomic():
            IdempotencyRecord.objects.filter(principal=principal, key=key, created__lt=expired_before).delete()
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        principal=principal, key=key, method=request.method, path=request.path,
                        request_hash=digest)
            except IntegrityError:
                record = IdempotencyRecord.objects.get(principal=principal, key=key)
                if record.request_hash != digest:
                    raise RuleViolation(
                        f"{HEADER} '{key}' was already used with a different request.",
                        errors=[{"pointer": f"header:{HEADER}", "detail": "reused with a different body"}],
                    ) from None
                return _replay(record)
            response = view_method(view, request, *args, **kwargs)
            record.status = response.status_code
            record.response_body = getattr(response, "data", None)
            record.response_headers = {h: response[h] for h in _KEPT_HEADERS if h in response}
            record.save(update_fields=["status", "response_body", "response_headers"])
        return response

    return wrapper


def purge_expired():
    cutoff = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    return IdempotencyRecord.objects.filter(created__lt=cutoff).delete()[0]
