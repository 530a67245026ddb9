"""Lists over many open tasks and a long history (bpms/benchmarks_lists.py generates them, as for
the list benchmark): they count only up to the paginator's limit, and the history lists read a page
from an index in list order instead of sorting the whole history."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bpms.benchmarks_lists import list_data
from eximee.api.pagination import PageNumberPagination

pytestmark = pytest.mark.django_db

BENCHMARK_LISTS = {   # the benchmark's lists -> the variable each result must satisfy
    "/v1/tasks?processDefinitionKey=bench-history&candidateGroup=task-worker&variables=region_eq_north"
    "&includeVariables=true": lambda variables: variables["region"] == "north",
    "/v1/process-instances?processDefinitionKey=bench-history&state=active&variables=amount_gt_50000"
    "&includeVariables=true": lambda variables: variables["amount"] > 50000,
}
HISTORY_LISTS = {   # unfiltered history lists -> the table they page through
    "/v1/history/process-instances?": "bpms_processinstance",
    "/v1/history/tasks?": "bpms_usertask",
    "/v1/history/activity-instances?": "bpms_activityinstance",
    "/v1/history/variables?": "bpms_variablechange",
}


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """2,000 open tasks and 1,000 completed instances (10,000 history rows), made once for the
    module in a transaction that is rolled back after it (each test runs in a savepoint of it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        list_data(2_000, 10_000)   # analyzes the tables, as autovacuum would
        yield
        transaction.set_rollback(True)


def get_page_three(client, path):
    """The third page of 25 with the count limit at 100, and the SELECT statements it ran."""
    with CaptureQueriesContext(connection) as statements:
        response = client.get(f"{path}&pageSize=25&page=3")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["count"], body["countExact"], len(body["results"])) == (100, False, 25)
    sql = [s["sql"] for s in statements.captured_queries if s["sql"].startswith("SELECT")]
    [count] = [s for s in sql if s.startswith("SELECT COUNT(*)")]
    assert "LIMIT 101" in count   # the database stops counting at the limit
    return body, sql


@pytest.fixture
def operator(generated, api_client_for, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "count_limit", 100)
    return api_client_for("operator", "task-worker")


@pytest.mark.parametrize("path", BENCHMARK_LISTS)
def test_the_benchmark_lists_count_up_to_the_limit(operator, path):
    body, _ = get_page_three(operator, path)
    assert all(BENCHMARK_LISTS[path](item["processVariables"]) for item in body["results"])


def plan_nodes(sql):
    """(node type, relation) of every node of the statement's plan."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        found = cursor.fetchone()[0]
    found = found if isinstance(found, list) else json.loads(found)
    nodes, pending = [], [found[0]["Plan"]]
    while pending:
        node = pending.pop()
        nodes.append((node["Node Type"], node.get("Relation Name")))
        pending += node.get("Plans", [])
    return nodes


@pytest.mark.parametrize("path", HISTORY_LISTS)
def test_a_history_page_is_read_in_index_order(operator, path):
    table = HISTORY_LISTS[path]
    _, sql = get_page_three(operator, path)
    [page] = [s for s in sql if f'FROM "{table}"' in s and "LIMIT 26 OFFSET 50" in s]
    nodes = plan_nodes(page)
    assert ("Index Scan", table) in nodes, nodes
    # Incremental Sort orders ties on id within a timestamp; a Sort would sort the whole history.
    assert "Sort" not in {kind for kind, _ in nodes}, nodes


def test_variable_statistics_pair_names_with_values():
    with connection.cursor() as cursor:
        cursor.execute("SELECT stxkeys::text FROM pg_statistic_ext WHERE stxname = 'bpms_processvariable_name_value'")
        assert cursor.fetchall() != []
