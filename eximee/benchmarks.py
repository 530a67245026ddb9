"""`python manage.py bench all`: the whole platform measured the way production runs it (issue 9).

The stack (eximee/loadbench.py) is gunicorn with the production settings, a Celery worker and
beat, PostgreSQL and Redis, real JWTs, audit on; the load comes from a separate process
(eximee/loadgen.py). Every figure lands in one JSON document (var/bench/<time>.json), and
`bench all --markdown <file.json>` prints its table for docs/performance.md.

Phases are short and bounded by time, so the whole run stays under ten minutes on two cores;
`--quick` shrinks every phase and data set for a smoke test.
"""

import json
import os
import platform
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.db import connection

from bpms.benchmarks import MODEL as USER_TASK_MODEL, KEYS as USER_TASK_KEYS
from bpms.benchmarks import deployed_models, loop_round_costs, postgres_commit_ceiling, raw_engine
from bpms.benchmarks_async import MODEL as ASYNC_MODEL, KEYS as ASYNC_KEYS
from bpms.benchmarks_async import add_filler_subscriptions
from bpms.benchmarks_lists import REGIONS, list_data
from bpms.models import EventSubscription, ProcessDefinition, ProcessInstance
from bpms.services.instances import start_process_instance
from documents.benchmarks import documents as documents_benchmark
from eximee.bench import benchmark
from eximee.loadbench import BenchIssuer, Stack, drive

FILLER_KEY = "bench-filler"  # the process definition key of benchmarks_async's filler rows
# Targets of /work/shared/notes/performance.md (2 cores, 8 clients, auth and audit on).
TARGETS = {
    "starts_8": ">= 200/s, p95 <= 100 ms",
    "full_cycles_8": ">= 80/s",
    "external_tasks_4": ">= 300/s",
    "correlations_few": ">= 300/s",
    "correlations_many": ">= 300/s",
    "correlation_ratio": "0.8 .. 1.2",
    "tasks_list": "p95 <= 50 ms",
    "loop_ratio": "<= 2",
    "pdfs_per_minute": ">= 120/min",
    "web_rss_end_mb": "<= 300 MB, not growing",
}
# Figures shown as a fraction of each ceiling, and the ceilings themselves.
RELATIVE = ("starts_1", "starts_8", "starts_32", "completions_8", "full_cycles_8", "external_tasks_4")
CEILINGS = {"raw_engine": "raw engine", "drf_get": "DRF GET", "pg_commit": "PG commit"}


class Results:
    """The figures of one run, printed as they come and written as JSON at the end."""

    def __init__(self, report, options):
        self.report = report
        self.document = {
            "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "quick": options["quick"],
            "machine": machine(),
            "figures": {},
        }

    @property
    def figures(self):
        return self.document["figures"]

    def add(self, key, label, value, unit="", measured=None, note=""):
        """`measured`: a load-generator result (count, errors, p50/p95/p99) this figure comes from."""
        figure = {"label": label, "value": value, "unit": unit}
        if measured:
            figure.update({name: measured.get(name) for name in ("count", "errors", "p50_ms", "p95_ms", "p99_ms")})
            if measured.get("first_error"):
                figure["first_error"] = measured["first_error"]
        if key in TARGETS:
            figure["target"] = TARGETS[key]
        self.figures[key] = figure
        latency = ""
        if figure.get("p50_ms") is not None:
            latency = f"p50/p95/p99 {figure['p50_ms']:.0f}/{figure['p95_ms']:.0f}/{figure['p99_ms']:.0f} ms"
        errors = f"{figure['errors']} errors" if figure.get("errors") else ""
        self.report(label, float(value), unit, "  ".join(part for part in (latency, errors, note,
                                                                          TARGETS.get(key, "")) if part))

    def relate_to_ceilings(self):
        ceilings = {name: self.figures[name]["value"] for name in CEILINGS if name in self.figures}
        for key in RELATIVE:
            if key in self.figures:
                self.figures[key]["of_ceiling"] = {name: self.figures[key]["value"] / value
                                                   for name, value in ceilings.items() if value}

    def write(self, path):
        self.document["machine"]["load_average_end"] = list(os.getloadavg())
        self.document["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.document, indent=2) + "\n")
        return path


def machine():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    return {"cores": os.cpu_count(), "memory_gib": round(int(memory) / 1024 / 1024, 1),
            "load_average_start": list(os.getloadavg()), "python": platform.python_version(),
            "postgresql": postgres, "kernel": platform.release(),
            "gunicorn_workers": int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() * 2 + 1)),
            "gunicorn_threads": int(os.environ.get("GUNICORN_THREADS", 8))}


