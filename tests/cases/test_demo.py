"""The demo data of cases, datamodel and configuration loads, twice without duplicates, and serves
what the demo lines promise."""

import cases.demo
import configuration.demo
import datamodel.demo
from cases.models import Case, EventRoute
from datamodel.models import DataRecord


def load_all():
    return [*cases.demo.load(), *datamodel.demo.load(), *configuration.demo.load()]


def test_demo_data_loads_twice_and_is_served(db, api_client_for):
    load_all()
    load_all()
    assert sorted(Case.objects.values_list("case_number", flat=True)) == ["LN-2026-000123", "LOAN-DEMO-1",
                                                                          "LOAN-DEMO-2"]
    assert EventRoute.objects.count() == 2
    assert DataRecord.objects.get(business_key="LN-2026-000123").revision == 1
    client = api_client_for("case-reader", "datamodel-reader", "config-reader")
    [case] = client.get("/v1/cases", {"caseNumber": "LN-2026-000123"}).json()["results"]
    assert case["status"] == "submitted"
    [record] = client.get("/v1/data-models/loan-application/records",
                          {"caseNumber": "LN-2026-000123"}).json()["results"]
    assert record["data"]["applicant"]["lastName"] == "Kowalski"
    config = client.get("/v1/configuration/loan-portal/prod").json()["properties"]
    assert (config["features.instantDecision"], config["scoring.apiKey"], config["loan.terms"][0]) == (
        True, "******", 12)
