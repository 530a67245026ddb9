"""Processes of the fault tests: a private Redis that can be killed and brought back, and the
application served by gunicorn (and worked by a Celery worker with beat) against the test
database, as production runs it. The shared Redis on 6379 is never touched."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import httpx
from django.conf import settings

from tests.conftest import ROOT, _worker_env
from tests.oidc_fixtures import API_AUDIENCE, free_port


def wait_for_port(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def stop(process, sig=signal.SIGTERM):
    if process is not None and process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class PrivateRedis:
    """`redis-server` on a free port without persistence: killing it loses every queued message,
    which is the outage the outbox must survive."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen([binary, "--port", str(self.port), "--save", "", "--appendonly", "no",
                                         "--bind", "127.0.0.1"],
                                        stdout=subprocess.DEVNULL, start_new_session=True)
        wait_for_port(self.port, self.process)
        return self

    def kill(self):
        stop(self.process, signal.SIGKILL)


def server_env(oidc_provider, **overrides):
    """The environment of the served application: the test database (tests using it must commit,
    transactional_db), the test OpenID provider, and whatever the test overrides."""
    env = _worker_env(settings.DATABASES["default"]["NAME"])
    env.update({"OIDC_ISSUER": oidc_provider.issuer, "OIDC_AUDIENCE": API_AUDIENCE,
                "DJANGO_SETTINGS_MODULE": "eximee.settings", "RATE_LIMIT_ENABLED": "false"})
    env.update(overrides)
    return env


class Gunicorn:
    def __init__(self, env, workers=2, threads=8):
        self.port = free_port()
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": str(workers),
                    "GUNICORN_THREADS": str(threads)}
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "eximee.wsgi"],
                                        cwd=ROOT, env=self.env, start_new_session=True)
        wait_for_port(self.port, self.process)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/health/live", timeout=10).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not serve in time"
            time.sleep(0.2)

    def stop(self):
        stop(self.process)


class WorkerWithBeat:
    """A Celery worker with embedded beat (so the outbox relay runs), on its own schedule file."""

    def __init__(self, env, schedule_file):
        self.env = env
        self.schedule_file = schedule_file
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "eximee", "worker", "--beat", "--schedule", str(self.schedule_file),
             "--loglevel=WARNING", "--concurrency=1", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=self.env, start_new_session=True)
        return self

    def stop(self):
        stop(self.process)
