"""The proof: Camunda 7's own Python clients from PyPI, unchanged, against /engine-rest served by a
live server, authenticated with JWTs from the real OpenID provider.

- camunda-external-task-client-python3: workers fetch with long polling and complete, fail
  (retries, then an incident) and throw BPMN errors; the client counts only 204 as success.
- pycamunda: starts instances, reads and sets variables, lists, claims and completes tasks,
  correlates messages (resultEnabled), lists incidents and sets external-task retries.
"""

import threading
import time

import pycamunda.externaltask
import pycamunda.incident
import pycamunda.message
import pycamunda.processdef
import pycamunda.processinst
import pycamunda.task
import pytest
import requests
from camunda.external_task.external_task_worker import ExternalTaskWorker, NoExternalTaskFound
from django.db import connection

from bpms.models import ExternalTask, Incident, ProcessInstance, ProcessVariable, UserTask

from .support import deploy, start, unique

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def engine_rest(live_server, oidc_settings):
    return f"{live_server.url}/engine-rest"


def external_worker(engine_rest, oidc_provider, **config):
    token = oidc_provider.token_for(roles=["service-worker"])
    return ExternalTaskWorker(worker_id=unique("py-worker"), base_url=engine_rest, config={
        "auth_bearer": {"access_token": token}, "maxTasks": 1, "lockDuration": 30_000,
        "asyncResponseTimeout": 3_000, "sleepSeconds": 0, **config})


def test_external_task_workers_complete_fail_and_throw_bpmn_errors(engine_rest, oidc_provider):
    deploy("async_service_task.bpmn")
    topic = unique("invoicing")
    paid, flaky, rejected = (start("async-service-task", business_key=f"{topic}-{n}", variables={"topic": topic,
                                                                                                 "amount": n})
                             for n in (1, 2, 3))
    worker = external_worker(engine_rest, oidc_provider)
    seen = []

    def handle(task):
        seen.append((task.get_business_key(), task.get_variable("amount"), task.get_extension_property("x")))
        amount = task.get_variable("amount")
        if amount == 1:
            return task.complete({"invoice": f"INV-{amount}"})
        if amount == 2:
            return task.failure("ledger down", "stack trace", max_retries=1, retry_timeout=0)
        return task.bpmn_error("REJECTED", "amount too small", {"reason": "small"})

    worker.fetch_and_execute(topic, handle)
    worker.fetch_and_execute(topic, handle)
    assert ProcessVariable.objects.get(process_instance=paid, name="invoice").value == "INV-1"
    assert UserTask.objects.filter(process_instance=paid, task_definition_key="afterWork").exists()
    assert ExternalTask.objects.get(process_instance=flaky).retries == 1

    # The failed task had one retry left and no retry timeout: the worker fetches it again, fails
    # it again (the client computes retries 0 from the task's retries) and an incident opens.
    worker.fetch_and_execute(topic, handle)
    incident = Incident.objects.get(process_instance=flaky)
    assert (incident.type, incident.message, incident.is_open) == ("failedExternalTask", "ledger down", True)

    worker.fetch_and_execute(topic, handle)
    assert UserTask.objects.filter(process_instance=rejected, task_definition_key="handleRejection").exists()
    assert ProcessVariable.objects.get(process_instance=rejected, name="reason").value == "small"
    assert seen == [(f"{topic}-{n}", n, None) for n in (1, 2, 2, 3)]
    with pytest.raises(NoExternalTaskFound):
        worker.fetch_and_execute(topic, handle)


def test_long_polling_holds_the_fetch_until_a_task_appears(engine_rest, oidc_provider):
    deploy("async_service_task.bpmn")
    topic = unique("late")
    worker = external_worker(engine_rest, oidc_provider, asyncResponseTimeout=20_000)
    handled = []
    started = []

    def start_later():
        time.sleep(1.0)
        try:
            started.append(start("async-service-task", variables={"topic": topic}))
        finally:
            connection.close()

    assert not ExternalTask.objects.filter(topic=topic).exists()
    thread = threading.Thread(target=start_later)
    thread.start()
    # One fetch, sent before the instance existed, comes back with its task.
    worker.fetch_and_execute(topic, lambda task: handled.append(task.get_task_id()) or task.complete({}))
    thread.join()
    assert len(handled) == 1
    assert UserTask.objects.filter(process_instance=started[0], task_definition_key="afterWork").exists()


