"""Built-in service task `case.set-status`: a process moves its case (the instance's business key)
to the status in input variable `status`, with optional `reason`."""

from bpms.handlers import BpmnError, handler
from eximee.errors import Conflict, NotFound

from .services.cases import change_status


@handler("case.set-status")
def set_case_status(task):
    status = task.variables.get("status")
    if not isinstance(status, str) or not status:
        raise BpmnError("invalid-case-status", "Input variable 'status' must name a status.")
    if not task.business_key:
        raise BpmnError("case-not-found", "The process instance has no business key (case number).")
    try:
        case = change_status(case_number=task.business_key, status=status,
                             reason=str(task.variables.get("reason") or ""), actor=f"process:{task.activity_id}",
                             process_instance_id=task.process_instance_id,
                             idempotency_key=f"service-task:{task.id}")
    except NotFound as exc:
        raise BpmnError("case-not-found", exc.detail) from None
    except Conflict as exc:
        raise BpmnError("invalid-case-status-transition", exc.detail,
                        variables={"allowedStatuses": exc.extra["allowedStatuses"]}) from None
    return {"caseStatus": case.status, "caseVersion": case.version}
