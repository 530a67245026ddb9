"""Messages with a time-to-live wait for a subscription: delivered when one appears, dropped once
expired. Delivery runs on the real Celery worker."""

import time

import pytest

from bpms.models import PublishedMessage, UserTask
from bpms.services import messages

from .async_support import deploy, handler_worker, start, wait_until  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_buffered_message_is_delivered_when_the_instance_starts_waiting(handler_worker, api_client_for):
    deploy("async_message_catch.bpmn")
    response = api_client_for("event-publisher").post("/v1/messages", {
        "messageName": "PaymentReceived", "businessKey": "LATE-1", "timeToLive": "PT1M",
        "processVariables": {"paidAmount": 50}}, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["state"] == "buffered"

    instance = start("async-message-catch", business_key="LATE-1")

    wait_until(lambda: UserTask.objects.filter(process_instance=instance, task_definition_key="ship").exists())
    published = PublishedMessage.objects.get(id=response.json()["id"])
    assert published.state == "delivered" and published.result[0]["processInstanceId"] == str(instance.id)


def test_an_expired_buffered_message_is_not_delivered(handler_worker):
    deploy("async_message_catch.bpmn")
    correlation = messages.correlate("PaymentReceived", business_key="LATE-2", time_to_live=_seconds(1))
    assert correlation == [] and correlation.buffered is not None
    time.sleep(1.2)
    assert messages.expire_buffered() == 1

    instance = start("async-message-catch", business_key="LATE-2")
    time.sleep(2)

    assert not UserTask.objects.filter(process_instance=instance, task_definition_key="ship").exists()
    assert PublishedMessage.objects.get(id=correlation.buffered.id).state == "expired"


def _seconds(n):
    from datetime import timedelta

    return timedelta(seconds=n)
