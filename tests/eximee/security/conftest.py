import functools

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.oidc_fixtures import *  # noqa: F401,F403  (oidc_provider, oidc_settings)


@pytest.fixture(autouse=True)
def fresh_counters():
    """Rate-limit counters live in Redis and outlive a test: start every test at zero."""
    for pattern in ("ratelimit:*", "rl:*"):
        cache.delete_pattern(pattern)


class BearerClient:
    """Sends every request with `Authorization: Bearer <token>` through a shared test client
    (building a client per token would rebuild the middleware chain, a quarter second each)."""

    def __init__(self, client, token):
        self._client = client
        self._token = token

    def __getattr__(self, method):
        call = getattr(self._client, method)
        return functools.partial(call, HTTP_AUTHORIZATION=f"Bearer {self._token}")


@pytest.fixture(scope="session")
def shared_api_client():
    return APIClient()


@pytest.fixture
def bearer(shared_api_client):
    """bearer(token).get(...) -> the response to a request carrying that bearer token."""
    return lambda token: BearerClient(shared_api_client, token)
