import logging
import re
import time
import uuid

from .logging import request_id_var

access_log = logging.getLogger("eximee.access")

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is reused only when it is a plausible token, so log lines cannot be forged.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdMiddleware:
    """Gives every request an id (the caller's X-Request-ID or a new UUID), echoes it in the
    response and writes one access-log line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.id = incoming if _VALID_REQUEST_ID.match(incoming) else str(uuid.uuid4())
        token = request_id_var.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.id
            user = getattr(request, "user", None)
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "user": user.get_username() if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)
