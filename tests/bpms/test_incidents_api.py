"""Failures to an incident, the incident API (filters, sorting, detail, annotation), and a retry
that lets the task complete."""

import pytest

from bpms.models import ProcessInstance, UserTask

from .async_support import deploy, start, unique

pytestmark = pytest.mark.django_db

FETCH = "/v1/service-tasks/fetch-and-lock"


def fetch(client, topic):
    response = client.post(FETCH, {"workerId": "w1", "maxTasks": 1,
                                   "topics": [{"topicName": topic, "lockDuration": 30_000}]}, format="json")
    assert response.status_code == 200
    return response.json()


def fail(client, task_id, retries, message="payment gateway down"):
    response = client.post(f"/v1/service-tasks/{task_id}/failure", {
        "workerId": "w1", "errorMessage": message, "errorDetails": "Traceback: gateway.py line 7",
        "retries": retries}, format="json")
    assert response.status_code == 204, response.content


@pytest.fixture
def failed(api_client_for):
    """An instance whose service task failed twice, the second time with no retries left."""
    deploy("async_service_task.bpmn")
    topic = unique("payments")
    instance = start("async-service-task", business_key="CASE-9", variables={"topic": topic})
    worker = api_client_for("service-worker")
    task = fetch(worker, topic)[0]
    fail(worker, task["id"], retries=1)
    again = fetch(worker, topic)[0]
    assert again["retries"] == 1 and again["errorMessage"] == "payment gateway down"
    fail(worker, task["id"], retries=0)
    return instance, task, topic, worker


def test_retries_reaching_zero_open_an_incident_the_instance_shows(failed, api_client_for):
    instance, task, topic, worker = failed
    operator = api_client_for("operator")

    listed = operator.get("/v1/incidents", {"processInstanceId": str(instance.id)}).json()

    assert listed["count"] == 1
    incident = listed["results"][0]
    assert incident["incidentType"] == "failedExternalTask" and incident["configuration"] == task["id"]
    assert incident["activityId"] == "work" and incident["businessKey"] == "CASE-9" and incident["open"]
    assert fetch(worker, topic) == []
    assert ProcessInstance.objects.get(id=instance.id).has_incident
    detail = operator.get(f"/v1/incidents/{incident['id']}").json()
    assert detail["errorDetails"] == "Traceback: gateway.py line 7"
    assert detail["incidentMessage"] == "payment gateway down"


def test_retry_resolves_the_incident_and_the_task_completes(failed, api_client_for):
    instance, task, topic, worker = failed
    operator = api_client_for("operator", username="olga")
    incident_id = operator.get("/v1/incidents").json()["results"][0]["id"]

    retried = operator.post(f"/v1/incidents/{incident_id}/retry", {"retries": 2}, format="json")

    assert retried.status_code == 200, retried.content
    assert retried.json()["resolvedBy"] == "olga" and retried.json()["resolution"] == "retried"
    assert not ProcessInstance.objects.get(id=instance.id).has_incident
    refetched = fetch(worker, topic)[0]
    assert refetched["id"] == task["id"] and refetched["retries"] == 2
    assert worker.post(f"/v1/service-tasks/{task['id']}/complete", {"workerId": "w1"},
                       format="json").status_code == 204
    assert UserTask.objects.filter(process_instance=instance, task_definition_key="afterWork").exists()
    again = operator.post(f"/v1/incidents/{incident_id}/retry", {}, format="json")
    assert again.status_code == 409
    # history keeps the resolved incident
    history = operator.get("/v1/incidents", {"open": "false"}).json()["results"]
    assert [i["id"] for i in history] == [incident_id]


def test_filters_sorting_annotation_and_errors(failed, api_client_for):
    operator = api_client_for("operator")
    incident_id = operator.get("/v1/incidents").json()["results"][0]["id"]

    assert operator.get("/v1/incidents", {"incidentType": "failedJob"}).json()["count"] == 0
    assert operator.get("/v1/incidents", {"processDefinitionKey": "async-service-task", "businessKey": "CASE-9",
                                          "activityId": "work", "sortBy": "type", "sortOrder": "asc"}).json()["count"] == 1
    assert operator.get("/v1/incidents", {"createdBefore": "2000-01-01T00:00:00Z"}).json()["count"] == 0
    assert operator.get("/v1/incidents", {"sortBy": "nonsense"}).status_code == 400
    annotated = operator.put(f"/v1/incidents/{incident_id}/annotation", {"annotation": "gateway maintenance"},
                             format="json")
    assert annotated.status_code == 200 and annotated.json()["annotation"] == "gateway maintenance"
    assert operator.post(f"/v1/incidents/{incident_id}/retry", {"retries": 0}, format="json").status_code == 400
    assert operator.get("/v1/incidents/00000000-0000-0000-0000-000000000000").status_code == 404
    assert api_client_for("task-worker").get("/v1/incidents").status_code == 403
