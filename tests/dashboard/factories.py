"""Test data: real deployments and instances through the engine's services, and for read-only
pages that need states the engine reaches slowly, rows written straight to the bpms tables."""

import uuid
from pathlib import Path

from django.utils import timezone

from bpms.models import Deployment, ExternalTask, ProcessDefinition, ProcessInstance
from bpms.services import deployments, incidents, instances

MODELS = Path(__file__).parent / "models"

MINIMAL_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="{key}" isExecutable="true"><bpmn:startEvent id="start"/></bpmn:process>
</bpmn:definitions>"""


def make_definition(key, version=1):
    definition = ProcessDefinition.objects.filter(key=key, version=version).first()
    if definition:
        return definition
    deployment = Deployment.objects.create(name=f"{key}.bpmn")
    return ProcessDefinition.objects.create(
        key=key, version=version, name=key.replace("-", " ").title(), deployment=deployment,
        resource_name=f"{key}.bpmn", bpmn_xml=MINIMAL_BPMN.format(key=key), engine_spec={})


def make_instance(key, *, state=ProcessInstance.ACTIVE, business_key=None, has_incident=False, **fields):
    return ProcessInstance.objects.create(
        id=uuid.uuid4(), definition=make_definition(key), process_definition_key=key,
        business_key=business_key, state=state, has_incident=has_incident,
        started_at=fields.pop("started_at", timezone.now()), **fields)


def make_incident(instance, *, activity_id="score", message="Service unavailable", details=""):
    """A service task out of retries and its incident, opened by the async layer's own service."""
    task = ExternalTask.objects.create(
        process_instance=instance, engine_task_id=str(uuid.uuid4()), process_definition_key=instance.process_definition_key,
        business_key=instance.business_key, activity_id=activity_id, topic="scoring", retries=0,
        error_message=message, error_details=details)
    return incidents.create_for_external_task(task)


def deploy_loan_review():
    result = deployments.deploy(name="loan review", files=[("loan_review.bpmn", (MODELS / "loan_review.bpmn").read_bytes())],
                                actor="test")
    return result


def start_loan_review(business_key="LN-100", **variables):
    return instances.start_process_instance(process_definition_key="loan-review", business_key=business_key,
                                            variables=variables, actor="test")


def make_loan_case(case_number="LN-2026-000123", business_data=None):
    from cases.models import CaseType
    from cases.services.cases import create_case
    from datamodel.services import write_business_data

    CaseType.objects.get_or_create(name="loan-application", defaults={
        "title": "Loan application", "statuses": ["submitted", "in-review", "approved", "rejected"],
        "initial_statuses": ["submitted"],
        "transitions": {"submitted": ["in-review"], "in-review": ["approved", "rejected"]}})
    case = create_case(case_number=case_number, case_type="loan-application", actor="anna")
    if business_data is not None:
        write_business_data(data=business_data, actor="anna", business_key=case_number)
    return case


def publish_pdf_template(code="loan-summary"):
    from documents.services import create_template, publish_template

    template = create_template(code=code, name="Loan summary", body="<h1>Summary {{ caseNumber|default('') }}</h1>",
                               actor="test")
    return publish_template(template.pk, actor="test")
