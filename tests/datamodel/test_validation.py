import pytest

from datamodel.models import DataRecord, DataRecordRevision
from datamodel.services import validate_data, write_business_data
from eximee.errors import RuleViolation

from .conftest import valid_loan


def test_every_violation_is_reported_with_its_pointer(loan_model):
    data = {"applicant": {"firstName": 7}, "amount": 10, "collaterals": [{"kind": "boat"}]}
    with pytest.raises(RuleViolation) as caught:
        validate_data("loan-application", None, data, pointer_prefix="/businessData")
    errors = {(e["pointer"], e["detail"]) for e in caught.value.errors}
    assert errors == {
        ("/businessData/amount", "10 is less than the minimum of 1000"),
        ("/businessData/applicant", "'lastName' is a required property"),
        ("/businessData/applicant/firstName", "7 is not of type 'string'"),
        ("/businessData/collaterals/0/kind", "'boat' is not one of ['car', 'flat']"),
    }


def test_invalid_write_stores_nothing(loan_model):
    with pytest.raises(RuleViolation) as caught:
        write_business_data(data={"amount": "a lot"}, actor="anna", business_key="LN-1",
                            model_name="loan-application")
    assert {e["pointer"] for e in caught.value.errors} == {"/businessData", "/businessData/amount"}
    assert not DataRecordRevision.objects.exists()
    assert not DataRecord.objects.filter(revision__gt=0).exists()


def test_merged_data_is_validated_as_a_whole(loan_model):
    write_business_data(data=valid_loan(), actor="anna", business_key="LN-1", model_name="loan-application")
    with pytest.raises(RuleViolation) as caught:
        write_business_data(data={"applicant": {"firstName": "Jan"}}, actor="anna", business_key="LN-1")
    assert caught.value.errors == [{"pointer": "/businessData/applicant",
                                    "detail": "'lastName' is a required property"}]
    assert DataRecord.objects.get(business_key="LN-1").revision == 1


def test_unknown_model_is_a_rule_violation(db):
    with pytest.raises(RuleViolation, match="no-such-model"):
        validate_data("no-such-model", None, {})


@pytest.mark.django_db
def test_data_must_be_an_object():
    from eximee.errors import InvalidRequest

    with pytest.raises(InvalidRequest):
        write_business_data(data=["x"], actor="anna", business_key="LN-1")
