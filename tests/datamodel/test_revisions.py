import uuid

from datamodel.models import DataRecord
from datamodel.selectors import business_data_for, business_data_for_instances
from datamodel.services import write_business_data
from eximee.models import TimelineEvent

from .conftest import valid_loan


def test_each_write_is_a_new_revision_merged_into_the_last(loan_model):
    first = write_business_data(data=valid_loan(), actor="anna", business_key="LN-1", model_name="loan-application")
    second = write_business_data(data={"term": 48}, actor="scoring", business_key="LN-1")
    assert first.pk == second.pk
    assert second.revision == 2
    assert second.data == valid_loan(term=48)
    revisions = list(second.revisions.order_by("revision").values_list("revision", "changed_fields", "actor"))
    assert revisions == [(1, ["amount", "applicant", "term"], "anna"), (2, ["term"], "scoring")]
    assert second.revisions.get(revision=1).data["term"] == 36
    assert second.model_version.version == 1


def test_processes_of_one_case_share_the_record(loan_model):
    write_business_data(data=valid_loan(), actor="a", business_key="LN-1", process_instance_id=uuid.uuid4(),
                        model_name="loan-application")
    write_business_data(data={"term": 12}, actor="a", business_key="LN-1", process_instance_id=uuid.uuid4())
    assert DataRecord.objects.count() == 1
    assert business_data_for(business_key="LN-1")["term"] == 12


def test_a_write_that_changes_nothing_keeps_the_revision(loan_model):
    write_business_data(data=valid_loan(), actor="a", business_key="LN-1", model_name="loan-application")
    record = write_business_data(data={"term": 36}, actor="a", business_key="LN-1")
    assert record.revision == 1


def test_a_repeated_idempotency_key_has_no_second_effect(loan_model):
    write_business_data(data=valid_loan(), actor="a", business_key="LN-1", model_name="loan-application",
                        idempotency_key="task-1")
    write_business_data(data={"term": 12}, actor="a", business_key="LN-1", idempotency_key="task-2")
    record = write_business_data(data={"term": 36}, actor="a", business_key="LN-1", idempotency_key="task-1")
    assert (record.revision, record.data["term"]) == (2, 12)


def test_free_form_data_of_an_instance_without_business_key(db):
    instance_id = uuid.uuid4()
    write_business_data(data={"anything": [1, 2]}, actor="a", process_instance_id=instance_id)
    assert business_data_for(process_instance_id=instance_id) == {"anything": [1, 2]}
    assert business_data_for(business_key="other") is None


def test_writes_go_to_the_timeline(loan_model):
    write_business_data(data=valid_loan(), actor="anna", business_key="LN-1", model_name="loan-application")
    event = TimelineEvent.objects.get(kind="businessdata.updated")
    assert (event.business_key, event.actor, event.data["revision"]) == ("LN-1", "anna", 1)


def test_business_data_of_many_instances_in_one_query(loan_model, django_assert_num_queries):
    with_key, without_key, without_record = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    write_business_data(data=valid_loan(), actor="a", business_key="LN-1", model_name="loan-application")
    write_business_data(data={"x": 1}, actor="a", process_instance_id=without_key)
    with django_assert_num_queries(1):
        found = business_data_for_instances([(with_key, "LN-1"), (without_key, None), (without_record, None)])
    assert found == {with_key: valid_loan(), without_key: {"x": 1}}
