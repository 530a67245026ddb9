"""What the API fuzzing found, one test per fix, so each stays fixed without the fuzzer."""

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.django_db

# Valid RFC 3339, but PostgreSQL stores offsets only up to ±15:59: these were 500s.
FAR_OFFSET = quote("2880-07-06T21:41:42.017049+21:51")
ANCIENT_FAR_OFFSET = quote("0260-12-19T15:09:21+19:53")
NO_UTC_FORM = quote("0001-01-01T00:00:00+03:00")


@pytest.mark.parametrize("path", [f"/v1/cases?updatedBefore={FAR_OFFSET}", f"/v1/cases?updatedAfter={ANCIENT_FAR_OFFSET}",
                                  f"/v1/audit-entries?occurredBefore={ANCIENT_FAR_OFFSET}",
                                  f"/v1/audit-entries?occurredAfter={FAR_OFFSET}",
                                  f"/v1/tasks?createdAfter={FAR_OFFSET}", f"/v1/process-instances?startedBefore={FAR_OFFSET}",
                                  f"/v1/history/variables?changedAfter={ANCIENT_FAR_OFFSET}"])
def test_date_time_filters_accept_any_utc_offset(api_client_for, path):
    response = api_client_for("admin").get(path)
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 0


@pytest.mark.parametrize("path", [f"/v1/cases?updatedBefore={NO_UTC_FORM}", f"/v1/audit-entries?occurredAfter={NO_UTC_FORM}",
                                  f"/v1/tasks?createdAfter={NO_UTC_FORM}"])
def test_a_moment_without_a_utc_form_is_a_400(api_client_for, path):
    response = api_client_for("admin").get(path)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"


@pytest.fixture
def schema(client):
    return client.get("/v1/schema/?format=json").json()


def test_every_operation_documents_its_problem_responses(schema):
    assert {"type", "title", "status", "detail"} <= set(schema["components"]["schemas"]["Problem"]["properties"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = {"400", "401", "403", "404", "429", "503"} | ({"409", "422"} if method != "get" else set())
            assert expected <= set(operation["responses"]), (method, path)
            assert "application/problem+json" in operation["responses"]["404"]["content"]


def test_history_lists_are_documented_as_pages_with_nullable_fields(schema):
    ok = schema["paths"]["/v1/history/tasks"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][ok["$ref"].rsplit("/", 1)[1]]
    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    task = schema["components"]["schemas"]["HistoricTask"]["properties"]
    assert all(task[name].get("nullable") for name in ("assignee", "due", "claimed", "ended", "durationMs"))


def test_an_audit_entry_without_source_address_is_documented(schema):
    assert schema["components"]["schemas"]["AuditEntry"]["properties"]["sourceIp"]["nullable"] is True
