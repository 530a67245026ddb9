"""The issue's scenarios end to end through the API with real processes, no worker needed: a CRM
reads an application's structure, data and case status; a scoring system's event moves a waiting
process on, or starts one; invalid business data is refused with pointers and nothing stored."""

from datetime import timedelta

import pytest

from bpms.models import ProcessInstance, UserTask
from cases.models import EventRoute
from datamodel.models import DataRecord
from tests.datamodel.conftest import valid_loan

from .process_support import CASE_NUMBER, clients, deploy, start  # noqa: F401  (clients: fixture)

pytestmark = pytest.mark.django_db


def scoring_event(event_id="sc-1", event_type="scoring.completed", payload=None, correlation=None):
    return {"eventType": event_type, "source": "scoring", "eventId": event_id,
            "occurredAt": "2026-11-27T18:00:00Z", "correlation": {"caseNumber": CASE_NUMBER} if correlation is None else correlation,
            "payload": {"score": 712, "riskClass": "B"} if payload is None else payload}


def open_task_keys(instance_id):
    return list(UserTask.objects.filter(process_instance_id=instance_id, state=UserTask.CREATED)
                .values_list("task_definition_key", flat=True))


def test_a_crm_reads_the_structure_data_and_case_status_of_an_application(clients):
    clients["portal"].post("/v1/cases", {"caseNumber": CASE_NUMBER, "caseType": "loan-application"}, format="json")
    deploy(clients["deployer"], "await_scoring.bpmn")
    assert start(clients["portal"], "await-scoring", businessData=valid_loan()).status_code == 201

    crm = clients["crm"]
    structure = crm.get("/v1/data-models/loan-application/versions/1/structure").json()
    assert {"path": "/amount", "type": "number", "title": "Amount", "required": True,
            "minimum": 1000} in structure["fields"]
    [record] = crm.get("/v1/data-models/loan-application/records", {"caseNumber": CASE_NUMBER}).json()["results"]
    assert (record["data"], record["revision"], record["dataModelVersion"]) == (valid_loan(), 1, 1)
    [case] = crm.get("/v1/cases", {"caseNumber": CASE_NUMBER}).json()["results"]
    assert (case["status"], case["allowedStatuses"]) == ("submitted", ["in-review", "withdrawn"])


def test_invalid_business_data_at_start_is_422_with_pointers_and_nothing_is_stored(clients):
    deploy(clients["deployer"], "await_scoring.bpmn")
    response = start(clients["portal"], "await-scoring", businessData={"amount": "a lot", "term": 12})
    assert response.status_code == 422
    assert {(e["pointer"], e["detail"]) for e in response.json()["errors"]} == {
        ("/businessData", "'applicant' is a required property"),
        ("/businessData/amount", "'a lot' is not of type 'number'"),
    }
    assert not ProcessInstance.objects.exists()
    assert not DataRecord.objects.exists()


