"""The task and instance lists of the list benchmark (bpms/benchmarks_lists.py: a definition's open
tasks, a candidate group, a variable filter, variables inlined) read a page from an index in list
order, in one process, and count only up to the paginator's limit."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bpms.benchmarks_lists import list_data
from eximee.api.pagination import PageNumberPagination

pytestmark = pytest.mark.django_db

LISTS = {
    "/v1/tasks?processDefinitionKey=bench-history&candidateGroup=task-worker&variables=region_eq_north"
    "&includeVariables=true&pageSize=25&page=3": "bpms_usertask",
    "/v1/process-instances?processDefinitionKey=bench-history&state=active&variables=amount_gt_50000"
    "&includeVariables=true&pageSize=25&page=3": "bpms_processinstance",
}


@pytest.fixture
def operator(api_client_for):
    list_data(2_000, 0)   # analyzes the tables, as autovacuum would
    return api_client_for("operator", "task-worker")


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


@pytest.mark.parametrize("path", LISTS)
def test_a_page_is_read_in_index_order_and_counted_up_to_the_limit(operator, monkeypatch, path):
    table = LISTS[path]
    monkeypatch.setattr(PageNumberPagination, "count_limit", 100)
    with CaptureQueriesContext(connection) as statements:
        response = operator.get(path)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["count"], body["countExact"], len(body["results"])) == (100, False, 25)
    sql = [s["sql"] for s in statements.captured_queries if s["sql"].startswith("SELECT")]
    [page] = [s for s in sql if f'FROM "{table}"' in s and "LIMIT 26 OFFSET 50" in s]
    nodes = plan_nodes(page)
    assert ("Index Scan", table) in nodes, nodes
    # Incremental Sort orders ties on id within a timestamp; a Sort would sort every match first.
    assert not {"Sort", "Gather", "Gather Merge"} & {kind for kind, _ in nodes}, nodes
    [count] = [s for s in sql if s.startswith("SELECT COUNT(*)")]
    assert "LIMIT 101" in count


def test_variable_statistics_pair_names_with_values():
    with connection.cursor() as cursor:
        cursor.execute("SELECT stxkeys::text FROM pg_statistic_ext WHERE stxname = 'bpms_processvariable_name_value'")
        assert cursor.fetchall() != []
