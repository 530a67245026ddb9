"""Built-in service-task handler: a process asks for a document and waits for its id.

    <bpmn:serviceTask id="make-decision" camunda:type="external" camunda:topic="documents.generate">
      inputs (process variables): templateCode, templateVersion?, outputFormat?, fileName?,
      data? | caseNumber? (default: the business data of the instance's business key, else of the
      instance), resultVariable? (default "documentId")

The render happens here, in the worker already running the handler; a re-run of the same service
task returns the document made the first time."""

from bpms.handlers import handler
from documents import services
from documents.models import GenerationRequest


class DocumentGenerationFailed(Exception):
    """A technical failure: the task's retries count down and then an incident is raised."""


@handler("documents.generate")
def generate(task):
    variables = task.variables
    template_code = variables.get("templateCode")
    if not template_code:
        raise DocumentGenerationFailed("The service task needs an input variable 'templateCode'.")
    request = services.generate_for_service_task(
        service_task_id=task.id, template_code=template_code, template_version=variables.get("templateVersion"),
        output_format=variables.get("outputFormat"), data=variables.get("data"),
        case_number=variables.get("caseNumber"), business_key=task.business_key,
        process_instance_id=task.process_instance_id, file_name=variables.get("fileName"),
        actor=f"process:{task.process_instance_id}")
    if request.status != GenerationRequest.Status.DONE:
        raise DocumentGenerationFailed(request.error or f"The document is still being rendered ({request.status}).")
    return {variables.get("resultVariable") or "documentId": str(request.document_id)}
