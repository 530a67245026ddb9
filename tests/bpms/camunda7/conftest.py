import json

import httpx
import pytest

from bpms.engine import get_engine
from bpms.engine.camunda7.client import RemoteClient
from tests.bpms.engine_support import deploy
from tests.oidc_fixtures import oidc_provider  # noqa: F401 (a fixture)

from .engine_server import EngineServer


class ScriptedEngine:
    """An httpx transport answering from a table {(method, path): answer}; an answer is
    (status, body), an exception to raise, or a list of those consumed one per request."""

    def __init__(self):
        self.answers = {}
        self.requests = []
        self.authorizations = []     # as sent: an auth flow may change a request's headers later

    def on(self, method, path, *answers):
        self.answers[(method, path)] = list(answers) if len(answers) > 1 else answers[0]
        return self

    def __call__(self, request):
        self.requests.append(request)
        self.authorizations.append(request.headers.get("Authorization"))
        key = (request.method, request.url.path.removeprefix("/engine-rest"))
        answer = self.answers.get(key)
        if answer is None:
            return httpx.Response(404, json={"type": "RestException", "message": f"no answer for {key}"})
        if isinstance(answer, list):
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        if isinstance(body, str):
            return httpx.Response(status, text=body, headers={"Content-Type": "text/html"})
        return httpx.Response(status) if body is None else httpx.Response(status, json=body)

    def calls(self, method, path):
        return [r for r in self.requests if r.method == method and r.url.path == "/engine-rest" + path]

    def body_of(self, method, path, index=-1):
        return json.loads(self.calls(method, path)[index].content)


@pytest.fixture
def scripted():
    return ScriptedEngine()


@pytest.fixture
def scripted_client(scripted):
    return RemoteClient("http://engine.test/engine-rest", transport=httpx.MockTransport(scripted),
                        retries=2, backoff=0)


@pytest.fixture
def scripted_engine(settings, scripted_client):
    """EXIMEE_ENGINE=camunda7 for this test, its client talking to the scripted engine."""
    settings.EXIMEE_ENGINE = "camunda7"
    get_engine.cache_clear()
    engine = get_engine()
    engine.client = scripted_client
    yield engine
    get_engine.cache_clear()


@pytest.fixture(scope="session")
def engine_server(oidc_provider):  # noqa: F811
    server = EngineServer(oidc_provider).start()
    yield server
    server.stop()


class OnEngine:
    """The engine a parametrised /v1 scenario runs on: `deploy(client, *files)` deploys through our
    /v1/deployments, so on camunda7 through Camunda7Engine.deploy (the engine's POST
    /deployment/create)."""

    def __init__(self, kind, server=None):
        self.kind, self.server = kind, server

    def deploy(self, client, *filenames):
        return deploy(client, *filenames)


@pytest.fixture
def camunda7(settings, engine_server):
    """This test's Django fronts the engine server with EXIMEE_ENGINE=camunda7."""
    engine_server.configure(settings)
    get_engine.cache_clear()
    yield OnEngine("camunda7", engine_server)
    get_engine.cache_clear()


@pytest.fixture(params=["embedded", "camunda7"])
def on_engine(request):
    if request.param == "embedded":
        return OnEngine("embedded")
    return request.getfixturevalue("camunda7")