class Run:
    """What the phases share: the stack, a token, the phase length and the results."""

    def __init__(self, results, stack, token, options):
        self.results, self.stack, self.token = results, stack, token
        self.quick = options["quick"]
        self.seconds = options["duration"] or (2.0 if self.quick else 10.0)
        self.repeat = 100 if self.quick else 1000
        self.history_rows = options["history_rows"] or (10_000 if self.quick else 1_000_000)

    def phase(self, function):
        """Runs one phase and notes its wall time (set-up included) in the JSON."""
        began = time.monotonic()
        function(self)
        self.results.document.setdefault("phase_seconds", {})[function.__name__] = round(time.monotonic() - began, 1)

    def drive(self, kind, **scenario):
        return drive(self.stack, self.token, kind, **{"duration": self.seconds, **scenario})


def web_memory(run, key, label):
    rss = run.stack.web_worker_rss_mb()
    run.results.add(key, label, max(rss) if rss else 0.0, "MB",
                    note=f"{len(rss)} workers, mean {sum(rss) / max(1, len(rss)):.0f} MB")


def in_process_ceilings(run):
    run.results.add("raw_engine", "ceiling: raw SpiffWorkflow start -> first user task, in process, no DB",
                    raw_engine(run.repeat), "/s")
    run.results.add("pg_commit", "ceiling: PostgreSQL single-row INSERT + COMMIT, one connection",
                    postgres_commit_ceiling(run.repeat * 2), "/s")


def user_task_phases(run):
    """Figures 1 and 2, and the authenticated-DRF-GET ceiling (a single task read)."""
    start = {"processDefinitionKey": "bench-user-task", "variables": {"amount": 500}, "collectTasks": True}
    # Warm-up: each gunicorn worker imports the URLconf and views, fetches the JWKS and caches the
    # model's spec on its first requests (a third of the CPU of a cold 25 s run went to imports).
    task_ids = run.drive("starts", clients=16, **{**start, "duration": 1.0 if run.quick else 4.0})["taskIds"]
    for clients in (1, 8, 32):
        measured = run.drive("starts", clients=clients, **start)
        task_ids += measured.pop("taskIds")
        clients_text = f"{clients} client{'s' if clients > 1 else ''}"
        run.results.add(f"starts_{clients}", f"POST /v1/process-instances (start -> user task), {clients_text}",
                        measured["rate"], "/s", measured)
    kept, task_ids = task_ids[:10], task_ids[10:]  # read again and again; the rest are completed
    measured = run.drive("reads", clients=8, paths=[f"/v1/tasks/{task_id}" for task_id in kept])
    run.results.add("drf_get", "ceiling: authenticated DRF GET /v1/tasks/{id} (one row), 8 clients",
                    measured["rate"], "/s", measured)
    measured = run.drive("completions", clients=8, taskIds=task_ids)
    run.results.add("completions_8", "POST /v1/tasks/{id}/complete (to the end event), 8 clients",
                    measured["rate"], "/s", measured)
    measured = run.drive("full_cycles", clients=8, **{**start, "collectTasks": False})
    run.results.add("full_cycles_8", "full cycle: start, GET task, complete, 8 clients",
                    measured["rate"], "/s", measured)


