"""A terminate end event ends its own scope: inside an embedded subprocess it ends the subprocess
(its other branches too) and the process goes on after it, as in Camunda."""

import pytest

from bpms.models import UserTask

from .engine_support import complete, deploy, instance, start

pytestmark = pytest.mark.django_db


def test_a_terminate_end_event_ends_only_its_subprocess(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, "terminate_in_subprocess.bpmn")
    started = start(client, "terminate-inner")
    assert started["activeActivityIds"] == ["a", "b", "outer", "sub"]

    [a] = [t for t in started["openTasks"] if t["taskDefinitionKey"] == "a"]
    assert complete(client, a["id"]).status_code == 200

    body = instance(client, started["id"])
    assert body["state"] == "active" and body["activeActivityIds"] == ["after", "outer"]
    assert UserTask.objects.get(process_instance_id=started["id"], task_definition_key="b").state == "cancelled"
