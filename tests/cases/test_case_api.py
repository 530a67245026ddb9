import pytest

from cases.models import Case


@pytest.fixture
def writer(api_client_for):
    return api_client_for("case-writer", "case-reader", username="anna")


def test_create_and_read_a_case(loan_type, writer):
    created = writer.post("/v1/cases", {"caseNumber": "LN-1", "caseType": "loan-application",
                                        "attributes": {"channel": "web"}}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["version"], body["attributes"], body["createdBy"]) == (
        "submitted", 1, {"channel": "web"}, "anna")
    assert body["allowedStatuses"] == ["in-review", "withdrawn"]
    assert created["ETag"] == '"1"'
    read = writer.get(created["Location"])
    assert read.json() == body
    assert read["ETag"] == '"1"'


def test_find_a_case_by_number(loan_type, loan_case, writer):
    writer.post("/v1/cases", {"caseNumber": "LN-2", "caseType": "loan-application"}, format="json")
    found = writer.get("/v1/cases", {"caseNumber": "LN-2026-000123"}).json()
    assert found["count"] == 1
    assert found["results"][0]["id"] == str(loan_case.id)


def test_filters_type_status_and_updated_range(loan_type, loan_case, writer):
    from cases.models import CaseType
    from cases.services.cases import change_status, create_case

    CaseType.objects.create(name="complaint", statuses=["open"], initial_statuses=["open"])
    create_case(case_number="C-1", case_type="complaint")
    change_status(case_number="LN-2026-000123", status="in-review")
    assert [c["caseNumber"] for c in writer.get("/v1/cases", {"type": "complaint"}).json()["results"]] == ["C-1"]
    assert [c["caseNumber"] for c in writer.get("/v1/cases", {"status": "in-review"}).json()["results"]] == [
        "LN-2026-000123"]
    updated = Case.objects.get(case_number="LN-2026-000123").updated
    after = writer.get("/v1/cases", {"updatedAfter": updated.isoformat()}).json()
    assert [c["caseNumber"] for c in after["results"]] == ["LN-2026-000123"]
    before = writer.get("/v1/cases", {"updatedBefore": updated.isoformat()}).json()
    assert [c["caseNumber"] for c in before["results"]] == ["C-1"]
    assert writer.get("/v1/cases", {"updatedAfter": "yesterday"}).status_code == 400


def test_case_numbers_are_unique(loan_case, writer):
    response = writer.post("/v1/cases", {"caseNumber": "LN-2026-000123", "caseType": "loan-application"},
                           format="json")
    assert response.status_code == 409
    assert response.json()["errors"] == [{"pointer": "/caseNumber", "detail": "already exists"}]


def test_create_refuses_unknown_types_and_non_initial_statuses(loan_type, writer):
    unknown = writer.post("/v1/cases", {"caseNumber": "X", "caseType": "nope"}, format="json")
    late = writer.post("/v1/cases", {"caseNumber": "X", "caseType": "loan-application", "status": "approved"},
                       format="json")
    missing = writer.post("/v1/cases", {"caseType": "loan-application"}, format="json")
    assert (unknown.status_code, late.status_code, missing.status_code) == (422, 422, 400)
    assert late.json()["allowedStatuses"] == ["submitted"]
    assert not Case.objects.exists()


def test_readers_cannot_write(loan_type, api_client_for):
    reader = api_client_for("case-reader")
    assert reader.post("/v1/cases", {"caseNumber": "X", "caseType": "loan-application"},
                       format="json").status_code == 403
    assert api_client_for("task-worker").get("/v1/cases").status_code == 403


def test_unknown_case_is_404(writer, db):
    assert writer.get("/v1/cases/00000000-0000-0000-0000-000000000000").status_code == 404


def test_case_types_refuse_undeclared_statuses(db):
    from django.core.exceptions import ValidationError

    from cases.models import CaseType

    for fields in ({"statuses": []}, {"initial_statuses": ["nope"]}, {"transitions": {"a": ["nope"]}}):
        kind = CaseType(name="t", **{"statuses": ["a", "b"], "initial_statuses": ["a"], **fields})
        with pytest.raises(ValidationError):
            kind.full_clean()
    CaseType(name="t", statuses=["a", "b"], initial_statuses=["a"], transitions={"a": ["b"]}).full_clean()