def external_task_phases(run):
    """Figure 3: 4 HTTP workers fetching and completing, then the long-poll wake-up latency."""
    start = {"processDefinitionKey": "bench-service-task", "variables": {}}
    run.drive("starts", clients=8, **start)  # the backlog the workers drain
    measured = run.drive("external_tasks", clients=4, topic="bench.work")
    run.results.add("external_tasks_4", "external tasks fetched and completed, 4 HTTP workers (maxTasks 10)",
                    measured["rate"], "/s", measured)
    run.drive("external_tasks", clients=4, topic="bench.work", duration=300)  # whatever is left, unmeasured
    measured = run.drive("long_poll_wakeups", topic="bench.work", rounds=5 if run.quick else 20, duration=60, **start)
    run.results.add("long_poll_wakeup", "long-poll wake-up: start sent -> waiting worker holds the task",
                    measured["p50_ms"] or 0.0, "ms", measured,
                    note=f"the start itself takes p50 {measured.get('start_p50_ms') or 0:.0f} ms of it")


def correlation_phases(run):
    """Figure 4: POST /v1/messages by business key with few and with many other subscriptions waiting."""
    definition = ProcessDefinition.objects.filter(key="bench-message-catch").latest("version")
    levels = (100, 10_000) if run.quick else (1_000, 100_000)
    rates, waiting = {}, 0
    for level, name in zip(levels, ("few", "many")):
        keys = [f"BM-{uuid.uuid4().hex}" for _ in range(50 if run.quick else 500)]
        for key in keys:
            start_process_instance(process_definition_key="bench-message-catch", business_key=key, actor="bench")
        add_filler_subscriptions(level - waiting - len(keys), definition)
        waiting = level
        measured = run.drive("correlations", clients=8, messageName="BenchPaid", businessKeys=keys)
        rates[level] = measured["rate"]
        run.results.add(f"correlations_{name}", f"POST /v1/messages by business key, {level:,} waiting, 8 clients",
                        measured["rate"], "/s", measured)
    run.results.add("correlation_ratio", f"correlation rate {levels[1]:,} / {levels[0]:,} waiting",
                    rates[levels[1]] / rates[levels[0]] if rates[levels[0]] else 0.0)
    # Filler rows are bare (a subscription on an instance row, nothing else refers to them): two plain
    # DELETEs instead of the ORM collector walking 100,000 instances at the end of the run.
    with connection.cursor() as cursor:
        for model in (EventSubscription, ProcessInstance):
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE process_definition_key = %s", [FILLER_KEY])


