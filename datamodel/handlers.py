"""Built-in service task `datamodel.write`: a process stores computed business data.

Input variables: `businessData` (or `data`), an object merged into the record of the instance's
case (its business key) or of the instance; optional `dataModel` names the model to validate
against when the record has none yet."""

from bpms.handlers import BpmnError, handler
from eximee.errors import DomainError

from .services import write_business_data


@handler("datamodel.write")
def write(task):
    data = task.variables.get("businessData", task.variables.get("data"))
    if not isinstance(data, dict):
        raise BpmnError("invalid-business-data", "Input variable 'businessData' (or 'data') must be an object.")
    try:
        record = write_business_data(
            data=data, actor=f"process:{task.activity_id}", business_key=task.business_key,
            process_instance_id=task.process_instance_id, model_name=task.variables.get("dataModel"),
            idempotency_key=f"service-task:{task.id}")
    except DomainError as exc:
        # Invalid data is a business outcome the model can catch, not a reason to retry.
        raise BpmnError("invalid-business-data", exc.detail, variables={"businessDataErrors": exc.errors}) from None
    return {"businessDataRevision": record.revision}
