"""The remote engine client against answers written from the Camunda 7 REST reference: retries
with backoff, timeouts, authentication, and Camunda's errors as our domain errors."""

import httpx
import pytest

from bpms.engine.camunda7.client import OAuth2ClientCredentials, RemoteClient
from bpms.engine.camunda7.errors import EngineFailure
from eximee.errors import Conflict, InvalidRequest, NotFound, PermissionDenied, RuleViolation, ServiceUnavailable

from . import fixtures


def test_a_503_is_retried_and_the_next_answer_is_returned(scripted, scripted_client):
    scripted.on("GET", "/process-instance/2601", (503, "<html>busy</html>"), (503, "<html>busy</html>"),
                (200, {"id": "2601"}))
    assert scripted_client.get("/process-instance/2601") == {"id": "2601"}
    assert len(scripted.calls("GET", "/process-instance/2601")) == 3


def test_retries_run_out_as_a_503_problem_naming_the_request(scripted, scripted_client):
    scripted.on("POST", "/task/2604/complete", (502, "<html>bad gateway</html>"))
    with pytest.raises(ServiceUnavailable) as raised:
        scripted_client.post("/task/2604/complete", {})
    assert len(scripted.calls("POST", "/task/2604/complete")) == 3      # first try + 2 retries
    assert raised.value.extra["engineRequest"] == "POST /task/2604/complete"


def test_connection_refused_is_retried_for_every_method(scripted, scripted_client):
    scripted.on("POST", "/task/2604/claim", httpx.ConnectError("refused"), (204, None))
    assert scripted_client.post("/task/2604/claim", {"userId": "anna"}) is None
    assert len(scripted.calls("POST", "/task/2604/claim")) == 2


def test_a_read_timeout_is_retried_for_a_get_but_not_for_a_post(scripted, scripted_client):
    scripted.on("GET", "/task", httpx.ReadTimeout("slow"), (200, []))
    assert scripted_client.get("/task") == []
    scripted.on("POST", "/task/2604/complete", httpx.ReadTimeout("slow"), (204, None))
    with pytest.raises(ServiceUnavailable) as raised:
        scripted_client.post("/task/2604/complete", {})
    assert "may or may not have applied it" in raised.value.detail
    assert len(scripted.calls("POST", "/task/2604/complete")) == 1


def test_a_camunda_500_is_the_engines_verdict_and_not_retried(scripted, scripted_client):
    scripted.on("POST", "/task/2604/complete", (500, fixtures.OPTIMISTIC_LOCKING))
    with pytest.raises(Conflict) as raised:
        scripted_client.post("/task/2604/complete", {})
    assert len(scripted.calls("POST", "/task/2604/complete")) == 1
    assert raised.value.extra["engineErrorCode"] == 1
    assert raised.value.extra["engineErrorType"] == "OptimisticLockingException"


@pytest.mark.parametrize(("status", "body", "expected"), [
    (500, fixtures.OPTIMISTIC_LOCKING, Conflict),
    (500, fixtures.ALREADY_CLAIMED, Conflict),
    (500, fixtures.SUSPENDED, Conflict),
    (500, fixtures.TASK_NOT_FOUND_ON_CLAIM, NotFound),
    (404, fixtures.INSTANCE_NOT_FOUND, NotFound),
    (400, fixtures.BAD_VARIABLE, InvalidRequest),
    (400, fixtures.PARSE, RuleViolation),
    (403, fixtures.FORBIDDEN, PermissionDenied),
    (401, None, ServiceUnavailable),
    (500, fixtures.GENERIC, EngineFailure),
])
def test_camunda_errors_become_domain_errors(scripted, scripted_client, status, body, expected):
    scripted.on("POST", "/any", (status, body))
    with pytest.raises(expected) as raised:
        scripted_client.post("/any", {})
    if body:
        assert raised.value.detail == body["message"] or body["message"] in raised.value.detail


def test_basic_auth_is_sent(scripted):
    client = RemoteClient("http://engine.test/engine-rest", auth=httpx.BasicAuth("eximee", "s3cret"),
                          transport=httpx.MockTransport(scripted.on("GET", "/engine", (200, [{"name": "default"}]))))
    assert client.get("/engine") == [{"name": "default"}]
    assert scripted.authorizations == ["Basic ZXhpbWVlOnMzY3JldA=="]


def test_oauth2_token_is_cached_and_fetched_again_once_on_401(scripted, settings, monkeypatch):
    issued = []

    def token_endpoint(url, data, auth, timeout):
        issued.append((url, data, auth))
        return httpx.Response(200, json={"access_token": f"token-{len(issued)}", "expires_in": 300})

    # The token endpoint is another server (the identity provider): answered here in-process.
    monkeypatch.setattr(httpx, "post", token_endpoint)
    auth = OAuth2ClientCredentials("https://sso.test/token", "eximee", "secret", "engine")
    scripted.on("GET", "/task", (200, []), (200, []), (401, None), (200, [{"id": "1"}]))
    client = RemoteClient("http://engine.test/engine-rest", auth=auth, transport=httpx.MockTransport(scripted))
    assert client.get("/task") == [] and client.get("/task") == []
    assert len(issued) == 1
    assert client.get("/task") == [{"id": "1"}]
    assert len(issued) == 2
    assert scripted.authorizations == [
        "Bearer token-1", "Bearer token-1", "Bearer token-1", "Bearer token-2"]
    assert issued[0] == ("https://sso.test/token", {"grant_type": "client_credentials", "scope": "engine"},
                         ("eximee", "secret"))
