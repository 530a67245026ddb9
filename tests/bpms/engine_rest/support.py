"""Helpers of the /engine-rest tests."""

import re

from tests.bpms.async_support import deploy, start, unique  # noqa: F401  (re-exported for the tests)

BASE = "/engine-rest"
CAMUNDA_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$")


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content)
    return response.json() if response.content else None


def camunda_error(response, status):
    """The body of a Camunda error answer: {type, message, code}, plain JSON."""
    assert response.status_code == status, (response.status_code, response.content)
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"type", "message", "code"}, body
    assert body["type"] and body["message"]
    return body
