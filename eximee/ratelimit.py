"""Rate limiting of the API, per client and per endpoint class, with counters in Redis.

The client is the token's client (client_id, else sub), else the logged-in user, else the source
address. The endpoint class is a view's `rate_limit_class`, else "<app>.read" / "<app>.write", so
a client hammering task completion does not use up its budget for reading cases. The limit of a
client is the most generous one of its roles in RATE_LIMITS (falling back to "default"; clients
without a user get "anonymous"). Counters are fixed windows kept in the cache (Redis when
REDIS_URL is set), so they hold across gunicorn workers and machines; INCR is atomic there.

Installed as DRF's default throttle class, so every API view is covered; a limited request gets
429 problem+json with Retry-After (eximee/api/problems.py).
"""

import functools
import logging
import math
import time

from django.conf import settings
from django.core.cache import caches
from django_redis.cache import RedisCache
from rest_framework.throttling import BaseThrottle

from eximee.audit import client_ip
from eximee.roles import roles_of

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
            "d": 86400, "day": 86400}


def parse_rate(rate):
    """"600/min" -> (600, 60); "10/5s" -> (10, 5)."""
    count, _, period = str(rate).partition("/")
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits):].strip().lower()
    if unit not in _PERIODS or not count.strip().isdigit():
        raise ValueError(f"Not a rate: {rate!r} (use e.g. 600/min, 20/s, 10/5s)")
    return int(count), int(digits or 1) * _PERIODS[unit]


def client_key(request):
    claims = getattr(request, "auth", None)
    if isinstance(claims, dict):
        return "client:" + str(claims.get("client_id") or claims.get("azp") or claims.get("sub"))
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def endpoint_class(request, view):
    explicit = getattr(view, "rate_limit_class", None)
    if explicit:
        return explicit
    app = type(view).__module__.split(".", 1)[0]
    return f"{app}.{'read' if request.method in SAFE_METHODS else 'write'}"


def rate_for(request):
    """(requests, seconds) allowed to this caller per endpoint class."""
    limits = settings.RATE_LIMITS
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return parse_rate(limits.get("anonymous", limits["default"]))
    rates = [parse_rate(limits[role]) for role in roles_of(user) if role in limits]
    if not rates:
        return parse_rate(limits["default"])
    return max(rates, key=lambda rate: rate[0] / rate[1])


# INCR, and EXPIRE for a counter it has just created: one round trip, and no counter left without
# an expiry if the connection drops in between.
_INCREMENT = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n"


@functools.lru_cache(maxsize=8)
def _increment_script(client):
    return client.register_script(_INCREMENT)


def _count(key, timeout):
    """Adds one to the counter `key` (created with `timeout`) and returns it: on Redis, in one
    round trip; on other caches (development without Redis), through the cache API."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        backend.add(key, 0, timeout=timeout)
        return backend.incr(key)
    client = backend.client.get_client(write=True)
    return _increment_script(client)(keys=[backend.make_key(key)], args=[timeout])


class RoleRateThrottle(BaseThrottle):
    def allow_request(self, request, view):
        if not settings.RATE_LIMIT_ENABLED:
            return True
        count, period = rate_for(request)
        now = time.time()
        window = int(now // period)
        key = f"ratelimit:{endpoint_class(request, view)}:{client_key(request)}:{period}:{window}"
        try:
            used = _count(key, period + 1)
        except Exception:  # Redis down: serve rather than fail every request (health/ready reports it)
            used = None
        if used is None:  # the cache ignores its connection errors and answers nothing instead
            logger.warning("rate-limit counter unavailable; request not limited")
            return True
        self._wait = (window + 1) * period - now
        return used <= count

    def wait(self):
        return math.ceil(self._wait)
