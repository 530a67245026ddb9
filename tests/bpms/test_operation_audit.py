"""Audit of engine operations: one AuditEntry per operation (the request that caused it), whatever
the engine changed; the changes themselves are in the engine's timeline and history under the same
request id and actor, and not recorded a second time (partially) by django-auditlog."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from bpms.models import ProcessDefinition, ProcessInstance, ProcessVariable, UserTask, VariableChange
from eximee.models import AuditEntry, TimelineEvent

from .engine_support import deploy

pytestmark = pytest.mark.django_db


def test_each_operation_has_one_audit_entry_and_its_changes_in_the_timeline(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager", "operator")
    deploy(client, "local_scopes.bpmn")

    def call(method, url, request_id, body=None):
        response = getattr(client, method)(url, body, format="json", HTTP_X_REQUEST_ID=request_id)
        assert response.status_code < 300, response.json()
        return response.json()

    started = call("post", "/v1/process-instances", "op-start", {
        "processDefinitionKey": "local-scopes", "processVariables": {"reviewers": ["ann"], "draft": "d"}})
    task_id = started["openTasks"][0]["id"]
    call("post", f"/v1/tasks/{task_id}/unclaim", "op-claim")
    call("put", f"/v1/process-instances/{started['id']}/variables/priority", "op-variable", {"value": 2})
    call("post", f"/v1/tasks/{task_id}/complete", "op-complete", {"variables": {"verdict": "ok"}})
    call("delete", f"/v1/process-instances/{started['id']}", "op-cancel", {"reason": "withdrawn"})

    actor = client.user.username
    for request_id, kinds in {
        "op-start": {"process.started", "activity.started", "activity.completed", "task.created", "variable.created"},
        "op-claim": {"task.unclaimed"},
        "op-variable": {"variable.created"},
        "op-complete": {"task.completed", "activity.started", "task.created", "variable.created"},
        "op-cancel": {"process.cancelled"},
    }.items():
        [entry] = AuditEntry.objects.filter(request_id=request_id)
        assert (entry.actor, entry.outcome) == (actor, "success")
        timeline = TimelineEvent.objects.filter(request_id=request_id, process_instance_id=started["id"])
        assert kinds <= set(timeline.values_list("kind", flat=True)), request_id
        assert set(timeline.values_list("actor", flat=True)) == {actor}
    assert VariableChange.objects.filter(process_instance_id=started["id"], name="verdict").get().actor == actor

    engine_rows = ContentType.objects.get_for_models(
        ProcessDefinition, ProcessInstance, ProcessVariable, UserTask).values()
    assert not LogEntry.objects.filter(content_type__in=engine_rows).exists()
