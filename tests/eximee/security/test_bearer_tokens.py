"""Bearer tokens from a real OpenID provider: accepted when everything about them is right,
refused (401 + WWW-Authenticate: Bearer ... error="invalid_token") for every way they can be wrong."""

import base64
import hashlib
import hmac
import json
import time
from types import SimpleNamespace

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from jwt.algorithms import RSAAlgorithm
from redis.connection import AbstractConnection
from rest_framework.test import APIClient

from eximee import auth, roles
from tests.oidc_fixtures import OTHER_AUDIENCE, signing_jwk

pytestmark = [pytest.mark.urls("tests.eximee.security.urls"), pytest.mark.django_db]


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def assert_refused(response, why):
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:eximee:problem:unauthenticated"
    challenge = response["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="eximee", error="invalid_token"'), challenge
    assert why in challenge


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_machine_client_token_grants_its_role(oidc_settings, oidc_provider, bearer, role):
    response = bearer(oidc_provider.token_for(roles=[role])).get("/probe/whoami")
    assert response.status_code == 200, response.content
    client_id = oidc_provider.client_for([role])[0]
    assert response.json() == {"user": f"client:{client_id}", "roles": [role], "clientId": client_id}


def test_person_token_is_their_user_with_their_roles(oidc_settings, oidc_provider, bearer):
    response = bearer(oidc_provider.user_token("olga.operator")).get("/probe/whoami")
    assert response.status_code == 200, response.content
    assert response.json() == {"user": "olga.operator", "roles": ["case-reader", "operator"],
                               "clientId": "eximee-dashboard"}


def test_roles_are_mirrored_as_groups_and_follow_the_token(oidc_settings, oidc_provider, bearer):
    from django.contrib.auth.models import User

    client = oidc_provider.register_client(["case-reader", "case-writer"])
    bearer(oidc_provider.token_for(client=client)).get("/probe/whoami")
    user = User.objects.get(username=f"client:{client[0]}")
    assert sorted(user.groups.values_list("name", flat=True)) == ["case-reader", "case-writer"]


def test_claim_roles_map_through_the_role_map(oidc_settings, oidc_provider, bearer):
    oidc_settings.OIDC_ROLE_MAP = {"loan-officers": "case-writer"}
    oidc_settings.OIDC_ROLES_CLAIMS = ["groups"]
    response = bearer(oidc_provider.token_for(roles=["loan-officers", "not-a-domain-role"])).get("/probe/whoami")
    assert response.json()["roles"] == ["case-writer"]


def test_roles_only_come_from_the_configured_claim_paths(oidc_settings, oidc_provider, bearer):
    oidc_settings.OIDC_ROLES_CLAIMS = ["resource_access.nobody.roles"]
    response = bearer(oidc_provider.token_for(roles=["operator"])).get("/probe/whoami")
    assert response.status_code == 403


def test_es256_signed_token_is_accepted(oidc_settings, oidc_provider, bearer):
    token = oidc_provider.forge(key="test-key-ec.json", realm_access={"roles": ["auditor"]})
    response = bearer(token).get("/probe/whoami")
    assert response.status_code == 200, response.content
    assert response.json()["roles"] == ["auditor"]


def test_no_token_is_401_with_bearer_challenge(oidc_settings):
    response = APIClient().get("/probe/whoami")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="eximee"'


def test_expired_token(oidc_settings, oidc_provider, bearer):
    now = int(time.time())
    token = oidc_provider.forge(iat=now - 600, exp=now - 31)  # beyond the 30 s leeway
    assert_refused(bearer(token).get("/probe/whoami"), "expired")


def test_expiry_within_leeway_is_accepted(oidc_settings, oidc_provider, bearer):
    now = int(time.time())
    assert bearer(oidc_provider.forge(iat=now - 600, exp=now - 5)).get("/probe/whoami").status_code == 200


def test_not_yet_valid_token(oidc_settings, oidc_provider, bearer):
    token = oidc_provider.forge(nbf=int(time.time()) + 120)
    assert_refused(bearer(token).get("/probe/whoami"), "not valid yet")


def test_token_issued_in_the_future(oidc_settings, oidc_provider, bearer):
    now = int(time.time())
    assert_refused(bearer(oidc_provider.forge(iat=now + 120, exp=now + 600)).get("/probe/whoami"), "not valid yet")


def test_token_for_another_audience(oidc_settings, oidc_provider, bearer):
    token = oidc_provider.token_for(roles=["operator"], resource=OTHER_AUDIENCE)
    assert_refused(bearer(token).get("/probe/whoami"), "another audience")


def test_token_from_another_issuer(oidc_settings, oidc_provider, bearer):
    token = oidc_provider.forge(iss="http://127.0.0.1:1/evil")
    assert_refused(bearer(token).get("/probe/whoami"), "another issuer")


def test_token_without_expiry(oidc_settings, oidc_provider, bearer):
    assert_refused(bearer(oidc_provider.forge(exp=None)).get("/probe/whoami"), "exp")


def test_tampered_signature(oidc_settings, oidc_provider, bearer):
    header, payload, signature = oidc_provider.token_for(roles=["case-reader"]).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["realm_access"]["roles"] = ["admin"]
    tampered = ".".join([header, b64(json.dumps(claims).encode()), signature])
    assert_refused(bearer(tampered).get("/probe/whoami"), "Signature verification failed")


def test_alg_none_is_refused(oidc_settings, oidc_provider, bearer):
    real = oidc_provider.forge()
    header = {"alg": "none", "typ": "at+jwt", "kid": "test-key-1"}
    token = f"{b64(json.dumps(header).encode())}.{real.split('.')[1]}."
    assert_refused(bearer(token).get("/probe/whoami"), "'none' are not accepted")


def test_hs256_signed_with_the_public_key_is_refused(oidc_settings, oidc_provider, bearer):
    # The classic key-confusion attack: HMAC with the provider's public key as the secret.
    public_pem = RSAAlgorithm.from_jwk(json.dumps(signing_jwk())).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = b64(json.dumps({"alg": "HS256", "typ": "at+jwt", "kid": "test-key-1"}).encode())
    payload = oidc_provider.forge().split(".")[1]
    signature = b64(hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    assert_refused(bearer(f"{header}.{payload}.{signature}").get("/probe/whoami"), "'HS256' are not accepted")


def test_token_signed_with_a_key_the_provider_does_not_publish(oidc_settings, oidc_provider, bearer):
    token = oidc_provider.forge(key="test-key-2.json")  # kid test-key-2: not in this provider's JWKS
    assert_refused(bearer(token).get("/probe/whoami"), "unknown key")


def test_garbage_token(oidc_settings, bearer):
    assert_refused(bearer("not-a-jwt").get("/probe/whoami"), "not a well-formed JWT")


def test_token_naming_a_local_account_does_not_take_it_over(oidc_settings, oidc_provider, bearer, django_user_model):
    django_user_model.objects.create_user("root", password="local-password")
    token = oidc_provider.forge(sub="root", client_id="some-client", preferred_username="root")
    assert_refused(bearer(token).get("/probe/whoami"), "collides with a local account")


def test_a_steady_caller_is_served_without_reading_users_and_groups(oidc_settings, oidc_provider, bearer,
                                                                   django_assert_num_queries):
    client = bearer(oidc_provider.token_for(roles=["case-reader"]))
    client.get("/probe/whoami")
    with django_assert_num_queries(1):  # the audit entry
        assert client.get("/probe/whoami").status_code == 200


def test_a_steady_caller_costs_two_redis_round_trips(oidc_settings, oidc_provider, bearer, monkeypatch):
    """The cached user with the role mappings, and the rate-limit counter."""
    client = bearer(oidc_provider.token_for(roles=["case-reader"]))
    client.get("/probe/whoami")
    sent = []
    send = AbstractConnection.send_packed_command
    monkeypatch.setattr(AbstractConnection, "send_packed_command",
                        lambda connection, command, **kwargs: sent.append(command) or send(connection, command, **kwargs))
    assert client.get("/probe/whoami").status_code == 200
    assert len(sent) == 2, sent


def test_a_token_seen_again_is_not_verified_again_but_still_expires(oidc_settings, oidc_provider, bearer,
                                                                     monkeypatch):
    oidc_settings.OIDC_LEEWAY_SECONDS = 0
    expires = int(time.time()) + 300
    client = bearer(oidc_provider.forge(exp=expires))
    verifications = []
    decode = jwt.decode
    monkeypatch.setattr(jwt, "decode", lambda *args, **kwargs: verifications.append(1) or decode(*args, **kwargs))
    assert [client.get("/probe/whoami").status_code for _ in range(3)] == [200, 200, 200]
    assert len(verifications) == 1
    # The remembered token's expiry is checked against the clock of eximee.auth: moved past the
    # expiry (rather than waiting for it, which a busy machine could make the first calls outlast).
    monkeypatch.setattr(auth, "time", SimpleNamespace(time=lambda: expires + 1, monotonic=time.monotonic))
    assert_refused(client.get("/probe/whoami"), "expired")
    assert len(verifications) == 1


def test_the_tokens_a_process_remembers_are_bounded():
    from eximee.auth import VerifiedTokens

    remembered = VerifiedTokens()
    for n in range(VerifiedTokens.MAX_ENTRIES + 1):
        remembered.remember(f"token-{n}", "aud", {"exp": n}, "kid", None)
    assert remembered.get("token-0", "aud") is None
    assert remembered.get(f"token-{VerifiedTokens.MAX_ENTRIES}", "aud")[1] == VerifiedTokens.MAX_ENTRIES
    assert len(remembered._entries) <= VerifiedTokens.MAX_ENTRIES


def test_a_token_seen_before_is_checked_against_the_current_audience(oidc_settings, oidc_provider, bearer):
    client = bearer(oidc_provider.token_for(roles=["case-reader"]))
    assert client.get("/probe/whoami").status_code == 200
    oidc_settings.OIDC_AUDIENCE = OTHER_AUDIENCE
    assert_refused(client.get("/probe/whoami"), "another audience")


def test_changed_roles_are_mirrored_at_once(oidc_settings, oidc_provider, bearer):
    from django.contrib.auth.models import User

    bearer(oidc_provider.forge(realm_access={"roles": ["operator"]})).get("/probe/whoami")
    response = bearer(oidc_provider.forge(realm_access={"roles": ["auditor"]})).get("/probe/whoami")
    assert response.json()["roles"] == ["auditor"]
    user = User.objects.get(username="client:forged-client")
    assert list(user.groups.values_list("name", flat=True)) == ["auditor"]


def test_plain_groups_are_mirrored_for_candidate_groups_of_tasks(oidc_settings, oidc_provider, bearer):
    from django.contrib.auth.models import User

    oidc_settings.OIDC_ROLES_CLAIMS = ["realm_access.roles"]  # roles from here only, groups from "groups"
    token = oidc_provider.forge(realm_access={"roles": ["task-worker"]}, groups=["loan-officers", "admin"])
    assert bearer(token).get("/probe/whoami").json()["roles"] == ["task-worker"]  # "admin" as a group grants nothing
    user = User.objects.get(username="client:forged-client")
    assert sorted(user.groups.values_list("name", flat=True)) == ["loan-officers", "task-worker"]
