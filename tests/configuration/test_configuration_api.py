import pytest

URL = "/v1/configuration/loan-portal/prod"


@pytest.fixture
def reader(api_client_for):
    return api_client_for("config-reader")


def test_profile_values_override_the_default_profile(loan_portal, reader):
    body = reader.get(URL).json()
    assert body["properties"] == {
        "features.instantDecision": True,
        "limits.maxAmount": 200000,
        "retry": {"attempts": 3, "backoff": [1, 5]},
        "scoring.apiKey": "******",
        "ui.theme": "light",
    }
    sources = {entry["key"]: entry["profile"] for entry in body["entries"]}
    assert sources == {"features.instantDecision": "prod", "limits.maxAmount": "default", "retry": "prod",
                       "scoring.apiKey": "prod", "ui.theme": "default"}


def test_the_default_profile_and_an_unknown_profile_get_the_defaults(loan_portal, reader):
    default = reader.get("/v1/configuration/loan-portal/default").json()["properties"]
    assert default["features.instantDecision"] is False
    assert "retry" not in default
    assert reader.get("/v1/configuration/loan-portal/staging").json()["properties"] == default


def test_secrets_are_shown_only_to_the_secret_role(loan_portal, api_client_for):
    both = api_client_for("config-reader", "config-secret-reader")
    assert both.get(URL).json()["properties"]["scoring.apiKey"] == "prod-key-123"
    entry = next(e for e in both.get(URL).json()["entries"] if e["key"] == "scoring.apiKey")
    assert entry["secret"] is True


def test_etag_and_if_none_match(loan_portal, reader):
    first = reader.get(URL)
    tag = first["ETag"]
    cached = reader.get(URL, HTTP_IF_NONE_MATCH=tag)
    assert cached.status_code == 304
    assert cached["ETag"] == tag
    assert not cached.content
    assert reader.get(URL, HTTP_IF_NONE_MATCH='"other", W/' + tag).status_code == 304
    assert reader.get(URL, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_a_change_gives_a_new_etag(loan_portal, reader):
    from configuration.models import ConfigProperty

    tag = reader.get(URL)["ETag"]
    ConfigProperty.objects.filter(key="ui.theme").update(value="dark")
    changed = reader.get(URL, HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200
    assert changed["ETag"] != tag
    assert changed.json()["properties"]["ui.theme"] == "dark"


def test_masked_and_unmasked_views_have_different_etags(loan_portal, reader, api_client_for):
    secret_reader = api_client_for("config-reader", "config-secret-reader")
    assert reader.get(URL)["ETag"] != secret_reader.get(URL)["ETag"]
    assert secret_reader.get(URL, HTTP_IF_NONE_MATCH=reader.get(URL)["ETag"]).status_code == 200


def test_writes_are_405(loan_portal, reader):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(reader, method)(URL, {"properties": {}}, format="json")
        assert response.status_code == 405, method
        assert response["Content-Type"] == "application/problem+json"


def test_unknown_application_is_404(loan_portal, reader):
    assert reader.get("/v1/configuration/nope/prod").status_code == 404


def test_reading_needs_the_config_reader_role(loan_portal, api_client_for):
    assert api_client_for("config-secret-reader").get(URL).status_code == 403
