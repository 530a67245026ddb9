"""50 clients (each its own OIDC client, so its own user) race against the same instances on
gunicorn: all correlate the message each instance waits for, then all claim its task, then all
complete it. One winner per instance and step, every loser a 4xx that says why, no 5xx, no
deadlock, and the final state consistent."""

import random
import threading
from collections import Counter

import httpx
import psycopg
import pytest
from django.conf import settings

from bpms.models import ActivityInstance, ProcessInstance, UserTask
from tests.bpms.async_support import deploy, start

from .support import Gunicorn, server_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]

CLIENTS = 50
INSTANCES = 4
# A correlation that finds the subscription already consumed finds nothing waiting: 404 (Camunda
# answers its MismatchingMessageCorrelationException the same way); one that loses the race for
# it while it still waits is a 409.
LOSERS = {"correlate": {404, 409}, "claim": {409}, "complete": {409}}


def deadlocks():
    db = settings.DATABASES["default"]
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                         password=db["PASSWORD"] or None, dbname=db["NAME"], autocommit=True) as side:
        return side.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()").fetchone()[0]


@pytest.fixture
def server(oidc_provider):
    gunicorn = Gunicorn(server_env(oidc_provider), workers=2, threads=8).start()
    yield gunicorn
    gunicorn.stop()


def test_racing_clients_have_one_winner_per_step_and_leave_a_consistent_state(server, oidc_provider):
    deploy("async_message_catch.bpmn")
    keys = [f"ORDER-{n}" for n in range(INSTANCES)]
    instances = {key: start("async-message-catch", business_key=key).id for key in keys}
    tokens = [oidc_provider.token_for(client=oidc_provider.register_client(["task-manager", "event-publisher"]))
              for _ in range(CLIENTS)]
    deadlocks_before = deadlocks()
    outcomes = {step: Counter() for step in LOSERS}
    winners = {step: Counter() for step in LOSERS}
    lock = threading.Lock()

    def ship_task(key):
        return UserTask.objects.filter(business_key=key, task_definition_key="ship").values_list("id", flat=True)

    def race(step, send):
        barrier = threading.Barrier(CLIENTS)

        def client(token):
            with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=120) as http:
                barrier.wait()
                for key in random.sample(keys, len(keys)):
                    status = send(http, key).status_code
                    with lock:
                        outcomes[step][status] += 1
                        if status == 200:
                            winners[step][key] += 1

        threads = [threading.Thread(target=client, args=(token,)) for token in tokens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=240)
        assert not any(thread.is_alive() for thread in threads), f"{step}: clients still waiting (deadlock?)"

    race("correlate", lambda http, key: http.post("/v1/messages", json={"messageName": "PaymentReceived",
                                                                        "businessKey": key}))
    tasks = {key: str(ship_task(key).get()) for key in keys}
    race("claim", lambda http, key: http.post(f"/v1/tasks/{tasks[key]}/claim"))
    race("complete", lambda http, key: http.post(f"/v1/tasks/{tasks[key]}/complete", json={"variables": {}}))

    for step, losers in LOSERS.items():
        assert winners[step] == Counter({key: 1 for key in keys}), (step, outcomes[step])
        assert set(outcomes[step]) - {200} <= losers, (step, outcomes[step])
        assert sum(outcomes[step].values()) == CLIENTS * INSTANCES
    assert deadlocks() == deadlocks_before

    for key, instance_id in instances.items():
        instance = ProcessInstance.objects.get(id=instance_id)
        assert (instance.state, list(instance.active_activity_ids)) == ("completed", [])
        task = UserTask.objects.get(business_key=key, task_definition_key="ship")
        assert task.state == "completed" and task.assignee and task.completed_by
        history = Counter(ActivityInstance.objects.filter(process_instance_id=instance_id, ended_at__isnull=False)
                          .values_list("activity_id", flat=True))
        assert history == Counter({"start": 1, "waitForPayment": 1, "ship": 1, "end": 1})
        assert not ActivityInstance.objects.filter(process_instance_id=instance_id, ended_at__isnull=True).exists()
