import pytest
from django.test import Client


@pytest.mark.django_db
def test_metrics_are_exposed_for_prometheus():
    Client().get("/health/live")
    response = Client().get("/metrics")
    assert response.status_code == 200
    assert "django_http_requests_total_by_method_total" in response.content.decode()


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served_locally():
    schema = Client().get("/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = Client().get("/v1/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()
