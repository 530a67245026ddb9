import pytest
from auditlog.models import LogEntry
from django.test import Client

from configuration.models import ConfigProperty


@pytest.fixture
def admin_client_(make_user):
    client = Client()
    client.force_login(make_user("root", "admin", is_staff=True, is_superuser=True))
    return client


def save(client, prop=None, **fields):
    data = {"application": "loan-portal", "profile": "default", "key": "k", "value_type": "string", "value": "",
            "description": "", **fields}
    if data.pop("secret", False):
        data["secret"] = "on"
    url = f"/admin/configuration/configproperty/{prop.pk}/change/" if prop else "/admin/configuration/configproperty/add/"
    return client.post(url, data)


def test_typed_values_are_checked(admin_client_, db):
    response = save(admin_client_, key="limit", value_type="number", value="a lot")
    assert response.status_code == 200
    assert b"Not a valid number" in response.content
    assert save(admin_client_, key="flags", value_type="json", value="{oops").status_code == 200
    assert save(admin_client_, key="on", value_type="boolean", value="maybe").status_code == 200
    assert not ConfigProperty.objects.exists()
    assert save(admin_client_, key="limit", value_type="number", value="1.5").status_code == 302
    assert ConfigProperty.objects.get(key="limit").typed_value() == 1.5


def test_secret_changes_are_audited_without_their_value(admin_client_, db):
    save(admin_client_, key="apiKey", value="first-secret", secret=True)
    prop = ConfigProperty.objects.get(key="apiKey")
    assert (prop.value, prop.secret_value) == ("", "first-secret")
    save(admin_client_, prop, key="apiKey", value="", secret=True, description="kept")
    assert ConfigProperty.objects.get(pk=prop.pk).secret_value == "first-secret"
    save(admin_client_, prop, key="apiKey", value="second-secret", secret=True)
    assert ConfigProperty.objects.get(pk=prop.pk).secret_value == "second-secret"
    entries = LogEntry.objects.get_for_object(prop)
    assert entries.count() == 3
    logged = " ".join(str(entry.changes) for entry in entries)
    assert "secret_value" in logged
    assert "first-secret" not in logged and "second-secret" not in logged


def test_plain_changes_are_audited_with_their_values(admin_client_, db):
    save(admin_client_, key="theme", value="light")
    prop = ConfigProperty.objects.get(key="theme")
    save(admin_client_, prop, key="theme", value="dark")
    change = LogEntry.objects.get_for_object(prop).filter(action=LogEntry.Action.UPDATE).get()
    assert change.actor.username == "root"
    assert change.changes_dict["value"] == ["light", "dark"]
