"""A real OpenID provider for tests (tests/oidc/provider.js, npm oidc-provider) and fixtures on it.

    def test_something(oidc_settings, oidc_provider):
        token = oidc_provider.token_for(roles=["case-reader"])
        APIClient().get("/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}")

`oidc_provider` (session): the running provider; `token_for(roles=[...])` registers (once per role
set) a client-credentials client holding those roles and returns a fresh JWT access token;
`user_token("olga.operator")` logs a person in (tests/oidc/accounts.json) through the provider's
own login pages and returns their access token. `oidc_settings` points Django at it.
Import the fixtures into a conftest with `from tests.oidc_fixtures import *  # noqa`.
"""

import base64
import hashlib
import html
import json
import os
import re
import secrets
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import jwt
import pytest
from django.core.cache import cache

from eximee.auth import USER_CACHE_PREFIX

OIDC_DIR = Path(__file__).resolve().parent / "oidc"
API_AUDIENCE = "urn:eximee:api"
OTHER_AUDIENCE = "urn:other:api"
DASHBOARD_CLIENT_ID = "eximee-dashboard"
DASHBOARD_CLIENT_SECRET = "dashboard-test-secret"
DASHBOARD_REDIRECT_URIS = ("http://testserver/auth/oidc/callback/", "http://127.0.0.1:8765/auth/oidc/callback/")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def signing_jwk(name="test-key-1.json"):
    return json.loads((OIDC_DIR / "keys" / name).read_text())


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


class OidcProvider:
    """One `node provider.js` process on a free localhost port."""

    def __init__(self, keys=("test-key-1.json", "test-key-ec.json"), port=None):
        self.keys = tuple(keys)
        self.port = port or free_port()
        self.process = None
        self._clients = {}

    @property
    def issuer(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=20):
        env = {**os.environ, "PORT": str(self.port), "KEYS": ",".join(self.keys),
               "API_AUDIENCES": f"{API_AUDIENCE},{OTHER_AUDIENCE}",
               "DASHBOARD_REDIRECT_URIS": ",".join(DASHBOARD_REDIRECT_URIS)}
        self.process = subprocess.Popen(["node", "provider.js"], cwd=OIDC_DIR, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"OIDC provider exited: {self.process.stderr.read().decode()}")
            try:
                httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).raise_for_status()
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("OIDC provider did not start in time")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def restart(self, keys):
        """Same issuer, other signing keys (a key rotation). Registered clients are forgotten."""
        self.stop()
        self.keys = tuple(keys)
        self._clients.clear()
        return self.start()

    def register_client(self, roles=(), token_ttl=None):
        metadata = {"grant_types": ["client_credentials"], "response_types": [], "redirect_uris": [],
                    "roles": list(roles)}
        if token_ttl:
            metadata["token_ttl"] = token_ttl
        response = httpx.post(f"{self.issuer}/reg", json=metadata, timeout=10)
        response.raise_for_status()
        body = response.json()
        return body["client_id"], body["client_secret"]

    def client_for(self, roles):
        key = tuple(sorted(roles))
        if key not in self._clients:
            self._clients[key] = self.register_client(key)
        return self._clients[key]

    def token_for(self, roles=(), client=None, resource=API_AUDIENCE):
        """A client-credentials access token (a JWT) for a machine client with these roles."""
        client_id, secret = client or self.client_for(roles)
        response = httpx.post(f"{self.issuer}/token", auth=(client_id, secret), timeout=10,
                              data={"grant_type": "client_credentials", "resource": resource})
        response.raise_for_status()
        return response.json()["access_token"]

    def sign_in(self, authorize_url, login, redirect_uri):
        """Drive the provider's login and consent pages like a browser would, starting at an
        authorization URL; returns the redirect back to the client (carrying code and state)."""
        with httpx.Client(timeout=10) as browser:
            response = browser.get(authorize_url)
            for _ in range(10):
                location = response.headers.get("location")
                if location:
                    location = urljoin(str(response.url), location)
                    if location.startswith(redirect_uri):
                        return location
                    response = browser.get(location)
                    continue
                action = html.unescape(re.search(r'<form[^>]*action="([^"]+)"', response.text).group(1))
                prompt = re.search(r'name="prompt" value="(\w+)"', response.text).group(1)
                fields = {"prompt": prompt}
                if prompt == "login":
                    fields.update(login=login, password="any")
                response = browser.post(urljoin(str(response.url), action), data=fields)
        raise RuntimeError("the provider did not redirect back")

    def user_token(self, login, resource=API_AUDIENCE):
        """An access token for a person (authorization code + PKCE through the dashboard client)."""
        redirect_uri = DASHBOARD_REDIRECT_URIS[0]
        verifier, challenge = pkce_pair()
        authorize = httpx.URL(f"{self.issuer}/auth", params={
            "client_id": DASHBOARD_CLIENT_ID, "response_type": "code", "redirect_uri": redirect_uri,
            "scope": "openid profile", "state": secrets.token_urlsafe(8), "resource": resource,
            "code_challenge": challenge, "code_challenge_method": "S256"})
        back = self.sign_in(str(authorize), login, redirect_uri)
        code = parse_qs(urlsplit(back).query)["code"][0]
        response = httpx.post(f"{self.issuer}/token", auth=(DASHBOARD_CLIENT_ID, DASHBOARD_CLIENT_SECRET),
                              data={"grant_type": "authorization_code", "code": code, "resource": resource,
                                    "redirect_uri": redirect_uri, "code_verifier": verifier}, timeout=10)
        response.raise_for_status()
        return response.json()["access_token"]

    def forge(self, key="test-key-1.json", headers=None, **claims):
        """A token signed with one of the provider's own (test) keys but with claims of our
        choosing: for expiry, not-before and issuer cases the provider will not issue."""
        now = int(time.time())
        body = {"iss": self.issuer, "aud": API_AUDIENCE, "sub": "forged-client", "client_id": "forged-client",
                "iat": now, "exp": now + 300, "realm_access": {"roles": ["admin"]}}
        body.update(claims)
        jwk = signing_jwk(key)
        private_key = jwt.PyJWK(jwk).key
        return jwt.encode({k: v for k, v in body.items() if v is not None}, private_key, algorithm=jwk["alg"],
                          headers={"kid": jwk["kid"], "typ": "at+jwt", **(headers or {})})


@pytest.fixture(scope="session")
def oidc_provider():
    provider = OidcProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def oidc_settings(settings, oidc_provider):
    """Django pointed at the test provider (API audience, dashboard client)."""
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_AUDIENCE = API_AUDIENCE
    settings.OIDC_RP_CLIENT_ID = DASHBOARD_CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = DASHBOARD_CLIENT_SECRET
    # Users are created inside each test's transaction: forget the ones cached by earlier tests.
    cache.delete_pattern(f"{USER_CACHE_PREFIX}*")
    return settings


__all__ = ["oidc_provider", "oidc_settings"]
