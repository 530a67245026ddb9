import json
import logging
import uuid

import pytest
from rest_framework.test import APIClient

pytestmark = [pytest.mark.urls("tests.eximee.urls"), pytest.mark.django_db]


def test_callers_request_id_is_echoed():
    response = APIClient().get("/v1/fail/missing", HTTP_X_REQUEST_ID="crm-4711")
    assert response["X-Request-ID"] == "crm-4711"
    assert response.json()["requestId"] == "crm-4711"


def test_request_id_is_generated_when_missing_or_unsafe():
    for headers in ({}, {"HTTP_X_REQUEST_ID": "bad id\nwith newline"}):
        response = APIClient().get("/v1/fail/missing", **headers)
        uuid.UUID(response["X-Request-ID"])


def test_access_log_line_carries_request_id_and_fields(caplog, api_client_for):
    client = api_client_for("case-reader", username="reader")
    with caplog.at_level(logging.INFO, logger="eximee.access"):
        client.get("/v1/groups/", HTTP_X_REQUEST_ID="log-me-7")
    [record] = [r for r in caplog.records if r.name == "eximee.access"]
    assert record.request_id == "log-me-7"
    assert (record.method, record.path, record.status, record.user) == ("GET", "/v1/groups/", 200, "reader")
    assert record.duration_ms >= 0


def test_log_lines_are_json_with_request_id():
    from django.conf import settings
    from pythonjsonlogger.json import JsonFormatter

    from eximee.logging import RequestIdFilter, request_id_var

    fmt = settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(fmt["fmt"], rename_fields=fmt["rename_fields"])
    record = logging.LogRecord("eximee.x", logging.INFO, __file__, 1, "hello", None, None)
    token = request_id_var.set("rid-1")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "rid-1" and line["message"] == "hello" and line["level"] == "INFO"
