import pytest

from datamodel.models import DataModel, DataModelVersion

LOAN_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["applicant", "amount"],
    "properties": {
        "applicant": {"$ref": "#/$defs/person", "title": "Applicant"},
        "amount": {"type": "number", "title": "Amount", "minimum": 1000},
        "term": {"type": "integer", "title": "Term in months"},
        "collaterals": {"type": "array", "items": {
            "type": "object", "required": ["kind"],
            "properties": {"kind": {"type": "string", "enum": ["car", "flat"]}, "value": {"type": "number"}}}},
    },
    "$defs": {"person": {"type": "object", "required": ["lastName"], "properties": {
        "firstName": {"type": "string", "title": "First name"},
        "lastName": {"type": "string", "title": "Last name"},
        "email": {"type": "string", "format": "email"}}}},
}


@pytest.fixture
def loan_model(db):
    model = DataModel.objects.create(name="loan-application", title="Loan application")
    DataModelVersion.objects.create(model=model, version=1, schema=LOAN_SCHEMA, published=True)
    return model


def valid_loan(**overrides):
    return {"applicant": {"firstName": "Jan", "lastName": "Kowalski"}, "amount": 50000, "term": 36, **overrides}