def list_phases(run):
    """Figure 5: p95 of the filtered, paginated task and instance lists with variables inlined."""
    open_tasks, history_rows, seconds = list_data(1_000 if run.quick else 100_000, run.history_rows)
    data = f"{open_tasks:,} open tasks, {history_rows:,} history rows" + (
        f" (generated in {seconds:.0f} s)" if seconds > 5 else "")
    # Never past the last page (that is a 404): a region holds about a quarter of the open tasks,
    # randomly, so stay within half of that.
    pages = range(1, max(1, min(20, open_tasks // (len(REGIONS) * 25 * 2))) + 1)
    queries = {
        "tasks_list": ("GET /v1/tasks (candidate group, variable filter, page N of 25, includeVariables)",
                       [f"/v1/tasks?processDefinitionKey=bench-history&candidateGroup=task-worker"
                        f"&variables=region_eq_{region}&includeVariables=true&pageSize=25&page={page}"
                        for page in pages for region in ("north", "east")]),
        "instances_list": ("GET /v1/process-instances (active, variable filter, page N of 25, includeVariables)",
                           [f"/v1/process-instances?processDefinitionKey=bench-history&state=active"
                            f"&variables=amount_gt_50000&includeVariables=true&pageSize=25&page={page}"
                            for page in pages]),
    }
    for key, (label, paths) in queries.items():
        measured = run.drive("reads", clients=8, paths=paths)
        run.results.add(key, label, measured["p95_ms"] or 0.0, "ms p95", measured,
                        note=f"{measured['rate']:.0f} req/s; {data}")


def loop_phase(run):
    """Figure 6: a review/rework loop, the cost of round 10 against the last round."""
    rounds = 100 if run.quick else 1000
    early, late = loop_round_costs(rounds)
    run.results.add("loop_10", "loop round 10 (review + rework through load/run/prune/store)", early * 1000, "ms")
    run.results.add("loop_last", f"loop round {rounds:,}", late * 1000, "ms")
    run.results.add("loop_ratio", f"loop round {rounds:,} / round 10", late / early)


def pdf_phase(run):
    """Figure 7: the documents benchmark, with one Celery worker of its own."""
    printed = {}
    documents_benchmark(lambda label, value, unit="", note="": printed.setdefault(label, (value, unit, note)),
                        {"repeat": 10 if run.quick else 120})
    for label, (value, unit, note) in printed.items():
        if label.startswith("2-page PDFs per minute, one worker"):
            run.results.add("pdfs_per_minute", label, value, unit, note=note)
        elif label.startswith("ceiling:"):
            run.results.add("pdf_render_ceiling", f"ceiling: {label.removeprefix('ceiling: ')}", value, unit)


@benchmark("all", "the whole platform over HTTP (gunicorn, Celery, PostgreSQL, Redis, JWT, audit); --quick, --output")
def everything(report, options):
    results = Results(report, options)
    issuer = BenchIssuer()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    stack = Stack(issuer, settings.BASE_DIR / "var" / "bench" / stamp)
    began = time.monotonic()
    try:
        stack.start_web()
        stack.start_celery()
        stack.wait_ready()
        run = Run(results, stack, issuer.token(), options)
        run.phase(in_process_ceilings)
        with (deployed_models(USER_TASK_MODEL, USER_TASK_KEYS),
              deployed_models(ASYNC_MODEL, ASYNC_KEYS, "benchmark async")):
            web_memory(run, "web_rss_start_mb", "web worker resident memory at the start (largest)")
            run.phase(user_task_phases)
            run.phase(external_task_phases)
            run.phase(correlation_phases)
            run.phase(list_phases)
            web_memory(run, "web_rss_end_mb", "web worker resident memory at the end (largest)")
            stack.stop_celery()  # the PDF figure is for exactly one worker, its own
            run.phase(loop_phase)
            run.phase(pdf_phase)
    finally:
        stack.stop()
        issuer.close()
    results.relate_to_ceilings()
    results.document["seconds"] = round(time.monotonic() - began, 1)
    path = results.write(options["output"] or stack.log_dir.with_suffix(".json"))
    report("results written to", str(path))


def markdown_table(document):
    """The figures of a `bench all` JSON as the Markdown table of docs/performance.md."""
    machine_ = document["machine"]
    lines = [
        f"Run {document['started_at']}{' (quick)' if document.get('quick') else ''}: {machine_['cores']} cores, "
        f"{machine_['memory_gib']} GiB, PostgreSQL {machine_['postgresql']}, Python {machine_['python']}, "
        f"gunicorn {machine_['gunicorn_workers']} workers x {machine_['gunicorn_threads']} threads; load average "
        f"{' / '.join(f'{v:.1f}' for v in machine_['load_average_start'])} at the start, "
        f"{' / '.join(f'{v:.1f}' for v in machine_.get('load_average_end', []))} at the end.",
        "",
        "| Figure | Value | p50 / p95 / p99 ms | Target | " + " | ".join(f"÷ {v}" for v in CEILINGS.values()) + " |",
        "|---|---:|---|---|" + "---:|" * len(CEILINGS),
    ]
    for figure in document["figures"].values():
        latency = ("" if figure.get("p50_ms") is None else
                   f"{figure['p50_ms']:.0f} / {figure['p95_ms']:.0f} / {figure['p99_ms']:.0f}")
        ratios = [f"{figure['of_ceiling'][name]:.3f}" if name in figure.get("of_ceiling", {}) else ""
                  for name in CEILINGS]
        errors = f" ({figure['errors']} errors)" if figure.get("errors") else ""
        lines.append(f"| {figure['label']} | {figure['value']:,.1f} {figure['unit']}{errors} | {latency} | "
                     f"{figure.get('target', '')} | " + " | ".join(ratios) + " |")
    return "\n".join(lines)
