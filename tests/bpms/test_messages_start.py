"""A message start event starts the latest version of its process."""

import pytest

from bpms.models import ProcessInstance

from .async_support import deploy
from .test_messages import MESSAGES, has_task, publisher  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_message_start_event_starts_an_instance(publisher):
    deploy("async_message_start.bpmn")

    response = publisher.post(MESSAGES, {"messageName": "OrderPlaced", "businessKey": "ORDER-77",
                                         "processVariables": {"item": "book"}}, format="json")

    assert response.status_code == 200, response.content
    [result] = response.json()
    assert result["resultType"] == "ProcessDefinition" and result["activityId"] == "orderArrived"
    instance = ProcessInstance.objects.get(id=result["processInstanceId"])
    assert instance.business_key == "ORDER-77" and has_task(instance, "handleOrder")
