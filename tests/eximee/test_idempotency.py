import pytest
from django.contrib.auth.models import Group

from tests.concurrency import at_once

pytestmark = pytest.mark.urls("tests.eximee.urls")


@pytest.mark.django_db
def test_same_key_same_body_replays_without_second_effect(api_client_for):
    client = api_client_for("case-writer")
    first = client.post("/v1/groups/create", {"name": "lenders"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post("/v1/groups/create", {"name": "lenders"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert Group.objects.filter(name="lenders").count() == 1


@pytest.mark.django_db
def test_same_key_different_body_is_422(api_client_for):
    client = api_client_for("case-writer")
    client.post("/v1/groups/create", {"name": "a"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    response = client.post("/v1/groups/create", {"name": "b"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 422
    assert response.json()["type"] == "urn:eximee:problem:unprocessable"
    assert not Group.objects.filter(name="b").exists()


@pytest.mark.django_db
def test_failed_request_leaves_key_free_for_a_retry(api_client_for):
    client = api_client_for("case-writer")
    assert client.post("/v1/groups/create", {"name": ""}, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 400
    response = client.post("/v1/groups/create", {"name": "ok"}, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert response.status_code == 201


@pytest.mark.django_db
def test_keys_are_per_caller(api_client_for):
    api_client_for("case-writer", username="a").post("/v1/groups/create", {"name": "x1"}, format="json",
                                                     HTTP_IDEMPOTENCY_KEY="shared")
    response = api_client_for("case-writer", username="b").post("/v1/groups/create", {"name": "x2"},
                                                                format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert response.status_code == 201
    assert Group.objects.filter(name__in=["x1", "x2"]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_have_one_effect(api_client_for):
    client = api_client_for("case-writer")

    def send():
        return client.post("/v1/groups/create", {"name": "race"}, format="json",
                           HTTP_IDEMPOTENCY_KEY="k-race").status_code

    results = at_once(send, send, send, send)
    assert results == [201] * 4
    assert Group.objects.filter(name="race").count() == 1
