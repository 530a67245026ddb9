"""A process asks for a document on topic documents.generate and continues with its id; a real
Celery worker runs the built-in handler."""

from pathlib import Path

import pytest

from bpms.engine import get_engine
from bpms.engine.interface import Resource
from bpms.models import Incident, ProcessVariable, UserTask
from bpms.services.instances import start_process_instance
from documents.models import Document
from eximee import timeline

from .support import POLISH, loan_data, pdf_pages, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

MODEL = Path(__file__).parent / "models" / "loan_decision.bpmn"


@pytest.fixture
def process(db):
    get_engine().deploy(name="documents tests", resources=[Resource(MODEL.name, MODEL.read_bytes())], actor="t")


def variables(instance):
    return dict(ProcessVariable.objects.filter(process_instance=instance).values_list("name", "value"))


def test_the_process_waits_for_its_document_and_continues_with_its_id(process, decision_template, celery_worker):
    instance = start_process_instance(
        process_definition_key="loan-decision-letter", business_key="LN-2026-42", actor="t",
        variables={"templateCode": "decision", "resultVariable": "decisionDocumentId"},
        business_data=loan_data(caseNumber="LN-2026-42", applicant={"firstName": "Jan", "lastName": POLISH}))

    wait_until(lambda: UserTask.objects.filter(process_instance=instance, task_definition_key="sendDecision").exists())

    document = Document.objects.get(pk=variables(instance)["decisionDocumentId"])
    assert (document.business_key, str(document.process_instance_id)) == ("LN-2026-42", str(instance.id))
    with document.file.open("rb") as handle:
        assert f"Wnioskodawca: Jan {POLISH}" in pdf_pages(handle.read())[0]
    case_history = [event.kind for event in timeline.for_business_key("LN-2026-42")]
    assert case_history.index("document.requested") < case_history.index("document.generated")
    generated = timeline.for_business_key("LN-2026-42").get(kind="document.generated")
    assert generated.data["documentId"] == str(document.pk)


def test_a_template_that_fails_ends_in_an_incident_with_the_reason(process, decision_template, celery_worker):
    instance = start_process_instance(
        process_definition_key="loan-decision-letter", business_key="LN-2026-43", actor="t",
        variables={"templateCode": "decision"}, business_data={"caseNumber": "LN-2026-43"})

    incident = wait_until(lambda: Incident.objects.filter(process_instance=instance).first())

    assert "Missing template variable: 'applicant' is undefined" in incident.message
    assert not Document.objects.exists()
