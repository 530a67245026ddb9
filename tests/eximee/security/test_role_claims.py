"""Which claims grant which domain roles (OIDC_ROLES_CLAIMS, OIDC_ROLE_MAP), and what happens
when the provider cannot be reached."""

import pytest

from eximee.auth import groups_from_claims, is_machine_client, username_from_claims
from tests.oidc_fixtures import free_port

pytestmark = pytest.mark.django_db  # role mappings kept in the admin are rows (eximee/role_mapping.py)

CLAIMS = {
    "sub": "f3c1",
    "preferred_username": "anna",
    "realm_access": {"roles": ["operator", "offline_access"]},
    "resource_access": {"eximee-api": {"roles": ["deployer"]}},
    "groups": ["/bank/auditors"],
    "scope": "openid case-reader profile",
}


@pytest.fixture(autouse=True)
def default_claims(settings):
    settings.OIDC_ROLES_CLAIMS = ["realm_access.roles", "groups"]
    settings.OIDC_GROUPS_CLAIMS = ["groups"]
    settings.OIDC_ROLE_MAP = {}


def test_default_paths_are_realm_roles_and_groups():
    assert groups_from_claims(CLAIMS) == {"operator", "/bank/auditors"}


def test_plain_groups_become_groups_but_never_roles(settings):
    settings.OIDC_ROLES_CLAIMS = ["realm_access.roles"]
    claims = {"realm_access": {"roles": ["task-worker"]}, "groups": ["loan-officers", "admin", "operator:x"]}
    assert groups_from_claims(claims) == {"task-worker", "loan-officers"}


def test_client_roles_scope_and_a_role_map(settings):
    settings.OIDC_ROLES_CLAIMS = ["resource_access.eximee-api.roles", "scope", "groups"]
    settings.OIDC_GROUPS_CLAIMS = []
    settings.OIDC_ROLE_MAP = {"/bank/auditors": "auditor"}
    assert groups_from_claims(CLAIMS) == {"deployer", "case-reader", "auditor"}


def test_scoped_roles_are_kept_and_other_names_dropped(settings):
    settings.OIDC_ROLES_CLAIMS = ["groups"]
    settings.OIDC_GROUPS_CLAIMS = []
    claims = {"groups": ["service-worker", "service-worker:payments.*", "chess-club", "chess-club:x"]}
    assert groups_from_claims(claims) == {"service-worker", "service-worker:payments.*"}


def test_missing_or_odd_claims_grant_nothing(settings):
    settings.OIDC_ROLES_CLAIMS = ["realm_access.roles", "nothing.here", "sub"]
    assert groups_from_claims({"realm_access": "operator", "sub": 5, "groups": "x y"}) == {"x", "y"}


def test_people_and_machines_are_told_apart(settings):
    assert not is_machine_client({**CLAIMS, "client_id": "portal"})
    assert username_from_claims({**CLAIMS, "client_id": "portal"}) == "anna"
    machine = {"sub": "billing", "client_id": "billing"}
    assert is_machine_client(machine) and username_from_claims(machine) == "client:billing"
    keycloak_service_account = {"sub": "9d2e", "azp": "billing", "preferred_username": "service-account-billing"}
    assert username_from_claims(keycloak_service_account) == "client:billing"


@pytest.mark.urls("tests.eximee.security.urls")
@pytest.mark.django_db
def test_unreachable_provider_is_503_not_401(settings, oidc_provider, bearer):
    token = oidc_provider.forge()
    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    response = bearer(token).get("/probe/whoami")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json()["type"] == "urn:eximee:problem:service-unavailable"
