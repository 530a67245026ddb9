"""The production-like stack `python manage.py bench all` measures: gunicorn (the production
gunicorn.conf.py: several gthread workers) on loopback, a Celery worker and beat, PostgreSQL and
Redis from the environment, and real bearer tokens.

Tokens: the harness is its own OpenID provider for the run. It makes a fresh RSA key, serves the
discovery document and the JWKS on a loopback port and points the server's OIDC_ISSUER at it, so
every request goes through the same JWT verification, claim mapping and user cache as production
(a node provider would only add a process and a login round trip that the benchmark does not
measure). Audit stays on; the rate limits are raised above the load instead of switched off, so
their Redis counter is still paid for on every request.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

AUDIENCE = "eximee-bench"
BENCH_ROLES = ("process-starter", "task-worker", "service-worker", "event-publisher", "operator")
UNLIMITED = "100000000/min"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BenchIssuer:
    """A minimal OpenID provider on loopback: discovery + JWKS, and tokens signed with its key."""

    def __init__(self):
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._kid = f"bench-{uuid.uuid4().hex[:8]}"
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        jwks = json.dumps({"keys": [{**public, "kid": self._kid, "use": "sig", "alg": "RS256"}]}).encode()
        self.url = f"http://127.0.0.1:{free_port()}"
        discovery = json.dumps({"issuer": self.url, "jwks_uri": f"{self.url}/jwks"}).encode()
        documents = {"/.well-known/openid-configuration": discovery, "/jwks": jwks}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = documents.get(self.path)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body or b"{}")

            def log_message(self, *args):
                pass

        port = int(self.url.rsplit(":", 1)[1])
        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def token(self, client_id="bench-client", roles=BENCH_ROLES, lifetime=7200):
        now = int(time.time())
        claims = {"iss": self.url, "aud": AUDIENCE, "sub": client_id, "client_id": client_id, "iat": now,
                  "exp": now + lifetime, "realm_access": {"roles": list(roles)}}
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self._kid})

    def close(self):
        self._server.shutdown()
        self._server.server_close()


def process_rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def child_pids(pid):
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(n) for n in (task / "children").read_text().split()]
        except OSError:
            pass
    return children


class Stack:
    """gunicorn + Celery worker + beat as child processes, logs under `log_dir`."""

    def __init__(self, issuer, log_dir, worker_concurrency=2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_dir = Path(log_dir)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.worker_concurrency = worker_concurrency
        self.env = {**os.environ, "DEBUG": "false", "OIDC_ISSUER": issuer.url, "OIDC_AUDIENCE": AUDIENCE,
                    "GUNICORN_BIND": f"127.0.0.1:{self.port}", "ALLOWED_HOSTS": "127.0.0.1,localhost",
                    "RATE_LIMITS": f"default={UNLIMITED},service-worker={UNLIMITED},admin={UNLIMITED}",
                    "SECURE_SSL_REDIRECT": "false"}
        self._processes = {}

    def _spawn(self, name, *args):
        log = open(self.log_dir / f"{name}.log", "ab")
        self._processes[name] = (subprocess.Popen([sys.executable, "-m", *args], cwd=settings.BASE_DIR, env=self.env,
                                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True), log)

    def start_web(self):
        self._spawn("gunicorn", "gunicorn", "eximee.wsgi", "-c", str(settings.BASE_DIR / "gunicorn.conf.py"))

    def start_celery(self):
        self._spawn("celery-worker", "celery", "-A", "eximee", "worker", "--loglevel=WARNING",
                    f"--concurrency={self.worker_concurrency}", "--without-gossip", "--without-mingle")
        self._spawn("celery-beat", "celery", "-A", "eximee", "beat", "--loglevel=WARNING",
                    f"--schedule={self.log_dir / 'celerybeat-schedule'}")

    def stop_celery(self):
        for name in ("celery-worker", "celery-beat"):
            self._stop(name)

    def wait_ready(self, timeout=90):
        """Until /health/ready says 200 (database, Redis and a Celery worker answer)."""
        deadline = time.monotonic() + timeout
        while True:
            for name, (process, _) in self._processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}; see {self.log_dir / name}.log")
            try:
                with urllib.request.urlopen(f"{self.base}/health/ready", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server was not ready after {timeout} s; see the logs in {self.log_dir}")
            time.sleep(0.5)

    @property
    def web_workers(self):
        return child_pids(self._processes["gunicorn"][0].pid)

    def web_worker_rss_mb(self):
        """Resident memory of each gunicorn worker (MB)."""
        return [rss for rss in map(process_rss_mb, self.web_workers) if rss is not None]

    def _stop(self, name):
        process, log = self._processes.pop(name, (None, None))
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()

    def stop(self):
        for name in list(self._processes):
            self._stop(name)


def drive(stack, token, kind, **scenario):
    """Runs one scenario in the separate load-generator process (eximee/loadgen.py)."""
    scenario = {"base": stack.base, "token": token, "kind": kind, **scenario}
    completed = subprocess.run([sys.executable, "-m", "eximee.loadgen"], input=json.dumps(scenario), text=True,
                               capture_output=True, cwd=settings.BASE_DIR,
                               timeout=scenario.get("duration", 60) + 120)
    if completed.returncode != 0:
        raise RuntimeError(f"the load generator failed ({kind}): {completed.stderr[-2000:]}")
    return json.loads(completed.stdout)
