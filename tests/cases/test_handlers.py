import uuid

import pytest

from bpms import handlers
from bpms.handlers import BpmnError, ServiceTaskContext
from cases.models import Case, CaseStatusChange


def task(variables, business_key="LN-2026-000123", task_id=None):
    return ServiceTaskContext(id=task_id or str(uuid.uuid4()), topic="case.set-status",
                              process_instance_id=str(uuid.uuid4()), business_key=business_key,
                              activity_id="setInReview", variables=variables)


def test_the_handler_is_registered_for_its_topic():
    assert "case.set-status" in handlers.topics()


def test_a_process_moves_its_case(loan_case):
    result = handlers.get("case.set-status")(task({"status": "in-review", "reason": "scoring started"}))
    assert result == {"caseStatus": "in-review", "caseVersion": 2}
    change = CaseStatusChange.objects.get(case=loan_case, to_status="in-review")
    assert (change.reason, change.actor) == ("scoring started", "process:setInReview")
    assert change.process_instance_id is not None


def test_running_the_same_service_task_twice_changes_once(loan_case):
    same = task({"status": "in-review"}, task_id="task-1")
    handlers.get("case.set-status")(same)
    handlers.get("case.set-status")(same)
    assert Case.objects.get(pk=loan_case.pk).version == 2


def test_business_errors_the_model_can_catch(loan_case):
    set_status = handlers.get("case.set-status")
    with pytest.raises(BpmnError) as invalid:
        set_status(task({"status": "approved"}))
    assert invalid.value.code == "invalid-case-status-transition"
    assert invalid.value.variables == {"allowedStatuses": ["in-review", "withdrawn"]}
    with pytest.raises(BpmnError) as missing:
        set_status(task({"status": "in-review"}, business_key="LN-NONE"))
    assert missing.value.code == "case-not-found"
    with pytest.raises(BpmnError) as no_status:
        set_status(task({}))
    assert no_status.value.code == "invalid-case-status"
