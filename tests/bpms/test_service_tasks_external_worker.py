"""An external worker driven by the test over HTTP: fetch-and-lock, complete with variables and
business data, BPMN error caught by the boundary."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bpms.models import ProcessVariable, UserTask
from datamodel.selectors import business_data_for

from .async_support import deploy, start, unique

pytestmark = pytest.mark.django_db

FETCH = "/v1/service-tasks/fetch-and-lock"


def fetch(client, topic, max_tasks=10):
    response = client.post(FETCH, {"workerId": "billing-1", "maxTasks": max_tasks,
                                   "topics": [{"topicName": topic, "lockDuration": 30_000}]}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_worker_loop_completes_every_task_with_its_variables_and_business_data(api_client_for):
    deploy("async_service_task.bpmn")
    topic = unique("billing")
    instances = [start("async-service-task", business_key=f"CASE-{n}", variables={"topic": topic, "amount": n})
                 for n in range(3)]
    worker = api_client_for("service-worker")

    done = 0
    while tasks := fetch(worker, topic, max_tasks=2):
        for task in tasks:
            response = worker.post(f"/v1/service-tasks/{task['id']}/complete", {
                "workerId": "billing-1", "variables": {"invoice": f"INV-{task['variables']['amount']}"},
                "businessData": {"invoiced": True}}, format="json")
            assert response.status_code == 204, response.content
            done += 1

    assert done == 3
    for n, instance in enumerate(instances):
        assert UserTask.objects.filter(process_instance=instance, task_definition_key="afterWork").exists()
        assert ProcessVariable.objects.get(process_instance=instance, name="invoice").value == f"INV-{n}"
        assert business_data_for(business_key=f"CASE-{n}") == {"invoiced": True}


def test_a_bpmn_error_over_rest_is_caught_by_the_boundary_with_its_code_and_message(api_client_for):
    deploy("async_service_task.bpmn")
    topic = unique("scoring")
    instance = start("async-service-task", variables={"topic": topic})
    worker = api_client_for("service-worker")
    task = fetch(worker, topic)[0]

    response = worker.post(f"/v1/service-tasks/{task['id']}/bpmn-error", {
        "workerId": "billing-1", "errorCode": "REJECTED", "errorMessage": "score too low",
        "variables": {"score": 12}}, format="json")

    assert response.status_code == 204, response.content
    assert UserTask.objects.filter(process_instance=instance, task_definition_key="handleRejection").exists()
    values = dict(ProcessVariable.objects.filter(process_instance=instance).values_list("name", "value"))
    assert (values["rejectionCode"], values["rejectionMessage"], values["score"]) == ("REJECTED", "score too low", 12)


def test_completing_twice_is_404_the_second_time(api_client_for):
    deploy("async_service_task.bpmn")
    topic = unique("once")
    start("async-service-task", variables={"topic": topic})
    worker = api_client_for("service-worker")
    task = fetch(worker, topic)[0]
    url = f"/v1/service-tasks/{task['id']}/complete"

    assert worker.post(url, {"workerId": "billing-1"}, format="json").status_code == 204
    assert worker.post(url, {"workerId": "billing-1"}, format="json").status_code == 404


def test_a_completion_without_business_data_reads_no_process_definition(api_client_for):
    deploy("async_service_task.bpmn")
    topic = unique("light")
    for n in range(2):
        start("async-service-task", variables={"topic": topic, "amount": n})
    worker = api_client_for("service-worker")
    first, second = fetch(worker, topic)

    def complete(task):
        response = worker.post(f"/v1/service-tasks/{task['id']}/complete", {"workerId": "billing-1"}, format="json")
        assert response.status_code == 204, response.content
    complete(first)   # the engine has the definition parsed and cached from here on
    with CaptureQueriesContext(connection) as queries:
        complete(second)

    assert queries and not [q["sql"] for q in queries if "bpms_processdefinition" in q["sql"]]
