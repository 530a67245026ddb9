import pytest
from django.db import connection
from django.test import Client


def test_live_answers_without_dependencies():
    response = Client().get("/health/live")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db(transaction=True)
def test_ready_follows_the_celery_worker(celery_worker):
    response = Client().get("/health/ready")
    assert response.status_code == 200, response.json()
    assert {name: c["status"] for name, c in response.json()["checks"].items()} == {
        "database": "ok", "redis": "ok", "worker": "ok"}

    celery_worker.stop()
    response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["status"] == "error"
    assert response.json()["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_ready_is_unavailable_when_postgres_is_unreachable(celery_worker):
    connection.close()
    real_port = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = "1"  # nothing listens there
    try:
        response = Client().get("/health/ready")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["status"] == "error"
    assert Client().get("/health/ready").status_code == 200
