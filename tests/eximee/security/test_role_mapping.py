"""Role mappings kept in the Django admin: an identity provider's group or role name grants domain
roles without a redeploy, for API tokens and dashboard sign-ins alike, winning over OIDC_ROLE_MAP;
every change is audited and takes effect with the next request."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from eximee import role_mapping
from eximee.models import AuditEntry, RoleMapping

from .test_dashboard_login import sign_in_with_provider

pytestmark = [pytest.mark.urls("tests.eximee.security.urls"), pytest.mark.django_db]

CHANGELIST = reverse("admin:eximee_rolemapping_changelist")
ADD = reverse("admin:eximee_rolemapping_add")


@pytest.fixture(autouse=True)
def no_cached_mappings():
    """The cached rows outlive a test's rolled-back transaction (no commit drops them)."""
    role_mapping.forget_cached_mappings()
    yield
    role_mapping.forget_cached_mappings()


@pytest.fixture
def admin_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    return client


def test_an_administrator_adds_a_mapping_and_the_change_is_audited(admin_client):
    response = admin_client.post(ADD, {"claim_value": "/bank/loan-officers", "role": "case-writer",
                                       "note": "ticket 42"}, follow=True)

    assert response.status_code == 200
    mapping = RoleMapping.objects.get()
    assert (mapping.claim_value, mapping.role) == ("/bank/loan-officers", "case-writer")
    change = LogEntry.objects.get_for_object(mapping).get(action=LogEntry.Action.CREATE)
    assert change.actor.username == "root"
    assert AuditEntry.objects.filter(target=ADD, actor="root", details__method="POST").exists()


def test_a_mapping_must_name_a_domain_role(admin_client):
    response = admin_client.post(ADD, {"claim_value": "/bank/loan-officers", "role": "chess-club"})

    assert response.status_code == 200
    assert "Not a domain role" in str(response.context["adminform"].form.errors["role"])
    assert not RoleMapping.objects.exists()
    admin_client.post(ADD, {"claim_value": "payments-team", "role": "service-worker:payments.*"})
    assert RoleMapping.objects.get().role == "service-worker:payments.*"  # a scoped role is one


def test_the_list_filters_by_role_and_searches(admin_client):
    RoleMapping.objects.create(claim_value="/bank/loan-officers", role="case-writer")
    RoleMapping.objects.create(claim_value="/bank/loan-officers", role="task-worker")
    RoleMapping.objects.create(claim_value="/bank/auditors", role="auditor")

    by_role = admin_client.get(CHANGELIST, {"role": "auditor"})
    searched = admin_client.get(CHANGELIST, {"q": "loan"})

    assert [m.claim_value for m in by_role.context["cl"].result_list] == ["/bank/auditors"]
    assert [m.role for m in searched.context["cl"].result_list] == ["case-writer", "task-worker"]


def test_a_mapping_grants_its_roles_to_a_token_at_the_next_request(oidc_settings, oidc_provider, bearer):
    token = oidc_provider.token_for(roles=["loan-officers"])
    assert bearer(token).get("/v1/cases").status_code == 403

    RoleMapping.objects.create(claim_value="loan-officers", role="case-reader")
    RoleMapping.objects.create(claim_value="loan-officers", role="task-worker")

    assert bearer(token).get("/v1/cases").status_code == 200
    assert bearer(token).get("/probe/whoami").json()["roles"] == ["case-reader", "task-worker"]


def test_admin_mappings_win_over_the_setting_and_deleting_one_falls_back(oidc_settings, oidc_provider, bearer,
                                                                         admin_client):
    oidc_settings.OIDC_ROLE_MAP = {"loan-officers": "auditor"}
    token = oidc_provider.token_for(roles=["loan-officers", "operator"])
    assert bearer(token).get("/probe/whoami").json()["roles"] == ["auditor", "operator"]

    mapping = RoleMapping.objects.create(claim_value="loan-officers", role="case-writer")
    assert bearer(token).get("/probe/whoami").json()["roles"] == ["case-writer", "operator"]

    admin_client.post(reverse("admin:eximee_rolemapping_delete", args=[mapping.pk]), {"post": "yes"})
    assert not RoleMapping.objects.exists()
    assert bearer(token).get("/probe/whoami").json()["roles"] == ["auditor", "operator"]


def test_a_dashboard_sign_in_gets_the_mapped_roles(oidc_settings, oidc_provider):
    RoleMapping.objects.create(claim_value="task-worker", role="task-manager")

    sign_in_with_provider(Client(), oidc_provider, "tom.worker")

    user = User.objects.get(username="tom.worker")
    assert list(user.groups.values_list("name", flat=True)) == ["task-manager"]
