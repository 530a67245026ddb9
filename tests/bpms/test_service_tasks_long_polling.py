"""Long polling and concurrency of fetch-and-lock: real commits from other threads (connections)."""

import threading
import time
import uuid

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from bpms import longpoll
from bpms.engine.interface import ServiceTaskWait, WaitStates
from bpms.services import waits

from .async_support import instance_row

pytestmark = pytest.mark.django_db(transaction=True)

FETCH = "/v1/service-tasks/fetch-and-lock"


def create_task(topic="long.poll"):
    with transaction.atomic():
        instance = instance_row()
        waits.sync(instance, WaitStates(service_tasks=(ServiceTaskWait(uuid.uuid4().hex, "a", "A", topic),)))
    return instance


def fetch(client, worker, timeout_ms=0, lock=60_000, max_tasks=1, topic="long.poll"):
    response = client.post(FETCH, {"workerId": worker, "maxTasks": max_tasks, "asyncResponseTimeout": timeout_ms,
                                   "topics": [{"topicName": topic, "lockDuration": lock}]}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def in_thread(target):
    def run():
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.fixture(autouse=True)
def close_listener():
    yield
    longpoll.close_listener()


@pytest.fixture
def client_for_thread(make_user):
    user = make_user("poller", "service-worker")

    def make():
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def test_an_empty_fetch_returns_only_after_the_timeout(client_for_thread):
    started = time.monotonic()
    assert fetch(client_for_thread(), "w1", timeout_ms=1500) == []
    assert 1.5 <= time.monotonic() - started < 3.0


def test_a_waiting_fetch_wakes_within_a_second_of_a_task_appearing(client_for_thread):
    committed = {}

    def producer():
        time.sleep(1.0)
        create_task()
        committed["at"] = time.monotonic()

    thread = in_thread(producer)
    started = time.monotonic()
    fetched = fetch(client_for_thread(), "w1", timeout_ms=20_000)
    returned = time.monotonic()
    thread.join()

    assert len(fetched) == 1
    assert returned - started >= 0.9
    assert returned - committed["at"] < 1.0


def test_two_parallel_fetchers_never_share_a_task(client_for_thread):
    for _ in range(30):
        create_task()
    taken = {"a": [], "b": []}

    def worker(name):
        def loop():
            client = client_for_thread()
            while batch := fetch(client, name, max_tasks=3):
                taken[name].extend(task["id"] for task in batch)
        return loop

    threads = [in_thread(worker("a")), in_thread(worker("b"))]
    for thread in threads:
        thread.join()

    assert not set(taken["a"]) & set(taken["b"])
    assert len(taken["a"]) + len(taken["b"]) == 30 == len(set(taken["a"]) | set(taken["b"]))


def test_an_expired_lock_hands_the_task_to_the_next_fetcher_and_the_first_worker_gets_409(client_for_thread):
    create_task()
    first = client_for_thread()
    task = fetch(first, "slow-worker", lock=700)[0]

    started = time.monotonic()
    taken_over = fetch(client_for_thread(), "fast-worker", timeout_ms=10_000)

    assert [t["id"] for t in taken_over] == [task["id"]]
    assert 0.5 < time.monotonic() - started < 2.0   # woken by the expiry, not by the timeout
    late = first.post(f"/v1/service-tasks/{task['id']}/complete", {"workerId": "slow-worker"}, format="json")
    assert late.status_code == 409
    assert late.json()["lockedBy"] == "fast-worker"
