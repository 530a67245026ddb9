"""Multi-instance user tasks: a parallel one over a ${...} collection with an element variable and a
completion condition, then a sequential one with a cardinality expression and ${loopCounter}."""

import pytest

from bpms.models import UserTask

from .engine_support import complete, complete_in_turn, deploy, instance, start

pytestmark = pytest.mark.django_db


def test_parallel_collection_with_completion_condition_then_sequential_cardinality(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, "multi_instance.bpmn")
    started = start(client, "multi-instance", {"approvers": ["ann", "bob", "cid"], "signatures": 2})
    assert sorted(t["assignee"] for t in started["openTasks"]) == ["ann", "bob", "cid"]

    for assignee in ("ann", "bob"):
        task = UserTask.objects.get(process_instance_id=started["id"], state="created", assignee=assignee)
        assert complete(client, task.id).status_code == 200

    # two of three completed: the condition holds, the third approval is cancelled
    assert UserTask.objects.get(process_instance_id=started["id"], assignee="cid").state == "cancelled"
    assert complete_in_turn(client, started["id"], 2) == ["signer_0", "signer_1"]
    assert instance(client, started["id"])["state"] == "completed"
