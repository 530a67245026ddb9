"""The documents.generate handler called as the async layer calls it, in this process."""

import uuid

import pytest

from bpms import handlers
from bpms.handlers import ServiceTaskContext
from datamodel.services import write_business_data
from documents.handlers import DocumentGenerationFailed
from documents.models import Document, GenerationRequest

from .support import DECISION_BODY, docx_text, loan_data, pdf_pages, published, word_template

pytestmark = pytest.mark.django_db


def task(variables, *, business_key=None, task_id=None):
    return ServiceTaskContext(id=task_id or str(uuid.uuid4()), topic="documents.generate",
                              process_instance_id=str(uuid.uuid4()), business_key=business_key,
                              activity_id="generateDecision", variables=variables)


def generate(context):
    return handlers.get("documents.generate")(context)


def document_text(document_id):
    document = Document.objects.get(pk=document_id)
    with document.file.open("rb") as handle:
        return pdf_pages(handle.read())[0]


def test_registered_for_its_topic():
    assert "documents.generate" in handlers.topics()


def test_default_source_is_the_business_data_of_the_instances_business_key(decision_template):
    write_business_data(data=loan_data(caseNumber="LN-100"), actor="t", business_key="LN-100")
    output = generate(task({"templateCode": "decision"}, business_key="LN-100"))
    assert list(output) == ["documentId"]
    assert "Decyzja kredytowa LN-100" in document_text(output["documentId"])
    request = GenerationRequest.objects.get()
    assert (request.source, request.business_key, request.status) == ("caseNumber", "LN-100", "done")


def test_data_variable_case_number_and_result_variable(decision_template):
    write_business_data(data=loan_data(caseNumber="LN-200"), actor="t", business_key="LN-200")
    from_case = generate(task({"templateCode": "decision", "caseNumber": "LN-200", "resultVariable": "letterId"}))
    from_data = generate(task({"templateCode": "decision", "data": loan_data(caseNumber="INLINE")},
                              business_key="LN-200"))
    assert "Decyzja kredytowa LN-200" in document_text(from_case["letterId"])
    assert "Decyzja kredytowa INLINE" in document_text(from_data["documentId"])


def test_without_business_key_the_instances_own_data_is_used(decision_template):
    context = task({"templateCode": "decision"})
    write_business_data(data=loan_data(caseNumber="NO-KEY"), actor="t", process_instance_id=context.process_instance_id)
    assert "Decyzja kredytowa NO-KEY" in document_text(generate(context)["documentId"])


def test_docx_template_from_a_process():
    published(code="letter", output_format="docx", sample_data={"name": "x"},
              docx_content=word_template("Dzień dobry {{ name }}"))
    output = generate(task({"templateCode": "letter", "data": {"name": "Łukasz"}}))
    document = Document.objects.get(pk=output["documentId"])
    with document.file.open("rb") as handle:
        assert "Dzień dobry Łukasz" in docx_text(handle.read())


def test_running_the_same_service_task_twice_returns_the_same_document(decision_template):
    same = task({"templateCode": "decision", "data": loan_data()}, task_id="task-7")
    assert generate(same) == generate(same)
    assert Document.objects.count() == GenerationRequest.objects.count() == 1


def test_failure_is_a_technical_error_and_a_rerun_tries_again(decision_template):
    broken = task({"templateCode": "decision", "data": {"caseNumber": "X"}}, task_id="task-8")
    with pytest.raises(DocumentGenerationFailed, match="Missing template variable: 'applicant' is undefined"):
        generate(broken)
    # The operator fixed the data (or published a new template version) and retried the incident.
    fixed = task({"templateCode": "decision", "data": loan_data()}, task_id="task-8")
    assert Document.objects.filter(pk=generate(fixed)["documentId"]).exists()
    assert sorted(GenerationRequest.objects.values_list("status", flat=True)) == ["done", "failed"]


def test_inputs_the_handler_cannot_work_with():
    with pytest.raises(DocumentGenerationFailed, match="needs an input variable 'templateCode'"):
        generate(task({}))
    published(code="decision", body=DECISION_BODY, sample_data=loan_data())
    with pytest.raises(Exception, match="Case LN-NONE has no business data"):
        generate(task({"templateCode": "decision"}, business_key="LN-NONE"))
    with pytest.raises(Exception, match="has no published version"):
        generate(task({"templateCode": "unknown", "data": {}}))
