"""Fixtures shared by every test module: users with domain roles, API clients, and a real Celery
worker process bound to the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def make_user(db):
    """make_user("anna", "task-worker", "operator") -> a user holding those domain roles."""

    def make(username, *roles, **fields):
        user, _ = User.objects.get_or_create(username=username, defaults=fields)
        user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
        user._eximee_roles = None
        return user

    return make


@pytest.fixture
def api_client_for(make_user):
    """api_client_for("case-writer") -> an APIClient authenticated as a user with those roles.

    Authentication itself is tested against a real OpenID provider in tests/eximee/security;
    domain tests authenticate directly so they exercise their own behaviour."""

    def make(*roles, username=None):
        user = make_user(username or "-".join(roles) or "no-roles", *roles)
        client = APIClient()
        client.force_authenticate(user)
        client.user = user
        return client

    return make


def _worker_env(database_name):
    env = dict(os.environ)
    db = settings.DATABASES["default"]
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database_name}"
    )
    env.setdefault("CELERY_VISIBILITY_TIMEOUT", "10")
    return env


class CeleryWorker:
    """A real `celery worker` process on the test broker and the test database."""

    def __init__(self, database_name, *extra_args):
        self.database_name = database_name
        self.extra_args = extra_args
        self.process = None

    def start(self, timeout=30):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "eximee", "worker", "--loglevel=WARNING",
             "--concurrency=1", "--without-gossip", "--without-mingle", *self.extra_args],
            cwd=ROOT, env=_worker_env(self.database_name),
            start_new_session=True,
        )
        from eximee.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited with {self.process.returncode}")
            if app.control.ping(timeout=0.5):
                return self
        self.stop()
        raise RuntimeError("celery worker did not answer a ping in time")

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def celery_worker(transactional_db):
    """A worker for one test. Tests using it must commit their data (transactional_db) because the
    worker reads the database from another process."""
    from eximee.celery import app

    app.control.purge()
    worker = CeleryWorker(settings.DATABASES["default"]["NAME"]).start()
    yield worker
    worker.stop()
