"""The database backend prepares repeated statements and keeps bulk writes under the 65,535
parameters a statement may carry with server-side binding."""

from django.db import connection
from django.utils import timezone

from bpms.models import ProcessDefinition, ProcessInstance
from bpms.services.deployments import deploy
from eximee.postgresql.base import MAX_PARAMETERS
from tests.bpms.engine_support import MODELS


def test_a_statement_run_again_is_prepared(db):
    for _ in range(6):
        list(ProcessInstance.objects.filter(business_key="prepared-check"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("prepared-check" not in sql and '"bpms_processinstance"."business_key" = $1' in sql
               for sql in prepared)


def test_bulk_writes_beyond_the_parameter_limit_are_split(db):
    deploy(name="bulk", files=[("gateways.bpmn", (MODELS / "gateways.bpmn").read_bytes())], actor="test")
    definition = ProcessDefinition.objects.first()
    # Unbatched, the UPDATE of three fields would bind 7 parameters a row (2 per field, the pk) and
    # the INSERT 16: both over the limit.
    count = MAX_PARAMETERS // 7 + 500
    rows = [ProcessInstance(definition=definition, process_definition_key="bulk", business_key=f"B-{index}",
                            active_activity_ids=["a"], started_at=timezone.now()) for index in range(count)]

    ProcessInstance.objects.bulk_create(rows)
    for row in rows:
        row.business_key, row.end_reason, row.started_by = f"C-{row.business_key}", "bulk", "test"
    ProcessInstance.objects.bulk_update(rows, ["business_key", "end_reason", "started_by"])

    assert ProcessInstance.objects.filter(process_definition_key="bulk", end_reason="bulk",
                                          business_key__startswith="C-B-").count() == count
