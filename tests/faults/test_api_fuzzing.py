"""API fuzzing: schemathesis generates requests for every operation of /v1/schema/ and sends them,
with a real OIDC token holding every role, to the WSGI application. No 500s, every response
matches the schema, every error is problem+json. Bounded: a fixed number of examples per operation
and generation mode, no shrinking; rate limiting is off for the run.

Each example runs in a savepoint that is rolled back, so every request sees the same seeded data
(deployed models, a running instance with an open task) and none sees another's leftovers."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks as core_checks
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi import checks as openapi_checks

from bpms import longpoll
from eximee.roles import ALL_ROLES
from tests.bpms.engine_support import deploy, start

EXAMPLES_PER_OPERATION = {schemathesis.GenerationMode.POSITIVE: 6, schemathesis.GenerationMode.NEGATIVE: 3}


def problem_json_errors(ctx, response, case):
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/problem+json"), f"{response.status_code} answered as {content_type!r}"
    body = response.json()
    assert body["status"] == response.status_code, body
    assert body["type"].startswith("urn:eximee:problem:"), body
    return None


CHECKS = [core_checks.not_a_server_error, openapi_checks.status_code_conformance,
          openapi_checks.content_type_conformance, openapi_checks.response_schema_conformance,
          problem_json_errors]


@pytest.fixture
def seeded(api_client_for):
    client = api_client_for("deployer", "process-starter")
    deploy(client, "loan_application.bpmn", "review_loop.bpmn")
    start(client, "review-loop", {"author": "ann"}, businessKey="FUZZ-1")


@pytest.fixture
def wsgi_app(seeded, oidc_settings):
    """The application as a WSGI server runs it, but on the test's connection: Django closes the
    connection at the end of each request, which would end the test's transaction. (Django's test
    client disconnects these handlers only while it sends a request, so seeding comes first.)"""
    oidc_settings.RATE_LIMIT_ENABLED = False
    # An empty fetch-and-lock waits up to this long: the fuzzer checks what it answers, not how long
    # it waits (tests/bpms/test_service_tasks_long_polling.py does).
    oidc_settings.BPMS_MAX_LONG_POLL_SECONDS = 0.2
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    longpoll.close_listener()  # an empty fetch-and-lock's listening connection would keep the test database open
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def fuzz(operation, mode, headers):
    failures = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES_PER_OPERATION[mode], deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        with transaction.atomic():
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            except FailureGroup as group:
                found, _, reproduce = str(group).partition("Reproduce with:")
                failures.append(f"{operation.label} [{mode}]: {found[:1200]}\n{reproduce.strip()}")
            finally:
                transaction.set_rollback(True)

    run()
    return failures[:2]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("mode", list(EXAMPLES_PER_OPERATION))
def test_every_operation_answers_within_its_schema(wsgi_app, oidc_provider, mode):
    schema = schemathesis.openapi.from_wsgi("/v1/schema/", wsgi_app)
    headers = {"Authorization": f"Bearer {oidc_provider.token_for(roles=ALL_ROLES)}"}
    failures = []
    for result in schema.get_all_operations():
        failures.extend(fuzz(result.ok(), mode, headers))
    assert not failures, "\n\n".join(failures)
