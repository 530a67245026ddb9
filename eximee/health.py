"""Liveness and readiness for load balancers and orchestrators.

/health/live answers while the process can serve; /health/ready only while the database, Redis
and at least one Celery worker answer, so traffic is routed away from a node that would fail."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from eximee.celery import app as celery_app

WORKER_PING_TIMEOUT = 1.0


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_redis():
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()


def check_worker():
    replies = celery_app.control.ping(timeout=WORKER_PING_TIMEOUT, limit=1)
    if not replies:
        raise RuntimeError("no Celery worker answered")
    return f"{len(replies)} worker(s)"


CHECKS = {"database": check_database, "redis": check_redis, "worker": check_worker}


def live(request):
    return JsonResponse({"status": "ok"})


def ready(request):
    results, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            outcome = check()
            results[name] = {"status": "ok", **({"detail": outcome} if outcome else {})}
        except Exception as exc:  # any failure of a dependency means "not ready"
            healthy = False
            results[name] = {"status": "error", "detail": f"{type(exc).__name__}: {exc}"}
    if not healthy and connection.connection is not None and not connection.is_usable():
        connection.close()
    return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": results},
                        status=200 if healthy else 503)
