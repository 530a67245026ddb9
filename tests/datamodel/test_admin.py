import pytest
from django.test import Client

from datamodel.models import DataModelVersion


@pytest.fixture
def admin_client_(make_user):
    client = Client()
    client.force_login(make_user("root", "admin", is_staff=True, is_superuser=True))
    return client


def test_a_published_version_is_view_only_in_the_admin(loan_model, admin_client_):
    version = loan_model.versions.get(version=1)
    url = f"/admin/datamodel/datamodelversion/{version.pk}/change/"
    assert admin_client_.get(url).status_code == 200
    assert admin_client_.post(url, {"model": loan_model.pk, "version": 1, "schema": "{}"}).status_code == 403
    assert loan_model.versions.get(version=1).schema != {}


def test_a_draft_is_edited_then_published(loan_model, admin_client_):
    draft = DataModelVersion.objects.create(model=loan_model, version=2, schema={"type": "object"})
    url = f"/admin/datamodel/datamodelversion/{draft.pk}/change/"
    response = admin_client_.post(url, {"model": loan_model.pk, "version": 2, "schema": '{"type": "object"}',
                                        "published": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published and draft.published_at is not None
    assert admin_client_.post(url, {"model": loan_model.pk, "version": 2,
                                    "schema": '{"type": "nope"}'}).status_code == 403


def test_an_invalid_schema_is_refused_in_the_admin(loan_model, admin_client_):
    response = admin_client_.post("/admin/datamodel/datamodelversion/add/",
                                  {"model": loan_model.pk, "version": 3, "schema": '{"type": "nope"}'})
    assert response.status_code == 200
    assert b"Not a valid JSON Schema 2020-12" in response.content
    assert not loan_model.versions.filter(version=3).exists()
