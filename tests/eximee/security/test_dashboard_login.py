"""Dashboard sign-in through the real provider (authorization code + PKCE), roles mapped the same
way as for API tokens; logout; the demo's local login, off by default and rate-limited per address."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client

from eximee.models import AuditEntry
from tests.oidc_fixtures import DASHBOARD_REDIRECT_URIS

pytestmark = pytest.mark.django_db

CALLBACK = DASHBOARD_REDIRECT_URIS[0]  # http://testserver/auth/oidc/callback/


def sign_in_with_provider(client, provider, login):
    start = client.get("/auth/oidc/authenticate/", {"next": "/somewhere"})
    assert start.status_code == 302 and start["Location"].startswith(f"{provider.issuer}/auth?")
    back = urlsplit(provider.sign_in(start["Location"], login, CALLBACK))
    return start, client.get(back.path, parse_qs(back.query))


def test_sign_in_with_the_provider_uses_pkce_and_maps_roles(oidc_settings, oidc_provider):
    client = Client()
    start, done = sign_in_with_provider(client, oidc_provider, "olga.operator")
    request = parse_qs(urlsplit(start["Location"]).query)
    assert request["code_challenge_method"] == ["S256"] and request["code_challenge"]
    assert done.status_code == 302 and done["Location"] == "/somewhere"
    user = User.objects.get(username="olga.operator")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert sorted(user.groups.values_list("name", flat=True)) == ["case-reader", "operator"]
    assert not user.has_usable_password()


def test_logout_ends_the_session_here_and_at_the_provider(oidc_settings, oidc_provider):
    client = Client()
    sign_in_with_provider(client, oidc_provider, "tom.worker")
    assert client.get("/auth/logout/").status_code == 405  # a link cannot log anyone out
    response = client.post("/auth/logout/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{oidc_provider.issuer}/session/end?id_token_hint=")
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.filter(target="/auth/logout/", outcome="success").get()
    assert entry.actor == "tom.worker"


def test_a_stolen_callback_without_the_sessions_state_does_not_sign_in(oidc_settings, oidc_provider):
    victim, attacker = Client(), Client()
    start = victim.get("/auth/oidc/authenticate/")
    back = urlsplit(oidc_provider.sign_in(start["Location"], "adam.admin", CALLBACK))
    attacker.get(back.path, parse_qs(back.query))
    assert "_auth_user_id" not in attacker.session


def test_local_login_is_off_by_default(django_user_model):
    django_user_model.objects.create_user("demo", password="demo-password")
    client = Client()
    assert b'name="password"' not in client.get("/auth/login/").content
    assert client.post("/auth/login/", {"username": "demo", "password": "demo-password"}).status_code == 404
    assert "_auth_user_id" not in client.session


@pytest.fixture
def local_login(settings, django_user_model):
    settings.DEMO_LOCAL_LOGIN = True
    settings.LOCAL_LOGIN_RATE = "3/m"
    return django_user_model.objects.create_user("demo", password="demo-password")


def test_local_login_when_enabled(local_login):
    client = Client()
    assert b'name="password"' in client.get("/auth/login/").content
    response = client.post("/auth/login/", {"username": "demo", "password": "demo-password"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == local_login.pk


def test_failed_local_login_is_audited(local_login):
    Client().post("/auth/login/", {"username": "demo", "password": "wrong"}, HTTP_X_REQUEST_ID="bad-login")
    assert AuditEntry.objects.get(request_id="bad-login").outcome == "invalid-credentials"


def test_local_login_attempts_are_limited_per_address(local_login):
    client = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(3):
        assert client.post("/auth/login/", {"username": "demo", "password": "guess"}).status_code == 200
    blocked = client.post("/auth/login/", {"username": "demo", "password": "demo-password"})
    assert blocked.status_code == 429
    assert blocked["Retry-After"]
    assert blocked["Content-Type"] == "application/problem+json"
    other_address = Client(REMOTE_ADDR="198.51.100.10")
    assert other_address.post("/auth/login/", {"username": "demo", "password": "demo-password"}).status_code == 302


def test_unreachable_provider_sends_people_back_to_the_sign_in_page(settings):
    from tests.oidc_fixtures import free_port

    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    settings.OIDC_RP_CLIENT_ID = "eximee-dashboard"
    client = Client()
    response = client.get("/auth/oidc/authenticate/", follow=True)
    assert response.redirect_chain == [("/auth/login/", 302)]
    assert b"cannot be reached" in response.content


def test_logout_still_ends_the_session_when_the_provider_is_down(oidc_settings, oidc_provider):
    from tests.oidc_fixtures import free_port

    client = Client()
    sign_in_with_provider(client, oidc_provider, "tom.worker")
    oidc_settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    response = client.post("/auth/logout/")
    assert response["Location"] == "http://testserver/auth/login/"
    assert "_auth_user_id" not in client.session
