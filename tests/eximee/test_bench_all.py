"""`python manage.py bench all --quick` end to end: gunicorn, Celery, the load-generator process and
the in-process phases run against the test database, and the JSON holds every figure. Speeds are
printed, never asserted: this machine is shared and noisy."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from eximee.benchmarks import CEILINGS, RELATIVE, markdown_table
from tests.conftest import ROOT, _worker_env

FIGURES = {
    "raw_engine", "pg_commit", "drf_get", "web_rss_start_mb", "web_rss_end_mb",
    "starts_1", "starts_8", "starts_32", "completions_8", "full_cycles_8",
    "external_tasks_4", "long_poll_wakeup", "correlations_few", "correlations_many", "correlation_ratio",
    "tasks_list", "instances_list", "loop_10", "loop_last", "loop_ratio", "pdfs_per_minute", "pdf_render_ceiling",
}
OVER_HTTP = {"drf_get", "starts_1", "starts_8", "starts_32", "completions_8", "full_cycles_8", "external_tasks_4",
             "long_poll_wakeup", "correlations_few", "correlations_many", "tasks_list", "instances_list"}


@pytest.mark.timeout(900)
@pytest.mark.django_db(transaction=True)
def test_quick_run_writes_every_figure_with_latencies_and_ceiling_ratios(tmp_path):
    output = tmp_path / "bench.json"
    completed = subprocess.run(
        [sys.executable, "manage.py", "bench", "all", "--quick", "--output", str(output)],
        cwd=ROOT, env=_worker_env(settings.DATABASES["default"]["NAME"]), capture_output=True, text=True,
        timeout=840)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    print(completed.stdout)

    document = json.loads(output.read_text())
    figures = document["figures"]
    assert set(figures) == FIGURES
    assert all(isinstance(figure["value"], (int, float)) for figure in figures.values())
    assert document["machine"]["cores"] >= 1 and len(document["machine"]["load_average_end"]) == 3
    for key in OVER_HTTP:
        assert figures[key]["count"] > 0 and figures[key]["errors"] == 0, (key, figures[key])
        assert figures[key]["p50_ms"] <= figures[key]["p95_ms"] <= figures[key]["p99_ms"]
    for key in RELATIVE:
        assert set(figures[key]["of_ceiling"]) == set(CEILINGS)

    table = markdown_table(document)
    assert all(figure["label"] in table for figure in figures.values())
