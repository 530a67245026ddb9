"""Redis (broker and cache) dies while instances are started and tasks completed, and comes back.

gunicorn, a Celery worker with beat and a private redis-server run as in production; the Redis
is killed with SIGKILL (no persistence: whatever was queued is gone) and restarted on its port."""

import httpx
import pytest

from bpms.models import ProcessInstance, UserTask
from eximee.models import OutboxMessage
from tests.bpms.async_support import deploy, wait_until

from .support import Gunicorn, PrivateRedis, WorkerWithBeat, server_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]


@pytest.fixture
def stack(oidc_provider, tmp_path):
    redis = PrivateRedis().start()
    env = server_env(oidc_provider, REDIS_URL=redis.url, CELERY_BROKER_URL=redis.url,
                     CELERY_RESULT_BACKEND=redis.url, OUTBOX_RELAY_SECONDS="1", RATE_LIMIT_ENABLED="true")
    server = Gunicorn(env, workers=1, threads=4).start()
    worker = WorkerWithBeat(env, tmp_path / "beat-schedule").start()
    token = oidc_provider.token_for(roles=["process-starter", "task-manager"])
    client = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
    yield redis, client
    client.close()
    worker.stop()
    server.stop()
    redis.kill()


def continued(instance_id):
    return UserTask.objects.filter(process_instance_id=instance_id, task_definition_key="step").count()


def assert_problem_if_failed(response):
    if response.status_code >= 500:
        assert response.status_code == 503, response.text
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json()["type"] == "urn:eximee:problem:service-unavailable"


def test_work_accepted_while_redis_is_down_is_done_once_it_is_back(stack):
    redis, api = stack
    deploy("async_continuation.bpmn", "review_loop.bpmn")
    before = api.post("/v1/process-instances", json={"processDefinitionKey": "async-continuation"})
    assert before.status_code == 201, before.text
    wait_until(lambda: continued(before.json()["id"]), timeout=60, interval=0.2)
    review = api.post("/v1/process-instances", json={"processDefinitionKey": "review-loop",
                                                      "processVariables": {"author": "ann"}}).json()

    redis.kill()
    during = [api.post("/v1/process-instances", json={"processDefinitionKey": "async-continuation",
                                                      "businessKey": f"OUTAGE-{n}"}) for n in range(3)]
    completion = api.post(f"/v1/tasks/{review['openTasks'][0]['id']}/complete", json={"variables": {"accepted": True}})
    ready = api.get("/health/ready")

    for response in during + [completion]:
        assert_problem_if_failed(response)
        assert response.status_code in (200, 201), response.text
    assert ready.status_code == 503 and ready.json()["checks"]["redis"]["status"] == "error"
    outage_ids = [response.json()["id"] for response in during]
    assert ProcessInstance.objects.filter(id__in=outage_ids).count() == 3
    assert UserTask.objects.get(id=review["openTasks"][0]["id"]).state == "completed"
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() >= 3
    assert not any(continued(instance_id) for instance_id in outage_ids)

    redis.start()
    wait_until(lambda: all(continued(instance_id) for instance_id in outage_ids), timeout=120, interval=0.5)
    wait_until(lambda: not OutboxMessage.objects.filter(sent_at__isnull=True).exists(), timeout=30, interval=0.5)
    assert [continued(instance_id) for instance_id in outage_ids] == [1, 1, 1]
    wait_until(lambda: api.get("/health/ready").status_code == 200, timeout=30, interval=0.5)
