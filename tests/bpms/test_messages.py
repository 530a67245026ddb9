"""Message correlation: by business key, by correlation keys, non-interrupting boundary (on every
message while its activity runs), 404/409 rules, messageId idempotency."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bpms.models import EventSubscription, ProcessInstance, UserTask
from bpms.services.instances import activate, suspend

from .async_support import deploy, start

pytestmark = pytest.mark.django_db

MESSAGES = "/v1/messages"


@pytest.fixture
def publisher(api_client_for):
    return api_client_for("event-publisher")


def has_task(instance, activity_id):
    return UserTask.objects.filter(process_instance_id=instance.id if hasattr(instance, "id") else instance,
                                   task_definition_key=activity_id, state=UserTask.CREATED).exists()


def test_correlation_by_business_key(publisher):
    deploy("async_message_catch.bpmn")
    paid = start("async-message-catch", business_key="ORDER-1")
    other = start("async-message-catch", business_key="ORDER-2")

    response = publisher.post(MESSAGES, {"messageName": "PaymentReceived", "businessKey": "ORDER-1",
                                         "processVariables": {"paidAmount": 120}}, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == [{"resultType": "Execution", "processInstanceId": str(paid.id),
                                "activityId": "waitForPayment"}]
    assert has_task(paid, "ship") and not has_task(other, "ship")


def test_a_correlation_without_business_data_reads_no_process_definition(publisher):
    deploy("async_message_catch.bpmn")
    first, second = (start("async-message-catch", business_key=f"ORDER-D{n}") for n in range(2))

    def correlate(instance):
        response = publisher.post(MESSAGES, {"messageName": "PaymentReceived", "businessKey": instance.business_key},
                                  format="json")
        assert response.status_code == 200, response.content
    correlate(first)   # the engine has the definition parsed and cached from here on
    with CaptureQueriesContext(connection) as queries:
        correlate(second)

    assert has_task(second, "ship")
    assert not [q["sql"] for q in queries if "bpms_processdefinition" in q["sql"]]


def test_a_suspended_instance_is_passed_over_until_it_is_activated(publisher):
    deploy("async_message_catch.bpmn")
    waiting = start("async-message-catch", business_key="ORDER-S")
    suspend(waiting.id, actor="test")

    def correlate():
        return publisher.post(MESSAGES, {"messageName": "PaymentReceived", "businessKey": "ORDER-S"}, format="json")
    assert correlate().status_code == 404
    activate(waiting.id, actor="test")
    assert correlate().status_code == 200 and has_task(waiting, "ship")


def test_correlation_by_correlation_keys(publisher):
    deploy("async_message_catch.bpmn")
    first = start("async-message-catch", variables={"orderId": "A-1", "region": "north"})
    second = start("async-message-catch", variables={"orderId": "A-2", "region": "north"})

    response = publisher.post(MESSAGES, {"messageName": "PaymentReceived",
                                         "correlationKeys": {"orderId": "A-2", "region": "north"}}, format="json")

    assert response.status_code == 200
    assert has_task(second, "ship") and not has_task(first, "ship")


def test_no_match_is_404_and_several_matches_409_unless_all(publisher):
    deploy("async_message_catch.bpmn")
    instances = [start("async-message-catch", business_key="SHARED") for _ in range(2)]

    missing = publisher.post(MESSAGES, {"messageName": "PaymentReceived", "businessKey": "NOBODY"}, format="json")
    ambiguous = publisher.post(MESSAGES, {"messageName": "PaymentReceived", "businessKey": "SHARED"}, format="json")
    both = publisher.post(MESSAGES, {"messageName": "PaymentReceived", "businessKey": "SHARED", "all": True},
                          format="json")

    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    assert ambiguous.status_code == 409
    assert both.status_code == 200 and len(both.json()) == 2
    assert all(has_task(instance, "ship") for instance in instances)


def test_a_non_interrupting_boundary_message_keeps_the_task(publisher):
    deploy("async_boundaries.bpmn")
    instance = start("async-boundaries", business_key="REVIEW-1")

    response = publisher.post(MESSAGES, {"messageName": "ReminderRequested", "businessKey": "REVIEW-1"},
                              format="json")

    assert response.status_code == 200, response.content
    assert response.json()[0]["activityId"] == "reminder"
    assert has_task(instance, "review") and has_task(instance, "sendReminder")


def test_a_message_id_makes_publishing_idempotent(publisher):
    deploy("async_message_catch.bpmn")
    instance = start("async-message-catch", business_key="ORDER-5")
    body = {"messageName": "PaymentReceived", "businessKey": "ORDER-5", "messageId": "evt-123"}

    first = publisher.post(MESSAGES, body, format="json")
    second = publisher.post(MESSAGES, body, format="json")

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == [{"resultType": "Execution", "processInstanceId": str(instance.id),
                                              "activityId": "waitForPayment"}]
    assert UserTask.objects.filter(process_instance=instance, task_definition_key="ship").count() == 1


def test_invalid_messages_are_400(publisher, api_client_for):
    for body in ({}, {"messageName": "X", "correlationKeys": {"a": [1]}}, {"messageName": "X", "timeToLive": "soon"}):
        assert publisher.post(MESSAGES, body, format="json").status_code == 400, body
    assert api_client_for("task-worker").post(MESSAGES, {"messageName": "X"}, format="json").status_code == 403


def test_a_non_interrupting_boundary_message_fires_on_every_message_while_the_task_is_active(publisher,
                                                                                             api_client_for):
    deploy("async_boundaries.bpmn")
    instance = start("async-boundaries", business_key="REVIEW-2")
    reminder = {"messageName": "ReminderRequested", "businessKey": "REVIEW-2"}

    responses = [publisher.post(MESSAGES, reminder, format="json") for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 200], responses[-1].content
    assert [response.json()[0]["activityId"] for response in responses] == ["reminder"] * 3
    assert UserTask.objects.filter(process_instance=instance, task_definition_key="sendReminder",
                                   state=UserTask.CREATED).count() == 3
    assert has_task(instance, "review")
    review = UserTask.objects.get(process_instance=instance, task_definition_key="review")
    assert api_client_for("task-manager").post(f"/v1/tasks/{review.pk}/complete", {}, format="json").status_code == 200
    assert publisher.post(MESSAGES, reminder, format="json").status_code == 404  # the review is done
    assert UserTask.objects.filter(process_instance=instance, task_definition_key="sendReminder",
                                   state=UserTask.CREATED).count() == 3  # started branches go on
