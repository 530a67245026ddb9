"""Request-scoped context for log lines (request id, user), set by RequestIdMiddleware."""

import contextvars
import logging

request_id_var = contextvars.ContextVar("request_id", default=None)


def current_request_id():
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True
