import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.oidc_fixtures import *  # noqa: F401,F403  (oidc_provider, oidc_settings)


@pytest.fixture(autouse=True)
def fresh_rate_limit_counters():
    """Counters live in Redis (this run's own database number): start every test at zero."""
    cache.clear()


@pytest.fixture
def bearer():
    """bearer(token) -> an APIClient sending `Authorization: Bearer <token>`."""

    def make(token):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return make
