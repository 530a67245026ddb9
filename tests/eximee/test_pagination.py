import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eximee.api.pagination import PageNumberPagination

pytestmark = [pytest.mark.urls("tests.eximee.urls"), pytest.mark.django_db]


@pytest.fixture
def groups(api_client_for):
    """A client and the 8 group names it pages through (7 made here, its own role's group)."""
    client = api_client_for("case-reader")
    Group.objects.bulk_create(Group(name=f"g{i:02}") for i in range(7))
    return client, list(Group.objects.order_by("name", "id").values_list("name", flat=True))


def get(client, query):
    """The page and the COUNT statements it cost."""
    with CaptureQueriesContext(connection) as statements:
        response = client.get(f"/v1/groups/?{query}")
    assert response.status_code == 200, response.content
    return response.json(), [s["sql"] for s in statements.captured_queries if "COUNT(" in s["sql"]]


def test_list_shape_and_page_size(groups):
    client, names = groups
    body, _ = get(client, "pageSize=3&page=2")
    assert set(body) == {"count", "countExact", "next", "previous", "results"}
    assert (body["count"], body["countExact"]) == (len(names), True)
    assert [g["name"] for g in body["results"]] == names[3:6]
    assert "page=3" in body["next"] and "pageSize=3" in body["next"]
    assert "page=" not in body["previous"] and "pageSize=3" in body["previous"]


def test_the_last_page_needs_no_count_statement(groups):
    client, names = groups
    body, counts = get(client, "pageSize=3&page=3")
    assert [g["name"] for g in body["results"]] == names[6:]
    assert (body["count"], body["countExact"], body["next"]) == (len(names), True, None)
    assert "page=2" in body["previous"]
    assert counts == []


def test_count_stops_at_the_limit_and_says_so(groups, monkeypatch):
    client, names = groups
    monkeypatch.setattr(PageNumberPagination, "count_limit", 5)
    body, counts = get(client, "pageSize=2")
    assert (body["count"], body["countExact"]) == (5, False)
    assert [g["name"] for g in body["results"]] == names[:2] and "page=2" in body["next"]
    [count] = counts
    assert "LIMIT 6" in count   # the database stops counting, not Python
    # A page reaching past the limit shows by itself that more rows match: no count statement.
    body, counts = get(client, "pageSize=2&page=3")
    assert (body["count"], body["countExact"], counts) == (5, False, [])
    assert [g["name"] for g in body["results"]] == names[4:6] and "page=4" in body["next"]
    # The last page: same count on every page, the rows go on to the end.
    body, _ = get(client, "pageSize=2&page=4")
    assert (body["count"], body["countExact"], body["next"]) == (5, False, None)
    assert [g["name"] for g in body["results"]] == names[6:]


def test_a_list_within_the_limit_is_counted_exactly(groups, monkeypatch):
    client, names = groups
    monkeypatch.setattr(PageNumberPagination, "count_limit", len(names))
    body, counts = get(client, "pageSize=2")
    assert (body["count"], body["countExact"]) == (len(names), True)
    assert len(counts) == 1


def test_the_last_page_by_name(groups, monkeypatch):
    client, names = groups
    monkeypatch.setattr(PageNumberPagination, "count_limit", 2)
    body, _ = get(client, "pageSize=3&page=last")
    assert [g["name"] for g in body["results"]] == names[6:]
    assert body["next"] is None and "page=2" in body["previous"]


def test_page_out_of_range_is_404_problem(api_client_for):
    response = api_client_for("case-reader").get("/v1/groups/?page=99")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("page", ["0", "-1", "two", "1.5", str(2**64), "9" * 40])
def test_a_page_that_is_not_a_page_number_is_404_problem(api_client_for, page):
    response = api_client_for("case-reader").get("/v1/groups/", {"page": page})
    assert response.status_code == 404, response.content
    assert response.json()["type"] == "urn:eximee:problem:not-found"


@pytest.mark.urls("eximee.urls")
def test_the_schema_documents_count_exact(client):
    schema = client.get("/v1/schema/?format=json").json()
    ok = schema["paths"]["/v1/tasks"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][ok["$ref"].rsplit("/", 1)[1]]
    assert page["properties"]["countExact"]["type"] == "boolean"
    assert {"count", "countExact", "results"} <= set(page["required"])
