"""Wake-ups for long-polling fetchers, across every web node, through PostgreSQL LISTEN/NOTIFY.

`announce(topics)` runs inside the transaction that makes tasks fetchable; PostgreSQL delivers the
notification only when that transaction commits, so a fetcher never wakes before the task is
visible. A waiting fetcher blocks in `TopicListener.wait` on its own connection's socket (no
polling loop) until a notification for one of its topics arrives or its timeout passes.
"""

import threading

import psycopg
from django.conf import settings
from django.db import connection

CHANNEL = "bpms_external_tasks"

_local = threading.local()


def announce(topics):
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for topic in sorted(set(topics)):
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, topic])


def _connect():
    db = settings.DATABASES["default"]
    params = {"dbname": db["NAME"], "user": db.get("USER") or None, "password": db.get("PASSWORD") or None,
              "host": db.get("HOST") or None, "port": db.get("PORT") or None}
    conn = psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)
    conn.execute(f"LISTEN {CHANNEL}")
    return conn


class TopicListener:
    """One listening connection per thread, kept between requests: a long-polling web worker pays
    for the connection once, not per empty fetch."""

    def __enter__(self):
        conn = getattr(_local, "conn", None)
        if conn is None or conn.closed or conn.info.dbname != settings.DATABASES["default"]["NAME"]:
            if conn is not None and not conn.closed:
                conn.close()
            conn = _local.conn = _connect()
        # Notifications received while nobody waited are stale: the caller re-reads the table
        # after entering anyway.
        for _ in conn.notifies(timeout=0):
            pass
        self.conn = conn
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.conn.close()
            _local.conn = None
        return False

    def wait(self, topics, timeout):
        """True when a notification for one of the topics arrived within timeout seconds."""
        if timeout <= 0:
            return False
        for notification in self.conn.notifies(timeout=timeout):
            if notification.payload in topics:
                return True
        return False


def close_listener():
    """Close this thread's listening connection (tests, before the test database is dropped)."""
    conn = getattr(_local, "conn", None)
    if conn is not None:
        conn.close()
        _local.conn = None
