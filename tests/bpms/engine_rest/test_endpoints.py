"""/engine-rest endpoints: Camunda 7's payloads, variable and date formats, paging, status codes
and error bodies, over the embedded engine."""

import json

import pytest
from django.test import Client

from bpms.models import ExternalTask, Incident, Job, ProcessInstance, ProcessVariable, UserTask
from eximee.models import AuditEntry

from .support import BASE, CAMUNDA_DATE, camunda_error, deploy, ok, start, unique

pytestmark = pytest.mark.django_db


@pytest.fixture
def starter(api_client_for):
    return api_client_for("process-starter", "operator", "auditor", "task-manager")


def start_over_rest(client, key, variables=None, **body):
    return ok(client.post(f"{BASE}/process-definition/key/{key}/start",
                          {"variables": variables or {}, **body}, format="json"))


# --- process definitions and instances -------------------------------------------------------------

def test_start_by_key_returns_camunda_instance_with_typed_variables_in_return(starter):
    deploy("async_message_catch.bpmn")
    body = start_over_rest(starter, "async-message-catch", {
        "amount": {"value": 1200, "type": "Long"}, "small": {"value": 7, "type": "Short"},
        "name": {"value": "Ann"}, "flag": {"value": "true", "type": "Boolean"},
        "address": {"value": json.dumps({"city": "Gdańsk"}), "type": "Json"},
        "order": {"value": '{"id": 5}', "type": "Object",
                  "valueInfo": {"serializationDataFormat": "application/json", "objectTypeName": "Order"}},
        "nothing": {"value": None, "type": "Null"}}, businessKey="ORDER-1", withVariablesInReturn=True)

    assert body["businessKey"] == "ORDER-1" and body["ended"] is False and body["suspended"] is False
    assert body["links"][0]["rel"] == "self" and body["links"][0]["href"].endswith(f"/process-instance/{body['id']}")
    assert (body["caseInstanceId"], body["tenantId"], body["definitionKey"]) == (None, None, "async-message-catch")
    variables = body["variables"]
    assert variables["amount"] == {"value": 1200, "type": "Integer", "valueInfo": {}}
    assert variables["small"]["value"] == 7 and variables["flag"]["value"] is True
    assert variables["name"] == {"value": "Ann", "type": "String", "valueInfo": {}}
    assert variables["address"]["type"] == "Json" and json.loads(variables["address"]["value"]) == {"city": "Gdańsk"}
    assert json.loads(variables["order"]["value"]) == {"id": 5}
    assert variables["nothing"] == {"value": None, "type": "Null", "valueInfo": {}}
    assert ProcessVariable.objects.get(process_instance_id=body["id"], name="address").value == {"city": "Gdańsk"}


def test_start_by_id_and_definition_reads(starter):
    deployed = deploy("async_message_catch.bpmn")
    definition_id = deployed.definitions[0].id
    listed = ok(starter.get(f"{BASE}/process-definition", {"key": "async-message-catch", "latestVersion": "true"}))
    assert [d["id"] for d in listed] == [definition_id]
    assert ok(starter.get(f"{BASE}/process-definition/key/async-message-catch"))["version"] == deployed.definitions[0].version
    xml = ok(starter.get(f"{BASE}/process-definition/{definition_id}/xml"))
    assert xml["id"] == definition_id and "async-message-catch" in xml["bpmn20Xml"]
    body = ok(starter.post(f"{BASE}/process-definition/{definition_id}/start", {}, format="json"))
    assert body["definitionId"] == definition_id


def test_caller_mistakes_answer_4xx_with_camunda_error_bodies(starter):
    deploy("async_message_catch.bpmn")
    camunda_error(starter.post(f"{BASE}/process-definition/key/no-such-process/start", {}, format="json"), 404)
    unsupported = camunda_error(starter.post(f"{BASE}/process-definition/key/async-message-catch/start",
                                             {"variables": {"x": {"value": "a", "type": "Bytes"}}}, format="json"), 400)
    assert "Unsupported value type 'Bytes'" in unsupported["message"]
    wrong = camunda_error(starter.post(f"{BASE}/process-definition/key/async-message-catch/start",
                                       {"variables": {"n": {"value": 70000, "type": "Short"}}}, format="json"), 400)
    assert "/variables/n/value" in wrong["message"]
    camunda_error(starter.post(f"{BASE}/process-definition/key/async-message-catch/start",
                               {"variables": {"j": {"value": "{not json", "type": "Json"}}}, format="json"), 400)
    camunda_error(starter.get(f"{BASE}/process-instance/not-a-uuid"), 404)
    camunda_error(starter.get(f"{BASE}/task/{'0' * 8}-0000-0000-0000-{'0' * 12}"), 404)
    camunda_error(starter.post(f"{BASE}/process-definition/key/async-message-catch/start", b"{",
                               content_type="application/json"), 400)


