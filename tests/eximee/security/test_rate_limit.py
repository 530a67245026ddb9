"""Rate limits per client and endpoint class, counted in Redis: a burst gets 429 problem+json with
Retry-After, and the client is served again once the window has passed."""

import time
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from eximee import ratelimit
from eximee.ratelimit import parse_rate

pytestmark = [pytest.mark.urls("tests.eximee.security.urls"), pytest.mark.django_db]


@pytest.fixture
def throttle_clock(monkeypatch):
    """The rate limiter's clock, held at the start of a window until a test moves it (`.now`): a
    burst falls in one window however long a busy machine takes to send it. The counters are real."""
    clock = SimpleNamespace(now=time.time() // 60 * 60)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


@pytest.fixture
def limits(oidc_settings, throttle_clock):
    oidc_settings.RATE_LIMITS = {"anonymous": "2/min", "default": "3/min", "operator": "6/min"}
    return oidc_settings


def test_burst_is_429_then_recovers(limits, throttle_clock, oidc_provider, bearer):
    client = bearer(oidc_provider.token_for(roles=["case-reader"]))
    statuses = [client.get("/probe/limited").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    limited = client.get("/probe/limited")
    assert limited["Content-Type"] == "application/problem+json"
    assert limited.json()["type"] == "urn:eximee:problem:rate-limited"
    assert 60 <= int(limited["Retry-After"]) <= 61
    throttle_clock.now += 59
    assert client.get("/probe/limited").status_code == 429
    throttle_clock.now += 1
    assert client.get("/probe/limited").status_code == 200


def test_limits_are_per_client(limits, oidc_provider, bearer):
    first = bearer(oidc_provider.token_for(roles=["case-reader"]))
    second = bearer(oidc_provider.token_for(roles=["case-writer"]))
    for _ in range(3):
        first.get("/probe/limited")
    assert first.get("/probe/limited").status_code == 429
    assert second.get("/probe/limited").status_code == 200


def test_limits_are_per_endpoint_class(limits, oidc_provider, bearer):
    client = bearer(oidc_provider.token_for(roles=["case-reader"]))
    for _ in range(3):
        client.get("/probe/limited")
    assert client.get("/probe/limited").status_code == 429
    assert client.get("/probe/whoami").status_code == 200


def test_limit_follows_the_most_generous_role(limits, oidc_provider, bearer):
    client = bearer(oidc_provider.token_for(roles=["case-reader", "operator"]))
    statuses = [client.get("/probe/limited").status_code for _ in range(7)]
    assert statuses == [200] * 6 + [429]


def test_anonymous_callers_are_limited_by_address(limits):
    here, there = APIClient(REMOTE_ADDR="198.51.100.1"), APIClient(REMOTE_ADDR="198.51.100.2")
    assert [here.get("/probe/public").status_code for _ in range(3)] == [200, 200, 429]
    assert there.get("/probe/public").status_code == 200


def test_counters_live_in_redis(limits, oidc_provider, bearer):
    from django_redis import get_redis_connection

    bearer(oidc_provider.token_for(roles=["case-reader"])).get("/probe/limited")
    assert get_redis_connection("default").keys("*ratelimit:probe.limited:client:*")


def test_a_counter_expires_after_its_window(limits, oidc_provider, bearer):
    from django_redis import get_redis_connection

    bearer(oidc_provider.token_for(roles=["case-reader"])).get("/probe/limited")
    redis = get_redis_connection("default")
    [key] = redis.keys("*ratelimit:probe.limited:client:*")
    assert 0 < redis.ttl(key) <= 61  # the minute's window and one second


def test_without_redis_the_counters_live_in_the_configured_cache(limits, oidc_provider, bearer):
    limits.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client = bearer(oidc_provider.token_for(roles=["case-reader"]))
    assert [client.get("/probe/limited").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_rate_syntax():
    assert parse_rate("600/min") == (600, 60)
    assert parse_rate("10/5s") == (10, 5)
    with pytest.raises(ValueError):
        parse_rate("lots")
