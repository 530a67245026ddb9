"""Our own application as the remote engine: gunicorn serving /engine-rest (the embedded engine
behind the Camunda 7 facade) on a second database, authenticated by tokens of the test OpenID
provider. The tests' Django process is the Eximee that fronts it with EXIMEE_ENGINE=camunda7: two
databases, so the engine's rows and our projection rows of the same instance never collide."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg
from django.conf import settings

from tests.oidc_fixtures import API_AUDIENCE, free_port

ROOT = Path(__file__).resolve().parents[3]
ADAPTER_ROLES = ("admin", "deployer", "process-starter", "task-manager", "task-worker", "operator",
                 "service-worker", "auditor")


class EngineServer:
    def __init__(self, oidc_provider):
        db = settings.DATABASES["default"]
        self.database = f"{db['NAME']}_engine"
        self.dsn_base = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.oidc = oidc_provider
        self.client_id, self.client_secret = oidc_provider.client_for(ADAPTER_ROLES)
        self.process = None

    def env(self):
        return {**os.environ, "DATABASE_URL": f"{self.dsn_base}/{self.database}", "EXIMEE_ENGINE": "embedded",
                "BPMS_BUILTIN_HANDLERS": "false", "RATE_LIMIT_ENABLED": "false",
                "OIDC_ISSUER": self.oidc.issuer, "OIDC_AUDIENCE": API_AUDIENCE,
                "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "4",
                "DJANGO_SETTINGS_MODULE": "eximee.settings"}

    def start(self, timeout=120):
        with psycopg.connect(f"{self.dsn_base}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{self.database}"')
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=self.env(),
                       check=True)
        self.process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                                         "eximee.wsgi:application"], cwd=ROOT, env=self.env(),
                                        stdout=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the engine server exited with {self.process.returncode}")
            try:
                httpx.get(f"{self.url}/engine-rest/process-definition", timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the engine server did not start in time")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def token(self):
        return self.oidc.token_for(client=(self.client_id, self.client_secret))

    def configure(self, settings):
        """Point this test's Django at the engine server, as an operator would with the environment."""
        settings.EXIMEE_ENGINE = "camunda7"
        settings.CAMUNDA7_BASE_URL = f"{self.url}/engine-rest"
        settings.CAMUNDA7_AUTH = "oauth2"
        settings.CAMUNDA7_TOKEN_URL = f"{self.oidc.issuer}/token"
        settings.CAMUNDA7_CLIENT_ID, settings.CAMUNDA7_CLIENT_SECRET = self.client_id, self.client_secret
        settings.CAMUNDA7_TOKEN_RESOURCE = API_AUDIENCE
        settings.CAMUNDA7_RETRY_BACKOFF_SECONDS = 0.1