def test_instance_list_paging_sorting_counting_and_empty(starter):
    deploy("async_message_catch.bpmn")
    key = unique("BK")
    ids = {start_over_rest(starter, "async-message-catch", businessKey=f"{key}-{n}")["id"] for n in range(3)}

    everything = ok(starter.get(f"{BASE}/process-instance", {"processDefinitionKey": "async-message-catch"}))
    assert ids <= {i["id"] for i in everything}
    assert ok(starter.get(f"{BASE}/process-instance/count", {"processInstanceIds": ",".join(ids)})) == {"count": 3}
    by_key = ok(starter.get(f"{BASE}/process-instance", {"processInstanceIds": ",".join(ids), "sortBy": "businessKey",
                                                         "sortOrder": "desc", "firstResult": 1, "maxResults": 1}))
    assert [i["businessKey"] for i in by_key] == [f"{key}-1"]
    queried = ok(starter.post(f"{BASE}/process-instance?maxResults=2", {"businessKey": f"{key}-2"}, format="json"))
    assert [i["businessKey"] for i in queried] == [f"{key}-2"]
    assert ok(starter.get(f"{BASE}/process-instance", {"businessKey": "nobody"})) == []
    camunda_error(starter.get(f"{BASE}/process-instance", {"sortBy": "businessKey"}), 400)
    camunda_error(starter.get(f"{BASE}/process-instance", {"maxResults": "-1"}), 400)
    camunda_error(starter.get(f"{BASE}/process-instance", {"maxResults": "20000"}), 400)


def test_instance_variables_read_set_delete_and_modify(starter):
    deploy("async_message_catch.bpmn")
    instance = start_over_rest(starter, "async-message-catch", {"a": {"value": 1}})["id"]
    url = f"{BASE}/process-instance/{instance}/variables"

    assert starter.put(f"{url}/b", {"value": "x", "type": "String"}, format="json").status_code == 204
    assert ok(starter.get(f"{url}/b")) == {"value": "x", "type": "String", "valueInfo": {}}
    assert starter.post(url, {"modifications": {"c": {"value": 2.5}}, "deletions": ["a"]},
                        format="json").status_code == 204
    assert set(ok(starter.get(url))) == {"b", "c"}
    assert starter.delete(f"{url}/b").status_code == 204
    camunda_error(starter.get(f"{url}/b"), 404)
    assert starter.delete(f"{BASE}/process-instance/{instance}").status_code == 204
    assert ProcessInstance.objects.get(id=instance).state == ProcessInstance.CANCELLED
    camunda_error(starter.get(f"{BASE}/process-instance/{instance}"), 404)


def test_roles_and_authentication_are_those_of_v1(api_client_for):
    deploy("async_message_catch.bpmn")
    reader = api_client_for("auditor")
    camunda_error(reader.post(f"{BASE}/process-definition/key/async-message-catch/start", {}, format="json"), 403)
    unauthenticated = Client().get(f"{BASE}/process-instance")
    body = camunda_error(unauthenticated, 401)
    assert unauthenticated["WWW-Authenticate"].startswith("Bearer")
    assert body["type"] == "AuthenticationException"


def test_every_call_leaves_an_audit_entry(starter):
    deploy("async_message_catch.bpmn")
    instance = start_over_rest(starter, "async-message-catch")["id"]
    entry = AuditEntry.objects.filter(target="/engine-rest/process-definition/key/async-message-catch/start").first()
    assert entry is not None and entry.actor == starter.user.username and entry.outcome == "success"
    assert ProcessInstance.objects.get(id=instance).started_by == starter.user.username