def test_a_scoring_event_moves_the_waiting_process_on(clients):
    EventRoute.objects.create(name="scoring-to-process", event_type="scoring.completed",
                              action=EventRoute.CORRELATE_MESSAGE, message_name="ScoringCompleted")
    deploy(clients["deployer"], "await_scoring.bpmn")
    instance = start(clients["portal"], "await-scoring", businessData=valid_loan()).json()
    assert open_task_keys(instance["id"]) == []

    response = clients["scoring"].post("/v1/events", scoring_event(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["outcome"] == "routed"
    [triggered] = body["triggered"]
    assert triggered["buffered"] is False
    assert triggered["results"] == [{"resultType": "Execution", "processInstanceId": instance["id"],
                                     "activityId": "waitForScoring"}]
    assert open_task_keys(instance["id"]) == ["review"]
    variables = clients["portal"].get(f"/v1/process-instances/{instance['id']}").json()["processVariables"]
    assert (variables["score"]["value"], variables["riskClass"]["value"]) == (712, "B")


def test_a_route_may_put_the_payload_into_business_data(clients):
    EventRoute.objects.create(name="scoring-to-data", event_type="scoring.completed",
                              action=EventRoute.CORRELATE_MESSAGE, message_name="ScoringCompleted",
                              payload_target=EventRoute.TO_BUSINESS_DATA)
    deploy(clients["deployer"], "await_scoring.bpmn")
    instance = start(clients["portal"], "await-scoring", businessData=valid_loan()).json()

    assert clients["scoring"].post("/v1/events", scoring_event(), format="json").json()["outcome"] == "routed"

    record = DataRecord.objects.get(business_key=CASE_NUMBER)
    assert (record.revision, record.data["score"], record.data["amount"]) == (2, 712, 50000)
    variables = clients["portal"].get(f"/v1/process-instances/{instance['id']}").json()["processVariables"]
    assert "score" not in variables


def test_a_message_nobody_waits_for_fails_the_event_unless_the_route_buffers_it(clients):
    route = EventRoute.objects.create(name="scoring", event_type="scoring.completed",
                                      action=EventRoute.CORRELATE_MESSAGE, message_name="ScoringCompleted")
    failed = clients["scoring"].post("/v1/events", scoring_event("sc-1"), format="json").json()
    assert failed["outcome"] == "failed"
    assert failed["triggered"][0]["error"]["status"] == 404

    route.message_time_to_live = timedelta(hours=1)
    route.save()
    buffered = clients["scoring"].post("/v1/events", scoring_event("sc-2"), format="json").json()
    assert buffered["outcome"] == "buffered"
    assert buffered["triggered"][0]["buffered"] is True


def test_an_event_may_start_a_process_with_its_payload_as_business_data(clients):
    EventRoute.objects.create(name="application-received", event_type="application.received",
                              action=EventRoute.START_PROCESS, process_definition_key="await-scoring",
                              payload_target=EventRoute.TO_BUSINESS_DATA)
    deploy(clients["deployer"], "await_scoring.bpmn")

    body = clients["scoring"].post("/v1/events", scoring_event("app-1", "application.received", valid_loan()),
                                   format="json").json()

    assert body["outcome"] == "routed"
    instance = ProcessInstance.objects.get(id=body["triggered"][0]["processInstanceId"])
    assert instance.business_key == CASE_NUMBER
    assert DataRecord.objects.get(business_key=CASE_NUMBER).data == valid_loan()

    invalid = clients["scoring"].post("/v1/events", scoring_event("app-2", "application.received", {"amount": 1}),
                                      format="json").json()
    assert invalid["outcome"] == "failed"
    assert invalid["triggered"][0]["error"]["status"] == 422
    # The case's record already holds the first application's data; the merge breaks the minimum.
    assert invalid["triggered"][0]["error"]["errors"] == [
        {"pointer": "/businessData/amount", "detail": "1 is less than the minimum of 1000"}]
    assert ProcessInstance.objects.count() == 1
    assert DataRecord.objects.get(business_key=CASE_NUMBER).revision == 1


def test_correlation_keys_pick_the_waiting_process_by_its_variables(clients):
    EventRoute.objects.create(name="scoring", event_type="scoring.completed", action=EventRoute.CORRELATE_MESSAGE,
                              message_name="ScoringCompleted")
    deploy(clients["deployer"], "await_scoring.bpmn")
    starts = {ref: clients["portal"].post("/v1/process-instances", {
        "processDefinitionKey": "await-scoring",
        "processVariables": {"applicationRef": {"value": ref, "type": "String"}}}, format="json").json()["id"]
        for ref in ("A-1", "A-2")}

    ambiguous = clients["scoring"].post("/v1/events", scoring_event("sc-0", correlation={}), format="json").json()
    body = clients["scoring"].post("/v1/events", scoring_event("sc-1", correlation={"keys": {"applicationRef": "A-2"}}),
                                   format="json").json()

    assert (ambiguous["outcome"], ambiguous["triggered"][0]["error"]["status"]) == ("failed", 409)
    assert body["outcome"] == "routed"
    assert open_task_keys(starts["A-2"]) == ["review"]
    assert open_task_keys(starts["A-1"]) == []
