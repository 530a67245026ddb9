"""Production headers: HSTS, CSP, nosniff, frame denial, referrer policy, secure HttpOnly cookies,
CORS only for listed origins."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_security_headers_on_an_https_page():
    response = Client().get("/auth/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_api_responses_carry_them_too():
    response = Client().get("/v1/audit-entries", secure=True)
    assert response.status_code == 401
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_session_and_csrf_cookies_are_secure_and_http_only(settings, django_user_model):
    settings.DEMO_LOCAL_LOGIN = True
    django_user_model.objects.create_user("demo", password="demo-password")
    client = Client()
    client.get("/auth/login/")
    client.post("/auth/login/", {"username": "demo", "password": "demo-password"})
    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["secure"] and cookie["httponly"], name
        assert cookie["samesite"] == "Lax"


def test_cors_only_for_listed_origins(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://portal.bank.example"]
    preflight = {"HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET"}
    allowed = Client().options("/v1/audit-entries", HTTP_ORIGIN="https://portal.bank.example", **preflight)
    assert allowed["Access-Control-Allow-Origin"] == "https://portal.bank.example"
    refused = Client().options("/v1/audit-entries", HTTP_ORIGIN="https://evil.example", **preflight)
    assert "Access-Control-Allow-Origin" not in refused


def test_openapi_document_names_the_bearer_scheme():
    schema = Client().get("/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
