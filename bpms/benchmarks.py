"""`python manage.py bench engine`: the embedded engine's figures, each beside its ceiling."""

import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bpms.engine import get_engine
from bpms.engine.embedded import parser, runtime, serialization
from bpms.models import Deployment, ProcessDefinition, ProcessInstance, UserTask
from bpms.services.deployments import deploy
from bpms.services.instances import start_process_instance
from eximee import roles
from eximee.bench import benchmark, p95, timed
from eximee.models import TimelineEvent

MODEL = Path(__file__).parent / "bench_models" / "bench-user-task.bpmn"
KEYS = ("bench-user-task", "bench-review-loop")


@contextmanager
def deployed_models(model_path, keys, name="benchmark"):
    """Deploys a benchmark's model file and removes its definitions, instances and timeline after."""
    deploy(name=name, files=[(model_path.name, model_path.read_bytes())], actor="bench")
    try:
        yield
    finally:
        instances = ProcessInstance.objects.filter(process_definition_key__in=keys)
        TimelineEvent.objects.filter(process_instance_id__in=instances.values("id")).delete()
        instances.delete()
        deployments = Deployment.objects.filter(process_definitions__key__in=keys).distinct()
        ProcessDefinition.objects.filter(key__in=keys).delete()
        deployments.delete()


def postgres_commit_ceiling(repeat):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_ceiling (id serial primary key, v text)")

    def insert(_):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_ceiling (v) VALUES ('x')")
    return timed(insert, repeat)[0]


def raw_engine(repeat):
    """Start -> first user task -> serialize, in process, no database."""
    specs = parser.parse_deployment({MODEL.name: MODEL.read_bytes()})
    spec, subprocess_specs, _ = specs["bench-user-task"]

    def start(index):
        workflow = runtime.new_workflow(spec, subprocess_specs, {})
        workflow.task_tree.data["amount"] = index
        runtime.run_engine(workflow, runtime.StepLog())
        assert runtime.open_user_tasks(workflow)
        serialization.state_to_json(workflow)
    return timed(start, repeat)[0]


def loop_round_costs(rounds):
    """Seconds of round 10 and round `rounds` of review -> rework through load/run/prune/store."""
    definition = ProcessDefinition.objects.get(key="bench-review-loop")
    spec, subprocess_specs = serialization.cached_spec(definition.id, lambda: definition.engine_spec)
    workflow = runtime.new_workflow(spec, subprocess_specs, {})
    runtime.run_engine(workflow, runtime.StepLog())
    state, costs = serialization.state_to_json(workflow), []
    for _ in range(rounds):
        began = time.perf_counter()
        for data in ({"ok": False}, {}):
            workflow = runtime.attach(serialization.state_from_json(state, spec, subprocess_specs), {})
            runtime.run_task(runtime.open_user_tasks(workflow)[0], runtime.StepLog(), data)
            runtime.run_engine(workflow, runtime.StepLog())
            runtime.prune(workflow)
            state = serialization.state_to_json(workflow)
        costs.append(time.perf_counter() - began)
    window = lambda at: sorted(costs[at - 5:at + 5])[5]  # noqa: E731 - the median of ten rounds around `at`
    return window(10), window(rounds - 5)


def per_operation(operation, repeat):
    """(operations/s, p95 ms, CPU ms per operation, SQL statements per operation) of `repeat`
    sequential calls operation(2..repeat + 1), after a warm-up call operation(0) (caches fill) and
    a counted one, operation(1). CPU time and statement counts are what a loaded, shared machine
    distorts least."""
    operation(0)
    with CaptureQueriesContext(connection) as statements:
        operation(1)
    cpu = time.process_time()
    rate, durations = timed(lambda i: operation(i + 2), repeat)
    return rate, p95(durations) * 1000, (time.process_time() - cpu) * 1000 / repeat, len(statements)


def bench_user():
    user, _ = User.objects.get_or_create(username="bench")
    user.groups.set([Group.objects.get_or_create(name=role)[0]
                     for role in (roles.PROCESS_STARTER, roles.TASK_WORKER)])
    return user


