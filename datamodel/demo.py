"""Demo data: the `loan-application` data model (JSON Schema 2020-12) and the business data of
case LN-2026-000123."""

from django.utils import timezone

from .models import DataModel, DataModelVersion, DataRecord
from .services import write_business_data

LOAN_APPLICATION_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Loan application",
    "type": "object",
    "required": ["applicant", "amount", "term"],
    "properties": {
        "applicant": {"$ref": "#/$defs/person", "title": "Applicant"},
        "amount": {"type": "number", "title": "Requested amount (PLN)", "minimum": 1000, "maximum": 500000},
        "term": {"type": "integer", "title": "Term in months", "minimum": 6, "maximum": 120},
        "purpose": {"type": "string", "title": "Purpose", "enum": ["car", "home", "renovation", "laptop", "other"]},
        "monthlyIncome": {"type": "number", "title": "Monthly net income (PLN)", "minimum": 0},
        "collaterals": {"type": "array", "title": "Collaterals", "items": {
            "type": "object", "required": ["kind"],
            "properties": {"kind": {"type": "string", "title": "Kind", "enum": ["car", "flat", "guarantee"]},
                           "value": {"type": "number", "title": "Value (PLN)"}}}},
        "score": {"type": "integer", "title": "Credit score"},
        "decision": {"type": "string", "title": "Decision", "enum": ["approve", "reject"]},
    },
    "$defs": {"person": {"type": "object", "required": ["firstName", "lastName"], "properties": {
        "firstName": {"type": "string", "title": "First name"},
        "lastName": {"type": "string", "title": "Last name"},
        "pesel": {"type": "string", "title": "PESEL", "pattern": "^[0-9]{11}$"},
        "email": {"type": "string", "title": "E-mail", "format": "email"}}}},
}


def load():
    model, _ = DataModel.objects.get_or_create(
        name="loan-application", defaults={"title": "Loan application",
                                           "description": "Business data of a consumer loan application."})
    DataModelVersion.objects.get_or_create(model=model, version=1, defaults={
        "schema": LOAN_APPLICATION_SCHEMA, "published": True, "published_at": timezone.now()})
    if not DataRecord.objects.filter(business_key="LN-2026-000123").exists():
        write_business_data(
            data={"applicant": {"firstName": "Jan", "lastName": "Kowalski", "email": "jan.kowalski@example.com"},
                  "amount": 120000, "term": 60, "purpose": "home", "monthlyIncome": 9500,
                  "collaterals": [{"kind": "flat", "value": 450000}]},
            actor="demo", business_key="LN-2026-000123", model_name="loan-application")
    return ["data model loan-application v1 (GET /v1/data-models/loan-application/versions/1/structure)",
            "business data of case LN-2026-000123 (GET /v1/data-models/loan-application/records?caseNumber=...)"]