def session_for(oidc_provider, *roles):
    client_id, _ = oidc_provider.client_for(roles)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {oidc_provider.token_for(roles=roles)}"
    session.username = f"client:{client_id}"
    return session


def send(session, request):
    request.session = session
    return request()


def test_pycamunda_runs_instances_tasks_messages_and_incidents(engine_rest, oidc_provider):
    deploy("async_message_catch.bpmn", "async_service_task.bpmn")
    session = session_for(oidc_provider, "process-starter", "operator", "task-manager", "event-publisher",
                          "auditor")
    business_key = unique("ORDER")

    starting = pycamunda.processdef.StartInstance(url=engine_rest, key="async-message-catch",
                                                  business_key=business_key, with_variables_in_return=True)
    starting.add_variable(name="orderNo", value=42)
    instance = send(session, starting)
    assert (instance.business_key, instance.case_instance_id, instance.variables["orderNo"].value) == (
        business_key, None, 42)

    send(session, pycamunda.processinst.VariablesUpdate(url=engine_rest, process_instance_id=instance.id_,
                                                        var_name="note", value="fragile", type_="String"))
    variables = send(session, pycamunda.processinst.VariablesGetList(url=engine_rest,
                                                                     process_instance_id=instance.id_))
    assert {name: v.value for name, v in variables.items()} == {"orderNo": 42, "note": "fragile"}
    assert [i.id_ for i in send(session, pycamunda.processinst.GetList(
        url=engine_rest, business_key=business_key))] == [instance.id_]

    correlating = pycamunda.message.CorrelateSingle(url=engine_rest, message_name="PaymentReceived",
                                                    business_key=business_key, result_enabled=True)
    correlating.add_correlation_key(name="orderNo", value=42)
    correlating.add_process_variable(name="paid", value=True)
    results = send(session, correlating)
    assert [(r.result_type.value, r.execution.process_instance_id) for r in results] == [("Execution", instance.id_)]

    tasks = send(session, pycamunda.task.GetList(url=engine_rest, process_instance_id=instance.id_))
    assert [(t.task_definition_key, t.assignee, t.case_instance_id) for t in tasks] == [("ship", None, None)]
    assert tasks[0].created.tzinfo is not None
    send(session, pycamunda.task.Claim(url=engine_rest, id_=tasks[0].id_, user_id=session.username))
    assert send(session, pycamunda.task.Get(url=engine_rest, id_=tasks[0].id_)).assignee == session.username
    completing = pycamunda.task.Complete(url=engine_rest, id_=tasks[0].id_)
    completing.add_variable(name="shipped", value=True)
    send(session, completing)
    assert ProcessInstance.objects.get(id=instance.id_).state == ProcessInstance.COMPLETED

    # An external task out of retries: its incident is listed, and new retries resolve it.
    topic = unique("stock")
    failing = start("async-service-task", variables={"topic": topic})
    worker = external_worker(engine_rest, oidc_provider)
    worker.fetch_and_execute(topic, lambda task: task.failure("no stock", "", max_retries=0, retry_timeout=0))
    incidents = send(session, pycamunda.incident.GetList(url=engine_rest, process_instance_id=str(failing.id)))
    assert [(i.incident_type.value, i.incident_message) for i in incidents] == [("failedExternalTask", "no stock")]
    send(session, pycamunda.externaltask.SetRetries(url=engine_rest, id_=incidents[0].configuration, retries=2))
    assert send(session, pycamunda.incident.GetList(url=engine_rest, process_instance_id=str(failing.id))) == ()
    assert ExternalTask.objects.get(id=incidents[0].configuration).retries == 2
