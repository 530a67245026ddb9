"""HTTP client of a Camunda-7-compatible REST API (EximeeBPMS, Camunda 7, Operaton).

One `RemoteClient` per process: a pooled httpx client with basic or OAuth2 client-credentials
authentication, timeouts, and retries with exponential backoff. What is retried:
- a connection that could not be made (nothing reached the engine): every method;
- a 502/503/504, or a 500 whose body is not a Camunda error (a proxy's page): every method, since
  the request did not reach the engine's command;
- a read timeout or a dropped connection after sending: only GET, PUT and DELETE, which the
  engine applies idempotently; a POST (complete, start) may have run, so it is not sent twice.
A Camunda error answer (`{type, message, code}`) is the engine's verdict and is never retried; it
becomes a DomainError (errors.py).
"""

import threading
import time

import httpx
from django.conf import settings

from eximee.errors import ServiceUnavailable

from .errors import translate

IDEMPOTENT = frozenset({"GET", "PUT", "DELETE", "HEAD", "OPTIONS"})
RETRIED_STATUSES = frozenset({500, 502, 503, 504})


class OAuth2ClientCredentials(httpx.Auth):
    """Bearer tokens from the token endpoint, cached until shortly before they expire and fetched
    again once if the engine answers 401."""

    def __init__(self, token_url, client_id, client_secret, scope="", resource=""):
        self.token_url, self.client_id, self.client_secret = token_url, client_id, client_secret
        self.scope, self.resource = scope, resource
        self._token, self._expires_at = None, 0.0
        self._lock = threading.Lock()

    def _fetch(self):
        data = {"grant_type": "client_credentials"}
        if self.scope:
            data["scope"] = self.scope
        if self.resource:
            data["resource"] = self.resource
        response = httpx.post(self.token_url, data=data, auth=(self.client_id, self.client_secret),
                              timeout=settings.CAMUNDA7_TIMEOUT_SECONDS)
        if response.status_code != 200:
            raise ServiceUnavailable(f"The engine's token endpoint answered {response.status_code}.")
        body = response.json()
        self._token = body["access_token"]
        self._expires_at = time.monotonic() + max(float(body.get("expires_in", 60)) - 30, 1)

    def token(self, refresh=False):
        with self._lock:
            if refresh or self._token is None or time.monotonic() >= self._expires_at:
                self._fetch()
            return self._token

    def auth_flow(self, request):
        request.headers["Authorization"] = f"Bearer {self.token()}"
        response = yield request
        if response.status_code == 401:
            request.headers["Authorization"] = f"Bearer {self.token(refresh=True)}"
            yield request


def auth_from_settings():
    kind = settings.CAMUNDA7_AUTH
    if kind == "basic":
        return httpx.BasicAuth(settings.CAMUNDA7_USERNAME, settings.CAMUNDA7_PASSWORD)
    if kind == "oauth2":
        return OAuth2ClientCredentials(settings.CAMUNDA7_TOKEN_URL, settings.CAMUNDA7_CLIENT_ID,
                                       settings.CAMUNDA7_CLIENT_SECRET, settings.CAMUNDA7_SCOPE,
                                       settings.CAMUNDA7_TOKEN_RESOURCE)
    return None


def _is_camunda_error(response):
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and "type" in body and "message" in body


class RemoteClient:
    def __init__(self, base_url, *, auth=None, timeout=10.0, retries=3, backoff=0.5, transport=None):
        self.retries, self.backoff = retries, backoff
        self.http = httpx.Client(base_url=base_url.rstrip("/"), auth=auth, transport=transport,
                                 timeout=httpx.Timeout(timeout), headers={"Accept": "application/json"})

    @classmethod
    def from_settings(cls):
        return cls(settings.CAMUNDA7_BASE_URL, auth=auth_from_settings(), timeout=settings.CAMUNDA7_TIMEOUT_SECONDS,
                   retries=settings.CAMUNDA7_RETRIES, backoff=settings.CAMUNDA7_RETRY_BACKOFF_SECONDS)

    def request(self, method, path, *, timeout=None, **kwargs):
        """The decoded JSON body (None for 204, the text of a text answer); a DomainError for an
        error answer."""
        attempt = 0
        while True:
            try:
                response = self.http.request(method, path, timeout=timeout or httpx.USE_CLIENT_DEFAULT, **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                failure = exc
            except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.RemoteProtocolError, httpx.ReadError) as exc:
                if method not in IDEMPOTENT:
                    raise ServiceUnavailable(
                        f"The engine did not answer {method} {path} in time; it may or may not have applied it.",
                        extra={"engineRequest": f"{method} {path}"}) from exc
                failure = exc
            else:
                if response.status_code not in RETRIED_STATUSES or _is_camunda_error(response):
                    return self._result(method, path, response)
                failure = response
            attempt += 1
            if attempt > self.retries:
                detail = (f"answered {failure.status_code}" if isinstance(failure, httpx.Response)
                          else f"is unreachable ({type(failure).__name__})")
                raise ServiceUnavailable(f"The engine {detail} for {method} {path} after {attempt} attempts.",
                                         extra={"engineRequest": f"{method} {path}"})
            time.sleep(self.backoff * 2 ** (attempt - 1))

    @staticmethod
    def _result(method, path, response):
        if response.status_code >= 400:
            raise translate(response, f"{method} {path}")
        if response.status_code == 204 or not response.content:
            return None
        if "json" not in response.headers.get("Content-Type", "json"):
            return response.text        # e.g. an external task's errorDetails (text/plain)
        return response.json()

    def get(self, path, **params):
        return self.request("GET", path, params={k: v for k, v in params.items() if v is not None})

    def post(self, path, body=None, **kwargs):
        return self.request("POST", path, json=body if body is not None else {}, **kwargs)

    def put(self, path, body=None):
        return self.request("PUT", path, json=body if body is not None else {})

    def delete(self, path, **params):
        return self.request("DELETE", path, params=params)
