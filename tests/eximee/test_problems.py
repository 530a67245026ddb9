import pytest
from rest_framework.test import APIClient

pytestmark = [pytest.mark.urls("tests.eximee.urls"), pytest.mark.django_db]

PROBLEM = "application/problem+json"


def assert_problem(response, status, slug):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"urn:eximee:problem:{slug}"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["instance"] == response.request["PATH_INFO"]
    return body


def test_validation_error_lists_json_pointer_paths(api_client_for):
    client = api_client_for("case-writer")
    body = assert_problem(client.post("/v1/groups/create", {"name": ""}, format="json"), 400, "validation-error")
    assert body["errors"] == [{"pointer": "/name", "detail": "This field may not be blank."}]


def test_malformed_json_is_400(api_client_for):
    client = api_client_for("case-writer")
    response = client.post("/v1/groups/create", "{not json", content_type="application/json")
    assert_problem(response, 400, "malformed-request")


def test_unauthenticated_is_401():
    assert_problem(APIClient().get("/v1/groups/"), 401, "unauthenticated")


def test_missing_role_is_403(api_client_for):
    assert_problem(api_client_for("task-worker").get("/v1/groups/"), 403, "forbidden")


def test_view_without_declared_roles_is_denied_even_to_admin(api_client_for):
    assert_problem(api_client_for("admin").get("/v1/undeclared"), 403, "forbidden")


def test_unknown_url_is_404_problem():
    assert_problem(APIClient().get("/v1/no-such-thing"), 404, "not-found")


@pytest.mark.parametrize(
    "kind, status, slug",
    [("missing", 404, "not-found"), ("conflict", 409, "conflict"),
     ("precondition", 412, "precondition-failed"), ("rule", 422, "unprocessable")],
)
def test_domain_errors_map_to_their_status(kind, status, slug):
    body = assert_problem(APIClient().get(f"/v1/fail/{kind}"), status, slug)
    assert body["detail"] == str(__import__("tests.eximee.urls", fromlist=["Failing"]).Failing.raises[kind])


def test_rule_violation_carries_field_errors():
    body = APIClient().get("/v1/fail/rule").json()
    assert body["errors"] == [{"pointer": "/amount", "detail": "max 10"}]


def test_unsupported_media_type_is_415(api_client_for):
    response = api_client_for("case-writer").post("/v1/groups/create", "name=x",
                                                  content_type="application/x-www-form-urlencoded")
    assert_problem(response, 415, "unsupported-media-type")


def test_throttled_is_429_with_retry_after():
    response = APIClient().get("/v1/throttled")
    assert_problem(response, 429, "rate-limited")
    assert response["Retry-After"] == "8"


def test_unhandled_exception_is_500_problem_without_stack_trace():
    client = APIClient(raise_request_exception=False)
    response = client.get("/v1/fail/crash", HTTP_X_REQUEST_ID="trace-me-1")
    body = assert_problem(response, 500, "internal-error")
    assert body["requestId"] == "trace-me-1"
    assert "ZeroDivisionError" not in response.content.decode()
    assert "boom" not in response.content.decode()


def test_deeply_nested_json_is_400_not_500(api_client_for):
    client = api_client_for("case-writer")
    for depth in (100, 100_000):
        body = "[" * depth + "]" * depth
        response = client.post("/v1/groups/create", body, content_type="application/json")
        assert_problem(response, 400, "malformed-request")


def test_oversized_body_is_413(api_client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = api_client_for("case-writer")
    response = client.post("/v1/groups/create", {"name": "x" * 2000}, format="json")
    assert_problem(response, 413, "payload-too-large")


def test_nul_characters_are_400_with_their_path_not_500(api_client_for):
    client = api_client_for("case-writer")
    for body, pointer in (('{"name": "a\\u0000b"}', "/name"), ('{"x": [1, {"a\\u0000": 1}]}', "/x/1/a\u0000")):
        response = client.post("/v1/groups/create", body, content_type="application/json")
        problem = assert_problem(response, 400, "validation-error")
        assert problem["errors"] == [{"pointer": pointer, "detail": "contains a NUL character"}]
