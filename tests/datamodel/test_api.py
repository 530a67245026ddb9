import pytest

from datamodel.models import DataModelVersion
from datamodel.services import write_business_data

from .conftest import valid_loan


@pytest.fixture
def reader(api_client_for):
    return api_client_for("datamodel-reader")


def test_models_are_listed_with_their_versions(loan_model, reader):
    DataModelVersion.objects.create(model=loan_model, version=2, schema={"type": "object"})
    body = reader.get("/v1/data-models").json()
    assert body["count"] == 1
    model = body["results"][0]
    assert (model["name"], model["latestPublishedVersion"]) == ("loan-application", 1)
    assert [(v["version"], v["published"]) for v in model["versions"]] == [(1, True), (2, False)]
    assert reader.get("/v1/data-models/loan-application").json()["title"] == "Loan application"


def test_structure_has_schema_and_flattened_fields(loan_model, reader):
    body = reader.get("/v1/data-models/loan-application/versions/1/structure").json()
    assert body["schema"]["$defs"]["person"]["required"] == ["lastName"]
    fields = {f["path"]: f for f in body["fields"]}
    assert list(fields) == ["/applicant", "/applicant/firstName", "/applicant/lastName", "/applicant/email",
                            "/amount", "/term", "/collaterals", "/collaterals/*", "/collaterals/*/kind",
                            "/collaterals/*/value"]
    assert fields["/applicant"] == {"path": "/applicant", "type": "object", "title": "Applicant", "required": True}
    assert (fields["/applicant/lastName"]["required"], fields["/applicant/firstName"]["required"]) == (True, False)
    assert fields["/amount"] == {"path": "/amount", "type": "number", "title": "Amount", "required": True,
                                 "minimum": 1000}
    assert fields["/collaterals/*/kind"]["enum"] == ["car", "flat"]
    assert fields["/applicant/email"]["format"] == "email"


def test_a_crm_reads_the_data_of_a_case(loan_model, reader):
    record = write_business_data(data=valid_loan(), actor="anna", business_key="LN-2026-000123",
                                 model_name="loan-application")
    write_business_data(data={"term": 48}, actor="anna", business_key="LN-2026-000123")
    write_business_data(data=valid_loan(), actor="anna", business_key="LN-OTHER", model_name="loan-application")
    listed = reader.get("/v1/data-models/loan-application/records", {"caseNumber": "LN-2026-000123"}).json()
    assert [r["id"] for r in listed["results"]] == [str(record.id)]
    detail = reader.get(f"/v1/data-models/loan-application/records/{record.id}").json()
    assert detail["caseNumber"] == "LN-2026-000123"
    assert (detail["revision"], detail["dataModelVersion"], detail["data"]) == (2, 1, valid_loan(term=48))
    revisions = reader.get(f"/v1/data-models/loan-application/records/{record.id}/revisions").json()
    assert [(r["revision"], r["data"]["term"]) for r in revisions["results"]] == [(1, 36), (2, 48)]


def test_unknown_things_are_404_problems(loan_model, reader):
    for url in ("/v1/data-models/nope", "/v1/data-models/loan-application/versions/9/structure",
                "/v1/data-models/loan-application/records/00000000-0000-0000-0000-000000000000"):
        response = reader.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"


def test_bad_instance_id_filter_is_400(loan_model, reader):
    response = reader.get("/v1/data-models/loan-application/records", {"processInstanceId": "x"})
    assert response.status_code == 400


def test_reading_needs_the_datamodel_reader_role(loan_model, api_client_for):
    assert api_client_for("case-reader").get("/v1/data-models").status_code == 403
