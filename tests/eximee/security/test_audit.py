"""Every request leaves an audit entry naming who did it; model changes made with a bearer token
carry the real actor in django-auditlog; the trail is append-only and readable by auditors."""

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import DatabaseError, transaction
from django.test import RequestFactory

from eximee import audit
from eximee.models import AuditEntry

pytestmark = [pytest.mark.urls("tests.eximee.security.urls"), pytest.mark.django_db]


def test_an_audited_read_names_actor_client_operation_target_and_request(oidc_settings, oidc_provider, bearer):
    client_id = oidc_provider.client_for(["auditor"])[0]
    response = bearer(oidc_provider.token_for(roles=["auditor"])).get(
        "/v1/audit-entries", HTTP_X_REQUEST_ID="read-1", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(request_id="read-1")
    assert entry.actor == f"client:{client_id}"
    assert entry.client_id == client_id
    assert entry.operation == "AuditEntryViewSet.list"
    assert entry.target == "/v1/audit-entries"
    assert entry.outcome == "success"
    assert entry.source_ip == "10.1.2.3"
    assert entry.details == {"method": "GET", "status": 200}


def test_a_refused_request_is_audited_with_its_problem_type(oidc_settings, oidc_provider, bearer):
    bearer(oidc_provider.token_for(roles=["task-worker"])).get("/v1/audit-entries", HTTP_X_REQUEST_ID="denied-1")
    bearer("garbage").get("/v1/audit-entries", HTTP_X_REQUEST_ID="denied-2")
    assert AuditEntry.objects.get(request_id="denied-1").outcome == "forbidden"
    anonymous = AuditEntry.objects.get(request_id="denied-2")
    assert (anonymous.outcome, anonymous.actor) == ("unauthenticated", "")


def test_person_is_the_actor_of_their_requests(oidc_settings, oidc_provider, bearer):
    bearer(oidc_provider.user_token("alice.auditor")).get("/v1/audit-entries", HTTP_X_REQUEST_ID="alice-1")
    entry = AuditEntry.objects.get(request_id="alice-1")
    assert (entry.actor, entry.client_id) == ("alice.auditor", "eximee-dashboard")


def test_model_change_with_a_bearer_token_has_the_real_actor(oidc_settings, oidc_provider, bearer):
    response = bearer(oidc_provider.token_for(roles=["operator"])).post("/probe/groups", {"name": "made-by-token"},
                                                                          format="json")
    assert response.status_code == 201
    group = Group.objects.get(name="made-by-token")
    change = LogEntry.objects.get_for_object(group).get(action=LogEntry.Action.CREATE)
    assert change.actor is not None
    assert change.actor.username == f"client:{oidc_provider.client_for(['operator'])[0]}"


def test_record_outside_a_request():
    entry = audit.record("documents.generated", "document:42", actor="celery", details={"pages": 3})
    assert (entry.actor, entry.operation, entry.target, entry.outcome) == ("celery", "documents.generated",
                                                                           "document:42", "success")


def test_record_with_a_request_takes_its_user_address_and_id(make_user):
    request = RequestFactory().post("/anything", REMOTE_ADDR="192.0.2.7")
    request.user = make_user("dora", "operator")
    request.id = "req-77"
    entry = audit.record("incident.retried", "incident:9", "conflict", request=request)
    assert (entry.actor, entry.source_ip, entry.request_id, entry.outcome) == ("dora", "192.0.2.7", "req-77",
                                                                               "conflict")


def test_forwarded_address_is_used_only_behind_a_trusted_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1")
    assert audit.client_ip(request) == "10.0.0.1"
    settings.TRUST_X_FORWARDED_FOR = True
    assert audit.client_ip(request) == "203.0.113.5"


def test_entries_cannot_be_changed_or_deleted():
    entry = audit.record("x", "y")
    entry.outcome = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    # ...nor behind the model's back: the database refuses it.
    for statement in (lambda: AuditEntry.objects.filter(pk=entry.pk).update(outcome="rewritten"),
                      lambda: AuditEntry.objects.filter(pk=entry.pk).delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            statement()
    assert AuditEntry.objects.get(pk=entry.pk).outcome == "success"


def test_admin_is_read_only(make_user):
    model_admin = admin.site._registry[AuditEntry]
    request = RequestFactory().get("/admin/")
    request.user = make_user("ann", "auditor", is_staff=True)
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    request.user = make_user("otto", "operator", is_staff=True)
    assert not model_admin.has_view_permission(request)


class TestAuditEntriesEndpoint:
    @pytest.fixture
    def auditor(self, api_client_for):
        return api_client_for("auditor")

    def test_filters(self, auditor):
        audit.record("task.completed", "/v1/tasks/1", actor="anna")
        audit.record("task.completed", "/v1/tasks/2", actor="bob")
        audit.record("message.correlated", "/v1/messages", actor="anna")
        body = auditor.get("/v1/audit-entries", {"actor": "anna", "operation": "task.completed"}).json()
        assert [(r["actor"], r["target"]) for r in body["results"]] == [("anna", "/v1/tasks/1")]
        body = auditor.get("/v1/audit-entries", {"target": "/v1/tasks/"}).json()
        assert {r["target"] for r in body["results"]} == {"/v1/tasks/1", "/v1/tasks/2"}

    def test_time_range(self, auditor):
        first = audit.record("a", "t")
        second = audit.record("b", "t")
        after = second.occurred_at.isoformat()
        body = auditor.get("/v1/audit-entries", {"occurredAfter": after}).json()
        assert {r["operation"] for r in body["results"]} >= {"b"} and "a" not in {r["operation"] for r in body["results"]}
        body = auditor.get("/v1/audit-entries", {"occurredBefore": second.occurred_at.isoformat(), "target": "t"}).json()
        assert [r["id"] for r in body["results"]] == [first.id]

    def test_bad_filter_is_400(self, auditor):
        response = auditor.get("/v1/audit-entries", {"occurredAfter": "yesterday"})
        assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"

    def test_detail_shape(self, auditor):
        entry = audit.record("config.read", "/v1/configuration/x", actor="svc", details={"k": 1})
        body = auditor.get(f"/v1/audit-entries/{entry.id}").json()
        assert body == {"id": entry.id, "occurredAt": body["occurredAt"], "actor": "svc", "clientId": "",
                        "operation": "config.read", "target": "/v1/configuration/x", "outcome": "success",
                        "requestId": "", "sourceIp": None, "details": {"k": 1}}
        assert body["occurredAt"].endswith("+00:00")

    def test_no_writes_through_the_api(self, api_client_for):
        admin_client = api_client_for("admin")
        entry = audit.record("x", "y")
        assert admin_client.post("/v1/audit-entries", {}, format="json").status_code == 405
        assert admin_client.delete(f"/v1/audit-entries/{entry.id}").status_code == 405
        assert admin_client.patch(f"/v1/audit-entries/{entry.id}", {}, format="json").status_code == 405

    def test_only_auditors(self, api_client_for):
        assert api_client_for("operator").get("/v1/audit-entries").status_code == 403
