"""Input PostgreSQL cannot store (NUL characters) is a 400 problem naming where it is, never a 500."""

import pytest

from cases.models import Case, DomainEvent
from datamodel.models import DataRecord
from datamodel.services import write_business_data
from eximee.errors import InvalidRequest


@pytest.fixture
def client(api_client_for):
    return api_client_for("event-publisher", "case-writer", "case-reader", "datamodel-reader")


def test_nul_in_an_event_payload_or_keys(client, db):
    event = {"eventType": "t", "source": "s", "eventId": "1", "occurredAt": "2026-11-27T18:00:00Z"}
    payload = client.post("/v1/events", {**event, "payload": {"list": ["ok", "a\u0000"]}}, format="json")
    keys = client.post("/v1/events", {**event, "correlation": {"keys": {"k\u0000": 1}}}, format="json")
    assert (payload.status_code, keys.status_code) == (400, 400)
    assert payload.json()["errors"] == [{"pointer": "/payload/list/1", "detail": "contains a NUL character"}]
    assert keys.json()["errors"] == [{"pointer": "/correlation/keys/k\u0000", "detail": "contains a NUL character"}]
    assert not DomainEvent.objects.exists()


def test_nul_in_case_attributes(client, loan_type):
    response = client.post("/v1/cases", {"caseNumber": "A", "caseType": "loan-application",
                                         "attributes": {"note": "x\u0000"}}, format="json")
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_nul_in_a_record_query(client, db):
    assert client.get("/v1/data-models/x/records", {"caseNumber": "a\x00b"}).status_code == 400


def test_nul_in_business_data(db):
    with pytest.raises(InvalidRequest) as caught:
        write_business_data(data={"applicant": {"name": "\x00"}}, actor="a", business_key="LN-1")
    assert caught.value.errors == [{"pointer": "/businessData/applicant/name", "detail": "contains a NUL character"}]
    assert not DataRecord.objects.exists()
