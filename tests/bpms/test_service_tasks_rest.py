"""The service-task REST API on its own tables: fetch-and-lock, locks, 404/409/403, failures."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bpms.api.external_tasks import allowed_topic_patterns, check_topic
from bpms.engine.interface import ServiceTaskWait, WaitStates
from bpms.models import ExternalTask, ProcessVariable
from bpms.services import external_tasks, waits
from eximee.errors import PermissionDenied

from .async_support import instance_row

pytestmark = pytest.mark.django_db

FETCH = "/v1/service-tasks/fetch-and-lock"


def waiting_task(topic="payments.charge", business_key=None, **variables):
    instance = instance_row(business_key=business_key)
    for name, value in variables.items():
        ProcessVariable.objects.create(process_instance=instance, name=name, type="String", value=value)
    waits.sync(instance, WaitStates(service_tasks=(ServiceTaskWait(uuid.uuid4().hex, "charge", "Charge", topic),)))
    return ExternalTask.objects.get(process_instance=instance)


def fetch(client, worker="w1", topic="payments.charge", lock=60_000, max_tasks=10, **extra):
    body = {"workerId": worker, "maxTasks": max_tasks,
            "topics": [{"topicName": topic, "lockDuration": lock, **extra.pop("topic_fields", {})}], **extra}
    response = client.post(FETCH, body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def worker(api_client_for):
    return api_client_for("service-worker")


def test_fetch_locks_the_task_for_the_worker_with_the_requested_variables(worker):
    task = waiting_task(business_key="CASE-7", amount="100", secret="x")

    fetched = fetch(worker, topic_fields={"variables": ["amount"]})

    assert [t["id"] for t in fetched] == [str(task.id)]
    assert fetched[0]["workerId"] == "w1" and fetched[0]["businessKey"] == "CASE-7"
    assert fetched[0]["variables"] == {"amount": "100"}
    assert fetched[0]["retries"] is None and fetched[0]["lockExpirationTime"]
    assert fetch(worker, worker="w2") == []


def test_priority_order_when_asked(worker):
    low, high = waiting_task(), waiting_task()
    ExternalTask.objects.filter(id=high.id).update(priority=10)

    fetched = fetch(worker, max_tasks=1, usePriority=True)

    assert fetched[0]["id"] == str(high.id) and low.id != high.id


def test_one_statement_locks_the_oldest_tasks_of_every_topic_each_for_its_topics_duration():
    charge, mail, later = waiting_task(), waiting_task(topic="mail.send"), waiting_task()
    topics = [external_tasks.TopicRequest("payments.charge", timedelta(minutes=1), variables=()),
              external_tasks.TopicRequest("mail.send", timedelta(minutes=10), variables=())]

    with CaptureQueriesContext(connection) as queries:
        fetched = external_tasks.fetch_and_lock(worker_id="w9", max_tasks=2, topics=topics)

    assert len(queries) == 1 and queries[0]["sql"].startswith('UPDATE "bpms_externaltask"')
    assert [task.id for task in fetched] == [charge.id, mail.id]
    rows = {row.id: row for row in ExternalTask.objects.filter(id__in=[charge.id, mail.id, later.id])}
    assert [rows[task.id].lock_expires_at for task in fetched] == [task.lock_expires_at for task in fetched]
    assert rows[mail.id].lock_expires_at - rows[charge.id].lock_expires_at == timedelta(minutes=9)
    assert {rows[charge.id].worker_id, rows[mail.id].worker_id} == {"w9"} and rows[later.id].worker_id == ""


def test_wrong_worker_gets_409_and_unknown_task_404(worker):
    task = waiting_task()
    fetch(worker)

    for action, body in (("complete", {}), ("failure", {"retries": 1}), ("bpmn-error", {"errorCode": "E"}),
                         ("extend-lock", {"newDuration": 1000})):
        response = worker.post(f"/v1/service-tasks/{task.id}/{action}", {"workerId": "intruder", **body}, format="json")
        assert response.status_code == 409, (action, response.content)
        assert response["Content-Type"] == "application/problem+json"
    missing = worker.post(f"/v1/service-tasks/{uuid.uuid4()}/complete", {"workerId": "w1"}, format="json")
    assert missing.status_code == 404


def test_extend_lock_and_unlock(worker):
    task = waiting_task()
    fetch(worker, lock=1000)

    assert worker.post(f"/v1/service-tasks/{task.id}/extend-lock", {"workerId": "w1", "newDuration": 600_000},
                       format="json").status_code == 204
    task.refresh_from_db()
    assert (task.lock_expires_at - task.created_at).total_seconds() > 500
    assert worker.post(f"/v1/service-tasks/{task.id}/unlock").status_code == 204
    assert [t["id"] for t in fetch(worker, worker="w2")] == [str(task.id)]


def test_failure_with_retries_left_makes_the_task_fetchable_again_after_the_timeout(worker):
    task = waiting_task()
    fetch(worker)

    response = worker.post(f"/v1/service-tasks/{task.id}/failure",
                           {"workerId": "w1", "errorMessage": "timeout", "retries": 2, "retryTimeout": 60_000},
                           format="json")

    assert response.status_code == 204
    assert fetch(worker) == []   # waits out the retry timeout
    ExternalTask.objects.filter(id=task.id).update(lock_expires_at=None)
    again = fetch(worker)
    assert again[0]["retries"] == 2 and again[0]["errorMessage"] == "timeout"


def test_invalid_requests_are_400_problems(worker):
    for body in ({"workerId": "w", "maxTasks": 0, "topics": [{"topicName": "t", "lockDuration": 1}]},
                 {"workerId": "w", "maxTasks": 1, "topics": []},
                 {"maxTasks": 1, "topics": [{"topicName": "t", "lockDuration": 1}]},
                 {"workerId": "w", "maxTasks": 1, "topics": [{"topicName": "t", "lockDuration": -5}]}):
        response = worker.post(FETCH, body, format="json")
        assert response.status_code == 400, body
        assert response["Content-Type"] == "application/problem+json"


def test_a_bearer_callers_topic_patterns_come_from_its_token_groups_without_a_query():
    # what bearer authentication puts on the user it mirrored from a token
    user = User(username="payments-worker")
    user._eximee_roles = frozenset({"service-worker"})
    user._eximee_groups = ["service-worker", "service-worker:payments.*", "service-worker:mail.?"]

    with CaptureQueriesContext(connection) as queries:
        assert allowed_topic_patterns(user) == ["payments.*", "mail.?"]
        check_topic(user, "payments.charge")
        with pytest.raises(PermissionDenied):
            check_topic(user, "ledger.post")

    assert len(queries) == 0


def test_topic_restricted_workers(api_client_for, make_user):
    client = api_client_for("service-worker", "service-worker:payments.*", username="payments-worker")
    task = waiting_task(topic="payments.charge")
    other = waiting_task(topic="mail.send")

    assert [t["id"] for t in fetch(client, topic="payments.charge")] == [str(task.id)]
    denied = client.post(FETCH, {"workerId": "w", "maxTasks": 1,
                                 "topics": [{"topicName": "mail.send", "lockDuration": 1000}]}, format="json")
    assert denied.status_code == 403
    assert client.post(f"/v1/service-tasks/{other.id}/unlock").status_code == 403


def test_a_topic_restricted_worker_lists_and_reads_only_its_topics(api_client_for):
    charge = waiting_task(topic="payments.charge")
    refund = waiting_task(topic="payments.refund")
    mail = waiting_task(topic="mail.send")
    waiting_task(topic="paymentsX")  # "payments.*" is a pattern: the dot is literal
    restricted = api_client_for("service-worker", "service-worker:payments.*", "service-worker:mail.sen?",
                                username="payments-worker")

    listed = restricted.get("/v1/service-tasks").json()
    narrowed = restricted.get("/v1/service-tasks", {"topicName": "mail.send"}).json()

    assert sorted(t["id"] for t in listed["results"]) == sorted(str(t.id) for t in (charge, refund, mail))
    assert listed["count"] == 3
    assert [t["id"] for t in narrowed["results"]] == [str(mail.id)]
    payments_only = api_client_for("service-worker", "service-worker:payments.*", username="payments-only")
    assert payments_only.get(f"/v1/service-tasks/{charge.id}").status_code == 200
    assert payments_only.get(f"/v1/service-tasks/{mail.id}").status_code == 403
    assert api_client_for("service-worker").get("/v1/service-tasks").json()["count"] == 4  # unrestricted


def test_only_service_workers_fetch(api_client_for):
    response = api_client_for("task-worker").post(
        FETCH, {"workerId": "w", "maxTasks": 1, "topics": [{"topicName": "t", "lockDuration": 1}]}, format="json")
    assert response.status_code == 403


def test_list_filters(api_client_for, worker):
    charge = waiting_task(topic="payments.charge", business_key="CASE-1")
    waiting_task(topic="mail.send", business_key="CASE-2")
    fetch(worker)
    operator = api_client_for("operator")

    by_topic = operator.get("/v1/service-tasks", {"topicName": "payments.charge"}).json()
    locked = operator.get("/v1/service-tasks", {"locked": "true"}).json()
    by_key = operator.get("/v1/service-tasks", {"businessKey": "CASE-2"}).json()

    assert [t["id"] for t in by_topic["results"]] == [str(charge.id)]
    assert [t["id"] for t in locked["results"]] == [str(charge.id)]
    assert [t["topicName"] for t in by_key["results"]] == ["mail.send"]
    assert operator.get(f"/v1/service-tasks/{charge.id}").json()["workerId"] == "w1"
    assert operator.get("/v1/service-tasks", {"processInstanceId": "nope"}).status_code == 400
