import pytest

from cases.models import CaseType
from cases.services.cases import create_case

LOAN_STATUSES = ["submitted", "in-review", "approved", "rejected", "withdrawn"]
LOAN_TRANSITIONS = {
    "submitted": ["in-review", "withdrawn"],
    "in-review": ["approved", "rejected", "withdrawn"],
}


@pytest.fixture
def loan_type(db):
    return CaseType.objects.create(name="loan-application", title="Loan application", statuses=LOAN_STATUSES,
                                   initial_statuses=["submitted"], transitions=LOAN_TRANSITIONS)


@pytest.fixture
def loan_case(loan_type):
    return create_case(case_number="LN-2026-000123", case_type="loan-application", actor="anna")
