"""Demo data: the `loan-application` case type, case LN-2026-000123 and cases for the demo loan
processes, and event routes for a scoring system."""

from datetime import timedelta

from .models import Case, CaseType, EventRoute
from .services.cases import create_case

DEMO_CASES = ["LN-2026-000123", "LOAN-DEMO-1", "LOAN-DEMO-2"]


def load():
    CaseType.objects.update_or_create(name="loan-application", defaults={
        "title": "Loan application",
        "statuses": ["submitted", "in-review", "approved", "rejected", "withdrawn", "disbursed"],
        "initial_statuses": ["submitted"],
        "transitions": {"submitted": ["in-review", "withdrawn"], "in-review": ["approved", "rejected", "withdrawn"],
                        "approved": ["disbursed", "withdrawn"]},
    })
    for number in DEMO_CASES:
        if not Case.objects.filter(case_number=number).exists():
            create_case(case_number=number, case_type="loan-application", reason="application received",
                        attributes={"channel": "web", "branch": "Warszawa-Centrum"}, actor="demo")
    EventRoute.objects.update_or_create(name="scoring-completed", defaults={
        "event_type": "scoring.completed", "action": EventRoute.CORRELATE_MESSAGE,
        "message_name": "ScoringCompleted", "payload_target": EventRoute.TO_VARIABLES,
        "message_time_to_live": timedelta(days=1)})
    EventRoute.objects.update_or_create(name="application-withdrawn", defaults={
        "event_type": "application.withdrawn", "action": EventRoute.SET_CASE_STATUS, "case_status": "withdrawn"})
    return [f"cases {', '.join(DEMO_CASES)} (GET /v1/cases?caseNumber=LN-2026-000123)",
            "event routes: scoring.completed -> message ScoringCompleted, application.withdrawn -> case withdrawn"]
