"""Duplicates sent at the same moment have one effect each: an instance start repeated with one
Idempotency-Key, a message published several times with one messageId. (Sequential repeats and
concurrent event ids are tested beside their domains: tests/eximee/test_idempotency.py,
tests/bpms/test_messages.py, tests/cases/test_events.py.)"""

import threading

import pytest
from django.db import connection

from bpms.models import ProcessInstance, UserTask
from tests.bpms.async_support import deploy, start

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]

SENDERS = 6


def all_at_once(client, send):
    client.get("/health/live")  # the test client builds its middleware on first use: not in every thread at once
    barrier, responses = threading.Barrier(SENDERS), []

    def one():
        try:
            barrier.wait()
            responses.append(send())
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert len(responses) == SENDERS
    return responses


def test_one_idempotency_key_starts_one_instance(api_client_for):
    client = api_client_for("process-starter")
    deploy("review_loop.bpmn")
    body = {"processDefinitionKey": "review-loop", "businessKey": "DUP-1", "processVariables": {"author": "ann"}}

    responses = all_at_once(client, lambda: client.post("/v1/process-instances", body, format="json",
                                                HTTP_IDEMPOTENCY_KEY="start-dup-1"))

    assert [response.status_code for response in responses] == [201] * SENDERS
    assert len({response.json()["id"] for response in responses}) == 1
    assert sum(response.get("Idempotent-Replayed") == "true" for response in responses) == SENDERS - 1
    assert ProcessInstance.objects.filter(business_key="DUP-1").count() == 1


def test_one_message_id_correlates_once(api_client_for):
    publisher = api_client_for("event-publisher")
    deploy("async_message_catch.bpmn")
    instance = start("async-message-catch", business_key="DUP-2")
    body = {"messageName": "PaymentReceived", "businessKey": "DUP-2", "messageId": "payment-dup-2"}

    responses = all_at_once(publisher, lambda: publisher.post("/v1/messages", body, format="json"))

    assert [response.status_code for response in responses] == [200] * SENDERS, [r.content for r in responses]
    assert all(response.json() == responses[0].json() for response in responses)
    assert UserTask.objects.filter(process_instance=instance, task_definition_key="ship").count() == 1
