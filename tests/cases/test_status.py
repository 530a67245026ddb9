import pytest

from cases.models import Case, CaseStatusChange
from tests.concurrency import at_once


@pytest.fixture
def writer(api_client_for):
    return api_client_for("case-writer", "case-reader", username="anna")


def put_status(client, case, status, if_match=None, reason=""):
    headers = {"HTTP_IF_MATCH": if_match} if if_match else {}
    return client.put(f"/v1/cases/{case.id}/status", {"status": status, "reason": reason}, format="json", **headers)


def test_a_valid_transition_moves_the_case_and_is_kept_in_the_history(loan_case, writer):
    response = put_status(writer, loan_case, "in-review", if_match='"1"', reason="documents complete")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["statusReason"], response["ETag"]) == (
        "in-review", "documents complete", '"2"')
    changes = list(CaseStatusChange.objects.filter(case=loan_case).values_list("from_status", "to_status", "actor"))
    assert changes == [("", "submitted", "anna"), ("submitted", "in-review", "anna")]


def test_an_invalid_transition_is_409_naming_the_allowed_ones(loan_case, writer):
    response = put_status(writer, loan_case, "approved")
    assert response.status_code == 409
    body = response.json()
    assert body["allowedStatuses"] == ["in-review", "withdrawn"]
    assert "in-review, withdrawn" in body["detail"]
    assert Case.objects.get(pk=loan_case.pk).status == "submitted"


def test_unknown_status_and_final_status(loan_case, writer):
    assert put_status(writer, loan_case, "no-such-status").status_code == 409
    put_status(writer, loan_case, "withdrawn")
    final = put_status(writer, loan_case, "in-review")
    assert final.status_code == 409
    assert final.json()["allowedStatuses"] == []


def test_a_stale_if_match_is_412_and_changes_nothing(loan_case, writer):
    assert put_status(writer, loan_case, "in-review", if_match='"1"').status_code == 200
    stale = put_status(writer, loan_case, "approved", if_match='"1"')
    assert stale.status_code == 412
    assert stale.json()["currentVersion"] == 2
    assert put_status(writer, loan_case, "approved", if_match='"bogus"').status_code == 412
    assert Case.objects.get(pk=loan_case.pk).status == "in-review"
    assert put_status(writer, loan_case, "approved", if_match='W/"2"').status_code == 200


def test_status_needs_a_status(loan_case, writer):
    assert writer.put(f"/v1/cases/{loan_case.id}/status", {}, format="json").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_concurrent_updates_with_the_same_version_one_wins(loan_type, api_client_for):
    from cases.services.cases import create_case

    case = create_case(case_number="LN-RACE", case_type="loan-application")
    client = api_client_for("case-writer")

    def update(target):
        return lambda: put_status(client, case, target, if_match='"1"').status_code

    statuses = at_once(update("in-review"), update("withdrawn"))
    assert sorted(statuses) == [200, 412]
    assert CaseStatusChange.objects.filter(case=case).count() == 2
