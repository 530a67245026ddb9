"""Test data: real deployments and instances through the configured engine (so the scenarios that
use only these also run on the camunda7 adapter: tests/bpms/camunda7/test_dashboard_on_both_engines.py),
and for read-only pages that need states the engine reaches slowly, rows written straight to the
bpms tables."""

import uuid
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from bpms.engine import get_engine
from bpms.models import Deployment, ExternalTask, Incident, ProcessDefinition, ProcessInstance
from bpms.services import deployments, incidents, instances
from bpms.services.external_tasks import TopicRequest

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


# An external service task `score` on the topic its instance names: a topic per instance, so a
# worker never locks another test's task on the engine server the camunda7 runs share.
SCORING_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="{key}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>toScore</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="toScore" sourceRef="start" targetRef="score" />
    <bpmn:serviceTask id="score" name="Score" camunda:type="external" camunda:topic="${{topic}}">
      <bpmn:incoming>toScore</bpmn:incoming><bpmn:outgoing>toEnd</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="toEnd" sourceRef="score" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>toEnd</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""
SCORER = "scorer"


def start_scoring(key="loan-approval", business_key=None):
    """An instance of process `key` (deployed on first use) waiting in its service task `score`."""
    if not ProcessDefinition.objects.filter(key=key).exists():
        deployments.deploy(name=key, files=[(f"{key}.bpmn", SCORING_BPMN.format(key=key).encode())], actor="test")
    return instances.start_process_instance(process_definition_key=key, business_key=business_key,
                                            variables={"topic": f"scoring-{uuid.uuid4().hex[:8]}"}, actor="test")


def _lock_score_task(instance):
    topic = instance.variables.get(name="topic").value
    [task] = get_engine().fetch_and_lock(worker_id=SCORER, max_tasks=1, use_priority=False, async_response_timeout=0,
                                         topics=[TopicRequest(topic_name=topic, lock_duration=timedelta(minutes=5))])
    return task


def fail_scoring(instance, *, message="Service unavailable", details=""):
    """The worker fails the instance's `score` task with no retries left: the engine opens the incident."""
    task = _lock_score_task(instance)
    get_engine().fail_external_task(task.id, worker_id=SCORER, error_message=message, error_details=details,
                                    retries=0, retry_timeout=timedelta(0), actor=SCORER)
    return Incident.objects.get(process_instance=instance, resolved_at__isnull=True)


def complete_scoring(instance):
    get_engine().complete_external_task(_lock_score_task(instance).id, worker_id=SCORER, variables={},
                                        business_data=None, actor=SCORER)


def retry_incident(incident, actor="someone"):
    """A retry as operators make one (the dashboard and /v1 both go through the engine)."""
    return get_engine().retry_incident(incident.pk, retries=1, actor=actor)


def deploy_loan_review():
    result = deployments.deploy(name="loan review", files=[("loan_review.bpmn", (MODELS / "loan_review.bpmn").read_bytes())],
                                actor="test")
    return result


def start_loan_review(business_key="LN-100", actor="test", **variables):
    return instances.start_process_instance(process_definition_key="loan-review", business_key=business_key,
                                            variables=variables, actor=actor)


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
