"""Demo data: the loan-application process (review by the task-worker group, a gateway, the built-in
`case.set-status` service task, data model `loan-application`) and two running applications."""

from pathlib import Path

from bpms.models import ProcessDefinition, ProcessInstance
from bpms.services.deployments import deploy
from bpms.services.instances import start_process_instance

MODEL = Path(__file__).parent / "demo_models" / "loan-application.bpmn"
APPLICATIONS = [("LOAN-DEMO-1", {"amount": 25000, "purpose": "car"}), ("LOAN-DEMO-2", {"amount": 4000, "purpose": "laptop"})]


def load():
    content = MODEL.read_bytes()
    latest = ProcessDefinition.objects.filter(key="loan-application").order_by("-version").first()
    if latest is None or latest.bpmn_xml != content.decode():
        deploy(name="Demo: loan application", files=[(MODEL.name, content)], actor="demo")
    lines = ["process loan-application deployed"]
    for business_key, variables in APPLICATIONS:
        if not ProcessInstance.objects.filter(business_key=business_key).exists():
            start_process_instance(process_definition_key="loan-application", business_key=business_key,
                                   variables=variables, actor="anna")
        lines.append(f"loan application {business_key} waiting for review by group task-worker")
    return lines
