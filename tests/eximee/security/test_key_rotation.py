"""A key rotation at the provider takes effect without restarting us: a token with a key id we
have not seen makes us fetch the provider's keys again."""

import pytest

from tests.oidc_fixtures import API_AUDIENCE, OidcProvider

pytestmark = [pytest.mark.urls("tests.eximee.security.urls"), pytest.mark.django_db]


@pytest.fixture
def rotating_provider(settings):
    provider = OidcProvider(keys=["test-key-1.json"]).start()
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_AUDIENCE = API_AUDIENCE
    settings.OIDC_JWKS_MIN_REFRESH_SECONDS = 0
    yield provider
    provider.stop()


def test_unknown_kid_is_refused_before_and_accepted_after_rotation(rotating_provider, bearer):
    old_token = rotating_provider.token_for(roles=["case-reader"])
    assert bearer(old_token).get("/probe/whoami").status_code == 200  # key 1 is now cached

    early = rotating_provider.forge(key="test-key-2.json")
    response = bearer(early).get("/probe/whoami")
    assert response.status_code == 401 and "unknown key" in response["WWW-Authenticate"]

    rotating_provider.restart(keys=["test-key-2.json", "test-key-1.json"])
    new_token = rotating_provider.token_for(roles=["case-reader"])
    assert '"kid":"test-key-2"' in _header(new_token)
    assert bearer(new_token).get("/probe/whoami").status_code == 200
    assert bearer(old_token).get("/probe/whoami").status_code == 200  # still published


def test_a_token_seen_before_is_refused_once_its_key_is_withdrawn(rotating_provider, bearer):
    old_token = rotating_provider.token_for(roles=["case-reader"])
    assert bearer(old_token).get("/probe/whoami").status_code == 200  # verified, and remembered

    rotating_provider.restart(keys=["test-key-2.json"])
    assert bearer(rotating_provider.token_for(roles=["case-reader"])).get("/probe/whoami").status_code == 200
    response = bearer(old_token).get("/probe/whoami")  # the keys were fetched again: key 1 is gone
    assert response.status_code == 401 and "unknown key" in response["WWW-Authenticate"]


def test_refetch_on_unknown_kid_is_throttled(rotating_provider, bearer, settings):
    settings.OIDC_JWKS_MIN_REFRESH_SECONDS = 60
    bearer(rotating_provider.forge(key="test-key-2.json")).get("/probe/whoami")  # uses up the refetch
    rotating_provider.restart(keys=["test-key-2.json"])
    # Within the interval a made-up or new kid does not make us call the provider again.
    response = bearer(rotating_provider.token_for(roles=["case-reader"])).get("/probe/whoami")
    assert response.status_code == 401


def _header(token):
    import base64

    return base64.urlsafe_b64decode(token.split(".")[0] + "==").decode()
