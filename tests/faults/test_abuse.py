"""Abusive requests to gunicorn: a huge BPMN upload, an oversized and a deeply nested JSON body, and
BPMN with entity expansion ("billion laughs") or an external entity. Each is a clear 4xx, and the
worker's peak memory grows by far less than what was sent. (Smaller cases of each are tested
beside their code: tests/eximee/test_problems.py, tests/bpms/test_deployments.py.)"""

from pathlib import Path

import httpx
import pytest

from .support import Gunicorn, server_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]

MB = 1024 * 1024
BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                             for n in range(1, 10))
                  + b']><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
                  b'<bpmn:process id="p" isExecutable="true"><bpmn:documentation>&lol9;</bpmn:documentation>'
                  b'</bpmn:process></bpmn:definitions>')
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/evil.dtd"> %ext;]>'
                   b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>')


def peak_memory_kb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])


@pytest.fixture
def server(oidc_provider):
    gunicorn = Gunicorn(server_env(oidc_provider), workers=1, threads=1).start()
    children = Path(f"/proc/{gunicorn.process.pid}/task/{gunicorn.process.pid}/children").read_text().split()
    gunicorn.worker_pid = int(children[0])
    token = oidc_provider.token_for(roles=["deployer", "process-starter"])
    gunicorn.client = httpx.Client(base_url=gunicorn.url, headers={"Authorization": f"Bearer {token}"}, timeout=120)
    gunicorn.client.get("/v1/process-definitions").raise_for_status()  # the worker has loaded everything
    yield gunicorn
    gunicorn.client.close()
    gunicorn.stop()


def upload(server, name, content):
    return server.client.post("/v1/deployments", data={"name": "abuse"}, files={"files": (name, content)})


def assert_problem(response, status, slug):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == f"urn:eximee:problem:{slug}"
    return response.json()


def test_abusive_requests_are_clear_4xx_in_bounded_memory(server):
    before = peak_memory_kb(server.worker_pid)

    huge = b'<?xml version="1.0"?><bpmn:definitions>' + b"<!-- padding -->" * (64 * MB // 16)
    body = assert_problem(upload(server, "huge.bpmn", huge), 400, "validation-error")
    assert body["errors"][0]["pointer"] == "/files/huge.bpmn" and "larger than" in body["errors"][0]["detail"]

    oversized = b'{"processDefinitionKey": "x", "processVariables": {"blob": "' + b"x" * (32 * MB) + b'"}}'
    response = server.client.post("/v1/process-instances", content=oversized,
                                  headers={"Content-Type": "application/json"})
    assert_problem(response, 413, "payload-too-large")

    nested = b'{"processDefinitionKey": "x", "processVariables": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    response = server.client.post("/v1/process-instances", content=nested, headers={"Content-Type": "application/json"})
    assert_problem(response, 400, "malformed-request")

    # libxml2 stops the expansion itself (amplification limit) before our DOCTYPE check runs.
    body = assert_problem(upload(server, "laughs.bpmn", BILLION_LAUGHS), 422, "unprocessable")
    assert "amplification" in body["errors"][0]["detail"] or "DOCTYPE" in body["errors"][0]["detail"]
    body = assert_problem(upload(server, "external.bpmn", EXTERNAL_ENTITY), 422, "unprocessable")
    assert body["errors"][0]["detail"] == "DOCTYPE declarations are not allowed"

    grown_mb = (peak_memory_kb(server.worker_pid) - before) / 1024
    assert grown_mb < 24, f"the worker's peak memory grew by {grown_mb:.0f} MB for 96 MB of abusive bodies"
    assert server.client.get("/v1/process-definitions").json()["count"] == 0
