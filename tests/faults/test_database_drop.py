"""The database connection of a request is killed while the request runs (pg_terminate_backend from
another connection): the caller gets 503 problem+json, nothing of the operation is written, and
the next request works on a fresh connection."""

import threading

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from bpms.models import ActivityInstance, ProcessInstance, ProcessVariable, UserTask, VariableChange
from eximee.models import OutboxMessage, TimelineEvent
from tests.bpms.async_support import wait_until
from tests.bpms.engine_support import complete, deploy, start

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]

WRITTEN_BY_A_COMPLETION = (ActivityInstance, VariableChange, TimelineEvent, ProcessVariable, OutboxMessage)


def side_connection(autocommit):
    db = settings.DATABASES["default"]
    return psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                           password=db["PASSWORD"] or None, dbname=db["NAME"], autocommit=autocommit)


def backend_waiting_on_a_lock(observer):
    # Its own autocommit connection: pg_stat_activity is read once per transaction.
    row = observer.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'").fetchone()
    return row and row[0]


def test_a_request_whose_connection_is_killed_answers_503_and_writes_nothing(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, "review_loop.bpmn")
    started = start(client, "review-loop", {"author": "ann"})
    task_id = started["openTasks"][0]["id"]
    engine_state = ProcessInstance.objects.get(id=started["id"]).engine_state
    counts = [model.objects.count() for model in WRITTEN_BY_A_COMPLETION]
    responses = []

    def completion():
        try:
            responses.append(complete(client, task_id, {"accepted": True}))
        finally:
            connection.close()

    with side_connection(autocommit=False) as holder, side_connection(autocommit=True) as observer:
        # Hold the instance's row so the completion stops inside its transaction, then kill it there.
        holder.execute("SELECT 1 FROM bpms_processinstance WHERE id = %s FOR UPDATE", [started["id"]])
        request = threading.Thread(target=completion)
        request.start()
        victim = wait_until(lambda: backend_waiting_on_a_lock(observer), timeout=30, interval=0.05)
        assert observer.execute("SELECT pg_terminate_backend(%s)", [victim]).fetchone()[0]
        request.join(timeout=60)
        holder.rollback()

    response = responses[0]
    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:eximee:problem:service-unavailable"
    assert response["Retry-After"]
    assert UserTask.objects.get(id=task_id).state == "created"
    assert ProcessInstance.objects.get(id=started["id"]).engine_state == engine_state
    assert [model.objects.count() for model in WRITTEN_BY_A_COMPLETION] == counts

    assert complete(client, task_id, {"accepted": True}).status_code == 200
    assert UserTask.objects.get(id=task_id).state == "completed"