def test_the_facade_stays_out_of_the_v1_openapi_document():
    schema = Client().get("/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["paths"] and not [path for path in schema["paths"] if "engine-rest" in path]


# --- user tasks ----------------------------------------------------------------------------------

def waiting_task(client, topic_instance):
    return ok(client.get(f"{BASE}/task", {"processInstanceId": topic_instance}))[0]


def test_task_dto_dates_and_actions(api_client_for, starter):
    deploy("async_short_timer.bpmn", "async_message_catch.bpmn")
    worker = api_client_for("task-worker", username="tina")
    instance = start("async-message-catch", business_key=unique("T"))
    assert api_client_for("event-publisher").post(f"{BASE}/message", {
        "messageName": "PaymentReceived", "processInstanceId": str(instance.id)}, format="json").status_code == 204
    task = waiting_task(starter, str(instance.id))

    assert CAMUNDA_DATE.match(task["created"]), task["created"]
    assert (task["caseInstanceId"], task["caseExecutionId"], task["caseDefinitionId"]) == (None, None, None)
    assert task["taskDefinitionKey"] == "ship" and task["processDefinitionId"] == str(instance.definition_id)
    assert ok(starter.get(f"{BASE}/task/count", {"processInstanceId": str(instance.id)})) == {"count": 1}

    url = f"{BASE}/task/{task['id']}"
    assert starter.post(f"{url}/claim", {"userId": "tina"}, format="json").status_code == 204
    assert ok(worker.get(url))["assignee"] == "tina"
    # Camunda answers 500 (TaskAlreadyClaimedException); the facade says 409 with the same body shape.
    camunda_error(starter.post(f"{url}/claim", {"userId": "someone-else"}, format="json"), 409)
    assert worker.post(f"{url}/unclaim", {}, format="json").status_code == 204
    assert starter.post(f"{url}/delegate", {"userId": "tina"}, format="json").status_code == 204
    assert ok(worker.get(url))["delegationState"] == "PENDING"
    assert worker.post(f"{url}/resolve", {"variables": {"checked": {"value": True}}}, format="json").status_code == 204
    assert ok(starter.get(url))["assignee"] == starter.user.username     # back with the owner
    assert starter.put(f"{url}/variables/note", {"value": "fragile"}, format="json").status_code == 204
    assert ok(starter.get(f"{url}/variables"))["note"]["value"] == "fragile"

    starter.post(f"{url}/assignee", {"userId": "tina"}, format="json")
    done = worker.post(f"{url}/complete", {"variables": {"shipped": {"value": True}}, "withVariablesInReturn": True},
                       format="json")
    assert ok(done)["shipped"] == {"value": True, "type": "Boolean", "valueInfo": {}}
    assert UserTask.objects.get(id=task["id"]).state == UserTask.COMPLETED
    camunda_error(worker.post(f"{url}/complete", {}, format="json"), 404)


def test_submit_form_validates_the_form_and_form_variables_show_defaults(api_client_for):
    deploy("loan_application.bpmn")
    manager = api_client_for("task-manager", "process-starter")
    instance = start_over_rest(manager, "loan-application", {"amount": {"value": 500}, "applicant": {"value": "Ann"}})
    task = ok(manager.get(f"{BASE}/task", {"processInstanceId": instance["id"]}))[0]
    url = f"{BASE}/task/{task['id']}"

    form = ok(manager.get(f"{url}/form-variables"))
    assert set(form) >= {"decision", "comment"} and form["comment"]["type"] == "String"
    bad = manager.post(f"{url}/submit-form", {"variables": {"decision": {"value": "maybe"}}}, format="json")
    assert bad.status_code == 422 and bad.json()["type"]
    assert manager.post(f"{url}/submit-form", {"variables": {"decision": {"value": "approve"}}},
                        format="json").status_code == 204


# --- external tasks, incidents, jobs -------------------------------------------------------------

def fetch(client, topic, worker="w1", **extra):
    return ok(client.post(f"{BASE}/external-task/fetchAndLock", {
        "workerId": worker, "maxTasks": 5, "usePriority": False, "sorting": None,
        "topics": [{"topicName": topic, "lockDuration": 60_000, "variables": None, "processVariables": {},
                    "deserializeValues": True, "includeExtensionProperties": True}], **extra}, format="json"))


def test_external_task_lifecycle_with_camunda_semantics(api_client_for):
    deploy("async_service_task.bpmn")
    topic = unique("billing")
    instance = start("async-service-task", business_key="B-1", variables={"topic": topic, "amount": 12})
    worker, operator = api_client_for("service-worker"), api_client_for("operator")

    task = fetch(worker, topic)[0]
    assert task["variables"]["amount"] == {"value": 12, "type": "Integer", "valueInfo": {}}
    assert (task["workerId"], task["businessKey"], task["retries"], task["topicName"]) == ("w1", "B-1", None, topic)
    assert CAMUNDA_DATE.match(task["lockExpirationTime"])
    assert fetch(worker, topic) == []

    url = f"{BASE}/external-task/{task['id']}"
    assert camunda_error(worker.post(f"{url}/complete", {"workerId": "w2"}, format="json"),
                         400)["type"] == "BadUserRequestException"
    assert worker.post(f"{url}/extendLock", {"workerId": "w1", "newDuration": 120_000}, format="json").status_code == 204
    assert worker.post(f"{url}/unlock").status_code == 204
    assert ok(operator.get(f"{BASE}/external-task/count", {"topicName": topic, "notLocked": "true"})) == {"count": 1}

    fetch(worker, topic)
    assert worker.post(f"{url}/failure", {"workerId": "w1", "errorMessage": "down", "errorDetails": None,
                                          "retries": 0, "retryTimeout": 0}, format="json").status_code == 204
    incident = ok(operator.get(f"{BASE}/incident", {"processInstanceId": str(instance.id)}))[0]
    assert (incident["incidentType"], incident["configuration"], incident["incidentMessage"]) == (
        "failedExternalTask", task["id"], "down")
    assert ok(operator.get(f"{BASE}/incident/{incident['id']}"))["id"] == incident["id"]
    details = operator.get(f"{url}/errorDetails")
    assert (details.status_code, details["Content-Type"].split(";")[0], details.content) == (200, "text/plain", b"")

    assert operator.put(f"{url}/retries", {"retries": 2}, format="json").status_code == 204
    assert ok(operator.get(f"{BASE}/incident/count", {"processInstanceId": str(instance.id)})) == {"count": 0}
    assert ok(operator.get(f"{BASE}/history/incident", {"processInstanceId": str(instance.id)}))[0]["resolved"] is True
    assert ExternalTask.objects.get(id=task["id"]).retries == 2

    fetch(worker, topic)
    assert worker.post(f"{url}/complete", {"workerId": "w1", "variables": {"invoice": {"value": "INV-1"}},
                                           "localVariables": {}}, format="json").status_code == 204
    assert ProcessVariable.objects.get(process_instance=instance, name="invoice").value == "INV-1"
    camunda_error(worker.post(f"{url}/complete", {"workerId": "w1"}, format="json"), 404)


def test_bpmn_error_and_topic_filters(api_client_for):
    deploy("async_service_task.bpmn")
    topic = unique("scoring")
    instance = start("async-service-task", variables={"topic": topic})
    worker = api_client_for("service-worker")
    camunda_error(worker.post(f"{BASE}/external-task/fetchAndLock", {
        "workerId": "w", "maxTasks": 1, "topics": [{"topicName": topic, "lockDuration": 1000,
                                                   "processVariables": {"x": 1}}]}, format="json"), 400)
    task = fetch(worker, topic, worker="w")[0]
    response = worker.post(f"{BASE}/external-task/{task['id']}/bpmnError", {
        "workerId": "w", "errorCode": "REJECTED", "errorMessage": "too low", "variables": {"score": {"value": 3}}},
        format="json")
    assert response.status_code == 204 and not response.content
    assert UserTask.objects.filter(process_instance=instance, task_definition_key="handleRejection").exists()


def test_job_retries_open_and_resolve_a_failed_job_incident(api_client_for):
    deploy("async_short_timer.bpmn")
    instance = start("async-short-timer", variables={"wait": "PT1H"})
    operator = api_client_for("operator")
    job = ok(operator.get(f"{BASE}/job", {"processInstanceId": str(instance.id)}))[0]
    assert CAMUNDA_DATE.match(job["dueDate"]) and job["retries"] == 3

    assert operator.put(f"{BASE}/job/{job['id']}/retries", {"retries": 0}, format="json").status_code == 204
    incident = Incident.objects.get(configuration=job["id"])
    assert incident.type == Incident.FAILED_JOB and incident.is_open
    assert operator.put(f"{BASE}/job/{job['id']}/retries", {"retries": 1}, format="json").status_code == 204
    incident.refresh_from_db()
    assert not incident.is_open and Job.objects.get(id=job["id"]).retries == 1
    camunda_error(operator.put(f"{BASE}/job/{job['id']}/retries", {"retries": -1}, format="json"), 400)


def test_job_definitions_of_each_kind_of_job_and_the_one_a_job_names(api_client_for):
    [definition] = deploy("job_definitions.bpmn").definitions
    operator = api_client_for("operator")
    url = f"{BASE}/job-definition"

    listed = ok(operator.get(url, {"processDefinitionId": definition.id, "sortBy": "jobConfiguration",
                                   "sortOrder": "asc"}))

    assert [(d["activityId"], d["jobType"], d["jobConfiguration"]) for d in listed] == [
        ("daily", "timer-start-event", "CYCLE: R/P1D"),
        ("pause", "timer-intermediate-transition", "DATE: 2030-01-01T00:00:00Z"),
        ("deadline", "timer-transition", "DURATION: PT1H"),
        ("tick", "timer-start-event-subprocess", "DURATION: PT5M"),
        ("review", "async-continuation", "async-after"),
        ("review", "async-continuation", "async-before")]
    assert {(d["processDefinitionId"], d["processDefinitionKey"], d["suspended"], d["overridingJobPriority"],
             d["tenantId"]) for d in listed} == {(definition.id, "job-definitions", False, None, None)}
    assert listed[0]["deploymentId"] == ok(operator.get(f"{BASE}/process-definition/{definition.id}"))["deploymentId"]
    assert len({d["id"] for d in listed}) == 6
    assert ok(operator.get(f"{url}/count", {"processDefinitionId": definition.id})) == {"count": 6}
    review = ok(operator.get(url, {"processDefinitionId": definition.id, "activityIdIn": "review,tick"}))
    assert sorted(d["jobConfiguration"] for d in review) == ["DURATION: PT5M", "async-after", "async-before"]
    assert ok(operator.get(url, {"jobDefinitionId": listed[2]["id"]})) == [listed[2]]
    assert ok(operator.get(f"{url}/{listed[2]['id']}")) == listed[2]
    assert ok(operator.get(url, {"processDefinitionId": "not-an-id"})) == []
    camunda_error(operator.get(f"{url}/00000000-0000-0000-0000-000000000000"), 404)

    deploy("async_boundaries.bpmn", "async_continuation.bpmn")
    timer_instance, continued = start("async-boundaries"), start("async-continuation")
    [timer] = ok(operator.get(f"{BASE}/job", {"processInstanceId": str(timer_instance.id)}))
    named = ok(operator.get(f"{url}/{timer['jobDefinitionId']}"))
    assert (named["activityId"], named["jobType"], named["processDefinitionId"]) == (
        "deadline", "timer-transition", timer["processDefinitionId"])
    [continuation] = ok(operator.get(f"{BASE}/job", {"processInstanceId": str(continued.id)}))
    assert ok(operator.get(f"{url}/{continuation['jobDefinitionId']}"))["jobConfiguration"] == "async-before"
    timers = ok(operator.get(f"{BASE}/job", {"timers": "true"}))
    messages = ok(operator.get(f"{BASE}/job", {"messages": "true"}))
    assert timer["id"] in {j["id"] for j in timers} and continuation["id"] not in {j["id"] for j in timers}
    assert continuation["id"] in {j["id"] for j in messages} and timer["id"] not in {j["id"] for j in messages}


# --- messages and signals ----------------------------------------------------------------------------

def test_message_correlation_results_and_mismatches(api_client_for):
    deploy("async_message_catch.bpmn", "async_message_start.bpmn")
    publisher = api_client_for("event-publisher")
    instance = start("async-message-catch", business_key=unique("PAY"), variables={"orderNo": 7})

    results = ok(publisher.post(f"{BASE}/message", {
        "messageName": "PaymentReceived", "correlationKeys": {"orderNo": {"value": 7, "type": "Integer"}},
        "processVariables": {"paid": {"value": True}}, "resultEnabled": True, "variablesInResultEnabled": True},
        format="json"))
    assert [(r["resultType"], r["execution"]["processInstanceId"], r["processInstance"]) for r in results] == [
        ("Execution", str(instance.id), None)]
    assert results[0]["variables"]["paid"] == {"value": True, "type": "Boolean", "valueInfo": {}}

    nothing = camunda_error(publisher.post(f"{BASE}/message", {"messageName": "PaymentReceived",
                                                               "businessKey": "nobody"}, format="json"), 400)
    assert nothing["type"] == "MismatchingMessageCorrelationException"
    assert publisher.post(f"{BASE}/message", {"messageName": "PaymentReceived", "businessKey": "nobody",
                                              "all": True}, format="json").status_code == 204


def test_signal_is_204(api_client_for):
    deploy("async_signals.bpmn")
    publisher = api_client_for("event-publisher")
    response = publisher.post(f"{BASE}/signal", {"name": unique("nobody-listens"), "variables": {}}, format="json")
    assert response.status_code == 204 and not response.content
    camunda_error(publisher.post(f"{BASE}/signal", {"variables": {}}, format="json"), 400)


# --- history -----------------------------------------------------------------------------------------

def test_history_lists_with_counts(api_client_for, starter):
    deploy("async_message_catch.bpmn")
    auditor = api_client_for("auditor")
    instance = start_over_rest(starter, "async-message-catch", {"orderNo": {"value": 9}}, businessKey=unique("H"))
    starter.delete(f"{BASE}/process-instance/{instance['id']}")
    query = {"processInstanceId": instance["id"]}

    historic = ok(auditor.get(f"{BASE}/history/process-instance", query))
    assert [(h["id"], h["state"]) for h in historic] == [(instance["id"], "EXTERNALLY_TERMINATED")]
    assert CAMUNDA_DATE.match(historic[0]["endTime"])
    activities = ok(auditor.get(f"{BASE}/history/activity-instance", {**query, "sortBy": "startTime",
                                                                       "sortOrder": "asc"}))
    assert activities[0]["activityId"] == "start"
    assert ok(auditor.get(f"{BASE}/history/activity-instance/count", query))["count"] == len(activities)
    variables = ok(auditor.get(f"{BASE}/history/variable-instance", {"processInstanceIdIn": instance["id"]}))
    assert [(v["name"], v["value"], v["caseInstanceId"]) for v in variables] == [("orderNo", 9, None)]
    assert ok(auditor.get(f"{BASE}/history/task/count", query)) == {"count": 0}
    operations = ok(auditor.get(f"{BASE}/history/user-operation", query))
    assert {"ProcessInstance"} <= {o["entityType"] for o in operations}
    assert {o["userId"] for o in operations} == {starter.user.username}
    assert ok(auditor.get(f"{BASE}/history/user-operation/count", query))["count"] == len(operations)
    assert ok(auditor.get(f"{BASE}/history/incident", query)) == []


def test_message_start_event_result_carries_the_new_instance(api_client_for):
    deploy("async_message_start.bpmn")
    publisher = api_client_for("event-publisher")
    results = ok(publisher.post(f"{BASE}/message", {"messageName": "OrderPlaced", "businessKey": unique("NEW"),
                                                    "resultEnabled": True}, format="json"))
    assert [r["resultType"] for r in results] == ["ProcessDefinition"] and results[0]["execution"] is None
    started = results[0]["processInstance"]
    assert started["definitionKey"] == "async-message-start" and started["caseInstanceId"] is None
    assert ProcessInstance.objects.filter(id=started["id"]).exists()


def test_list_filters_by_variables_and_query_bodies(starter):
    deploy("async_message_catch.bpmn")
    tag = unique("tag")
    low = start_over_rest(starter, "async-message-catch", {"tag": {"value": tag}, "amount": {"value": 10}})
    high = start_over_rest(starter, "async-message-catch", {"tag": {"value": tag}, "amount": {"value": 500}})

    found = ok(starter.get(f"{BASE}/process-instance", {"variables": f"tag_eq_{tag},amount_gt_100"}))
    assert [i["id"] for i in found] == [high["id"]]
    counted = ok(starter.post(f"{BASE}/process-instance/count", {"variables": [
        {"name": "tag", "operator": "eq", "value": tag}, {"name": "amount", "operator": "lteq", "value": 10}]},
        format="json"))
    assert counted == {"count": 1}
    ordered = ok(starter.get(f"{BASE}/process-instance", {"variables": f"tag_eq_{tag}", "sortBy": "instanceId",
                                                          "sortOrder": "asc"}))
    assert [i["id"] for i in ordered] == sorted([low["id"], high["id"]])
    camunda_error(starter.get(f"{BASE}/process-instance", {"variables": "tag_about_x"}), 400)


def test_task_queries_by_body_and_dates_in_camunda_format(starter):
    deploy("loan_application.bpmn")
    instance = start_over_rest(starter, "loan-application", {"amount": {"value": 20000}, "applicant": {"value": "Bo"}})
    task = ok(starter.get(f"{BASE}/task", {"processInstanceId": instance["id"]}))[0]

    queried = ok(starter.post(f"{BASE}/task", {"processInstanceId": instance["id"], "processVariables": [
        {"name": "amount", "operator": "gteq", "value": 20000}], "createdAfter": "2000-01-01T00:00:00.000+0100"},
        format="json"))
    assert [t["id"] for t in queried] == [task["id"]] and task["priority"] == 80
    assert ok(starter.get(f"{BASE}/task", {"processInstanceId": instance["id"],
                                           "createdBefore": "2000-01-01T00:00:00.000+0100"})) == []
    camunda_error(starter.get(f"{BASE}/task", {"createdBefore": "yesterday"}), 400)
    assert CAMUNDA_DATE.match(task["due"])


# --- what a remote-engine adapter also calls -----------------------------------------------------

def test_deployment_suspension_task_update_identity_links_and_job_execution(api_client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.bpms.async_support import MODELS

    admin = api_client_for("deployer", "process-starter", "operator", "task-manager")
    upload = SimpleUploadedFile("loan_application.bpmn", (MODELS / "loan_application.bpmn").read_bytes())
    deployment = ok(admin.post(f"{BASE}/deployment/create", {"deployment-name": "facade", "data": upload},
                               format="multipart"))
    definition = next(iter(deployment["deployedProcessDefinitions"].values()))
    assert (deployment["name"], definition["key"]) == ("facade", "loan-application")
    assert deployment["deployedDecisionDefinitions"] is None     # as Camunda answers without .dmn files
    rules = SimpleUploadedFile("fees.dmn", (MODELS / "fees.dmn").read_bytes())
    decisions = ok(admin.post(f"{BASE}/deployment/create", {"deployment-name": "rules", "data": rules},
                              format="multipart"))["deployedDecisionDefinitions"]
    assert sorted((d["key"], d["version"], d["deploymentId"] is not None) for d in decisions.values()) == [
        ("fees", 1, True), ("total-fee", 1, True)]

    instance = ok(admin.post(f"{BASE}/process-definition/{definition['id']}/start", {
        "variables": {"amount": {"value": 1}, "applicant": {"value": "Al"}}}, format="json"))
    url = f"{BASE}/process-instance/{instance['id']}/suspended"
    assert admin.put(url, {"suspended": True}, format="json").status_code == 204
    assert ok(admin.get(f"{BASE}/process-instance/{instance['id']}"))["suspended"] is True
    assert admin.put(url, {"suspended": False}, format="json").status_code == 204
    camunda_error(admin.put(url, {"suspended": "yes"}, format="json"), 400)

    task = ok(admin.get(f"{BASE}/task", {"processInstanceId": instance["id"]}))[0]
    links = ok(admin.get(f"{BASE}/task/{task['id']}/identity-links", {"type": "candidate"}))
    assert {"userId": None, "groupId": "task-worker", "type": "candidate"} in links
    assert admin.put(f"{BASE}/task/{task['id']}", {**task, "name": "Review now", "priority": 99,
                                                   "due": "2030-01-02T03:04:05.000+0100",
                                                   "assignee": "anna"}, format="json").status_code == 204
    changed = ok(admin.get(f"{BASE}/task/{task['id']}"))
    assert (changed["name"], changed["priority"], changed["assignee"]) == ("Review now", 99, "anna")
    assert changed["due"].startswith("2030-01-02")
    camunda_error(admin.put(f"{BASE}/task/{task['id']}", {**changed, "priority": "high"}, format="json"), 400)

    deploy("async_short_timer.bpmn")
    waiting = start("async-short-timer", variables={"wait": "PT1H"})
    job = ok(admin.get(f"{BASE}/job", {"processInstanceId": str(waiting.id)}))[0]
    assert admin.post(f"{BASE}/job/{job['id']}/execute").status_code == 204
    assert UserTask.objects.filter(process_instance=waiting, task_definition_key="afterPause").exists()
