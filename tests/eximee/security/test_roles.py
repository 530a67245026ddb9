"""Each domain role against each class of endpoint, with real tokens: allowed where the endpoint
declares the role (or the caller is admin), 403 everywhere else, on probes and on every real
API endpoint that exists."""

import pytest
from django.test import RequestFactory
from rest_framework.request import Request

from eximee import roles
from eximee.endpoints import api_endpoints
from eximee.permissions import PUBLIC

pytestmark = [pytest.mark.urls("tests.eximee.security.urls"), pytest.mark.django_db]


@pytest.fixture(scope="module")
def tokens(oidc_provider):
    cache = {}

    def token(role):
        if role not in cache:
            cache[role] = oidc_provider.token_for(roles=[role] if role else [])
        return cache[role]

    return token


@pytest.mark.parametrize("endpoint_role", roles.ALL_ROLES)
def test_each_role_against_each_endpoint_class(oidc_settings, tokens, bearer, endpoint_role):
    for caller_role in (*roles.ALL_ROLES, None):
        response = bearer(tokens(caller_role)).get(f"/probe/role/{endpoint_role}")
        allowed = caller_role in (endpoint_role, roles.ADMIN)
        assert response.status_code == (200 if allowed else 403), (caller_role, endpoint_role)


def _real_endpoints():
    return [e for e in api_endpoints("tests.eximee.security.urls") if e.roles not in (PUBLIC, None)]


def test_real_endpoints_refuse_roles_they_do_not_declare(oidc_settings, tokens, bearer):
    """Every real endpoint against a token without roles and against one role it does not
    declare, taking turns so that every role meets many endpoints (all pairs take half a minute)."""
    denied_roles = [role for role in roles.ALL_ROLES if role != roles.ADMIN]
    checked = set()
    for index, endpoint in enumerate(_real_endpoints()):
        outsiders = [role for role in denied_roles if role not in endpoint.roles]
        for role in (None, outsiders[index % len(outsiders)]):
            client = bearer(tokens(role))
            response = getattr(client, endpoint.method.lower())(endpoint.sample_path, {}, format="json")
            assert response.status_code == 403, (role, endpoint, response.content[:200])
            checked.add(role)
    assert checked == {None, *denied_roles}


def test_real_endpoints_let_their_declared_roles_past_the_permission_check(make_user):
    from eximee.permissions import RoleRequired
    from django.urls import resolve

    for endpoint in _real_endpoints():
        match = resolve(endpoint.sample_path, "tests.eximee.security.urls")
        view_class = match.func.cls
        action = (getattr(match.func, "actions", None) or {}).get(endpoint.method.lower())
        for role in (*endpoint.roles, roles.ADMIN):
            user = make_user(f"holder-{role}", role)
            request = Request(getattr(RequestFactory(), endpoint.method.lower())(endpoint.sample_path))
            request.user = user
            view = view_class(action=action) if action else view_class()
            assert RoleRequired().has_permission(request, view), (role, endpoint)


def test_a_service_worker_token_can_be_restricted_to_topics(oidc_settings, oidc_provider, bearer):
    client = bearer(oidc_provider.token_for(roles=["service-worker", "service-worker:payments.*"]))

    def fetch(topic):
        return client.post("/v1/service-tasks/fetch-and-lock", {
            "workerId": "w1", "maxTasks": 1, "topics": [{"topicName": topic, "lockDuration": 1000}]}, format="json")

    assert fetch("payments.transfer").status_code == 200
    refused = fetch("loans.score")
    assert refused.status_code == 403 and refused.json()["errors"][0]["pointer"] == "/topics/0/topicName"