def api_clients(count, repeat, work):
    """`count` threads, each its own client and connection, doing `repeat` operations in all."""
    user, durations, errors = bench_user(), [], []
    per_client = max(1, repeat // count)

    def client_loop():
        client = APIClient(SERVER_NAME=next(h for h in settings.ALLOWED_HOSTS if h != "*"))
        client.force_authenticate(user)
        try:
            for _ in range(per_client):
                began = time.perf_counter()
                if not work(client):
                    errors.append(1)
                durations.append(time.perf_counter() - began)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client_loop) for _ in range(count)]
    began, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu_ms = (time.process_time() - cpu) * 1000 / max(1, len(durations))
    return len(durations) / (time.perf_counter() - began), p95(durations) * 1000, len(errors), cpu_ms


def api_statements(work):
    """SQL statements of one `work` through the API (authentication forced, audit on)."""
    client = APIClient(SERVER_NAME=next(h for h in settings.ALLOWED_HOSTS if h != "*"))
    client.force_authenticate(bench_user())
    work(client)     # the first request of a client pays one-off costs (role lookup)
    with CaptureQueriesContext(connection) as statements:
        work(client)
    return len(statements)


def start_via_api(client):
    response = client.post("/v1/process-instances", {"processDefinitionKey": "bench-user-task",
                                                     "processVariables": {"amount": 500}}, format="json")
    return response.status_code == 201 and response.json()["openTasks"]


def full_cycle_via_api(client):
    started = start_via_api(client)
    if not started:
        return False
    task_id = started[0]["id"]
    if client.get(f"/v1/tasks/{task_id}").status_code != 200:
        return False
    return client.post(f"/v1/tasks/{task_id}/complete", {"variables": {}}, format="json").status_code == 200


@benchmark("engine", "raw engine, starts/completions through the engine layer and the API, loop cost")
def engine(report, options):
    repeat, clients = options["repeat"], options["clients"]
    report("ceiling: PostgreSQL INSERT + COMMIT, one connection", postgres_commit_ceiling(repeat), "/s")
    report("raw SpiffWorkflow + our layer, start -> user task, no DB", raw_engine(repeat), "/s")
    with deployed_models(MODEL, KEYS):
        engine_ = get_engine()
        rate, p95_ms, cpu_ms, statements = per_operation(lambda i: start_process_instance(
            process_definition_key="bench-user-task", variables={"amount": i}, actor="bench"), repeat)
        report("engine layer + PostgreSQL: starts to the first user task", rate, "/s",
               f"p95 {p95_ms:.1f} ms; each {cpu_ms:.1f} ms CPU, {statements} SQL statements")
        tasks = list(UserTask.objects.filter(process_definition_key="bench-user-task", state="created")
                     .values_list("id", flat=True)[:repeat + 2])
        rate, p95_ms, cpu_ms, statements = per_operation(
            lambda i: engine_.complete_user_task(tasks[i], variables={}, actor="bench"), len(tasks) - 2)
        report("engine layer + PostgreSQL: task completions to the end", rate, "/s",
               f"p95 {p95_ms:.1f} ms; each {cpu_ms:.1f} ms CPU, {statements} SQL statements")
        statements = api_statements(start_via_api)
        rate, p95_ms, errors, cpu_ms = api_clients(clients, repeat, start_via_api)
        report(f"API in process, {clients} clients: POST /v1/process-instances", rate, "/s",
               f"p95 {p95_ms:.1f} ms, {errors} errors (target >= 200/s, p95 <= 100 ms); "
               f"each {cpu_ms:.1f} ms CPU, {statements} SQL statements")
        statements = api_statements(full_cycle_via_api)
        rate, p95_ms, errors, cpu_ms = api_clients(clients, repeat // 2, full_cycle_via_api)
        report(f"API in process, {clients} clients: start, read task, complete", rate, "/s",
               f"p95 {p95_ms:.1f} ms, {errors} errors (target >= 80/s); each {cpu_ms:.1f} ms CPU, "
               f"{statements} SQL statements")
        early, late = loop_round_costs(1000)
        report("loop round 10 (review + rework)", early * 1000, "ms")
        report("loop round 1,000", late * 1000, "ms", f"ratio {late / early:.2f} (target <= 2)")



# The async layer registers `bench async` in its own module.
from . import benchmarks_async  # noqa: E402,F401
