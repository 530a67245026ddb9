import uuid

import pytest

from bpms import handlers
from bpms.handlers import BpmnError, ServiceTaskContext
from datamodel.models import DataRecord

from .conftest import valid_loan


def task(variables, task_id="task-1", business_key="LN-1"):
    return ServiceTaskContext(id=task_id, topic="datamodel.write", process_instance_id=str(uuid.uuid4()),
                              business_key=business_key, activity_id="storeScore", variables=variables)


def test_a_process_writes_computed_data(loan_model):
    write = handlers.get("datamodel.write")
    assert write(task({"businessData": valid_loan(), "dataModel": "loan-application"})) == {
        "businessDataRevision": 1}
    assert write(task({"data": {"term": 12}}, task_id="task-2")) == {"businessDataRevision": 2}
    record = DataRecord.objects.get(business_key="LN-1")
    assert (record.data["term"], record.model.name) == (12, "loan-application")
    assert record.revisions.get(revision=2).actor == "process:storeScore"


def test_a_repeated_run_of_the_same_service_task_writes_once(loan_model):
    write = handlers.get("datamodel.write")
    write(task({"businessData": valid_loan(), "dataModel": "loan-application"}))
    write(task({"data": {"term": 12}}, task_id="task-2"))
    write(task({"businessData": valid_loan(), "dataModel": "loan-application"}))
    assert DataRecord.objects.get(business_key="LN-1").data["term"] == 12


def test_invalid_data_is_a_bpmn_error_with_the_pointers(loan_model):
    with pytest.raises(BpmnError) as caught:
        handlers.get("datamodel.write")(task({"businessData": {"amount": 1}, "dataModel": "loan-application"}))
    assert caught.value.code == "invalid-business-data"
    assert {e["pointer"] for e in caught.value.variables["businessDataErrors"]} == {
        "/businessData", "/businessData/amount"}
    with pytest.raises(BpmnError):
        handlers.get("datamodel.write")(task({}))
    assert not DataRecord.objects.filter(revision__gt=0).exists()
