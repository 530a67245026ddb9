"""Long polling and concurrency of fetch-and-lock: real commits from other threads (connections)."""

import threading
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from bpms import longpoll
from bpms.engine.interface import ServiceTaskWait, WaitStates
from bpms.models import ExternalTask
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
def waits_of_the_fetcher(monkeypatch):
    """`.calls`: each wait of a long-polling fetcher as (seconds it allowed, woken by a
    notification); `.waiting` is set once one began. Upper bounds in seconds flake on a busy
    machine; these show what ended a wait whatever the load."""
    recorded = SimpleNamespace(calls=[], waiting=threading.Event())
    wait = longpoll.TopicListener.wait

    def recording(listener, topics, timeout):
        recorded.waiting.set()
        woken = wait(listener, topics, timeout)
        recorded.calls.append((timeout, woken))
        return woken

    monkeypatch.setattr(longpoll.TopicListener, "wait", recording)
    return recorded


@pytest.fixture
def client_for_thread(make_user):
    user = make_user("poller", "service-worker")

    def make():
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def test_an_empty_fetch_returns_only_after_the_timeout(client_for_thread, waits_of_the_fetcher):
    started = time.monotonic()
    assert fetch(client_for_thread(), "w1", timeout_ms=1500) == []
    assert time.monotonic() - started >= 1.5
    # It slept on the listener for the timeout (no polling loop), and no longer than asked.
    assert waits_of_the_fetcher.calls and all(not woken for _, woken in waits_of_the_fetcher.calls)
    assert 0 < waits_of_the_fetcher.calls[0][0] <= 1.5


def test_a_waiting_fetch_is_woken_by_the_notification_of_a_task_appearing(client_for_thread, waits_of_the_fetcher):
    def producer():
        assert waits_of_the_fetcher.waiting.wait(timeout=30)
        create_task()

    thread = in_thread(producer)
    started = time.monotonic()
    fetched = fetch(client_for_thread(), "w1", timeout_ms=30_000)
    returned = time.monotonic()
    thread.join()

    assert len(fetched) == 1
    # The task appeared while the fetcher slept on its 30 s timeout, and the notification ended
    # that sleep: a fetcher that missed it would sleep the 30 s out.
    [(allowed, woken)] = waits_of_the_fetcher.calls
    assert woken and allowed > 15
    assert returned - started < 15


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


def test_an_expired_lock_hands_the_task_to_the_next_fetcher_and_the_first_worker_gets_409(client_for_thread,
                                                                                          waits_of_the_fetcher):
    create_task()
    first = client_for_thread()
    task = fetch(first, "slow-worker", lock=2_000)[0]

    first_lock_expires = ExternalTask.objects.get(id=task["id"]).lock_expires_at
    taken_over = fetch(client_for_thread(), "fast-worker", timeout_ms=30_000)

    assert [t["id"] for t in taken_over] == [task["id"]]
    # Taken over only once the first lock had expired...
    second_lock_expires = ExternalTask.objects.get(id=task["id"]).lock_expires_at
    assert second_lock_expires - timedelta(milliseconds=60_000) >= first_lock_expires
    # ...and woken by that expiry: every wait was cut to what remained of the 2 s lock, none waited
    # for the 30 s timeout or for a notification.
    assert waits_of_the_fetcher.calls
    assert all(timeout <= 2.1 and not woken for timeout, woken in waits_of_the_fetcher.calls)
    late = first.post(f"/v1/service-tasks/{task['id']}/complete", {"workerId": "slow-worker"}, format="json")
    assert late.status_code == 409
    assert late.json()["lockedBy"] == "fast-worker"
