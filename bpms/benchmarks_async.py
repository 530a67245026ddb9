"""`python manage.py bench async`: the async layer's figures (issue 5), each beside a ceiling.

- external tasks fetched and completed per second by 4 concurrent workers over HTTP (in-process
  API clients, one thread and connection each);
- message correlations per second by business key and by correlation keys with 1,000 and with
  100,000 other subscriptions waiting for the same message (filler rows on bare instance rows);
- timers: how long locking 10,000 due jobs takes the scheduler, and how many timers one worker
  process fires per second; the lag at 10,000 due at once follows from the two.
"""

import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection, connections
from django.utils import timezone
from rest_framework.test import APIClient

from bpms.models import EventSubscription, Job, ProcessDefinition, ProcessInstance
from bpms.services import jobs, messages
from bpms.services.instances import start_process_instance
from eximee import roles
from eximee.bench import benchmark, p95, timed

from .benchmarks import deployed_models, postgres_commit_ceiling

MODEL = Path(__file__).parent / "bench_models" / "bench-async.bpmn"
KEYS = ("bench-service-task", "bench-message-catch", "bench-timer", "bench-filler")


def external_workers(workers, total):
    user, _ = User.objects.get_or_create(username="bench-worker")
    user.groups.set([Group.objects.get_or_create(name=roles.SERVICE_WORKER)[0]])
    for index in range(total):
        start_process_instance(process_definition_key="bench-service-task", variables={"n": index}, actor="bench")
    done, durations = [], []

    def loop(worker_id):
        client = APIClient(SERVER_NAME=next(h for h in settings.ALLOWED_HOSTS if h != "*"))
        client.force_authenticate(user)
        try:
            while True:
                began = time.perf_counter()
                tasks = client.post("/v1/service-tasks/fetch-and-lock", {
                    "workerId": worker_id, "maxTasks": 10,
                    "topics": [{"topicName": "bench.work", "lockDuration": 60_000}]}, format="json").json()
                if not tasks:
                    return
                for task in tasks:
                    response = client.post(f"/v1/service-tasks/{task['id']}/complete",
                                           {"workerId": worker_id, "variables": {"ok": True}}, format="json")
                    if response.status_code == 204:
                        done.append(1)
                durations.append((time.perf_counter() - began) / len(tasks))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=loop, args=(f"bench-{n}",)) for n in range(workers)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(done) / (time.perf_counter() - began), p95(durations) * 1000, len(done)


def add_filler_subscriptions(count, definition):
    """`count` subscriptions to the same message on bare instance rows (no engine state)."""
    now, batch = timezone.now(), 5000
    for offset in range(0, count, batch):
        rows = [ProcessInstance(definition=definition, process_definition_key="bench-filler",
                                business_key=f"FILLER-{uuid.uuid4().hex}", started_at=now)
                for _ in range(min(batch, count - offset))]
        ProcessInstance.objects.bulk_create(rows)
        EventSubscription.objects.bulk_create(
            EventSubscription(event_type="message", event_name="BenchPaid", process_instance=row,
                              process_definition_key="bench-filler", business_key=row.business_key,
                              engine_task_id=uuid.uuid4().hex, activity_id="paid", kind="catch",
                              variables={"orderId": row.business_key}) for row in rows)
    with connection.cursor() as cursor:   # fresh statistics, as autovacuum would have them
        cursor.execute("ANALYZE bpms_eventsubscription")


def correlations(repeat, by_keys):
    waiting = [start_process_instance(process_definition_key="bench-message-catch", business_key=f"B-{uuid.uuid4().hex}",
                                      variables={"orderId": f"O-{uuid.uuid4().hex}"}, actor="bench")
               for _ in range(repeat)]
    orders = dict(EventSubscription.objects.filter(process_instance__in=waiting)
                  .values_list("process_instance_id", "variables"))

    def correlate(index):
        instance = waiting[index]
        if by_keys:
            messages.correlate("BenchPaid", correlation_keys={"orderId": orders[instance.id]["orderId"]}, actor="bench")
        else:
            messages.correlate("BenchPaid", business_key=instance.business_key, actor="bench")
    return timed(correlate, repeat)


def timer_figures(repeat):
    instances = [start_process_instance(process_definition_key="bench-timer", actor="bench") for _ in range(repeat)]
    Job.objects.filter(process_instance__in=instances).update(due_at=timezone.now())
    ids = list(Job.objects.filter(process_instance__in=instances).values_list("id", flat=True))
    fire_rate, _ = timed(lambda index: jobs.execute(ids[index], actor="bench"), len(ids))

    definition = ProcessDefinition.objects.get(key="bench-timer")
    now = timezone.now()
    rows = [ProcessInstance(definition=definition, process_definition_key="bench-filler", started_at=now)
            for _ in range(10_000)]
    ProcessInstance.objects.bulk_create(rows, batch_size=5000)
    Job.objects.bulk_create([Job(type=Job.TIMER, process_instance=row, process_definition_key="bench-filler",
                                 engine_task_id=uuid.uuid4().hex, activity_id="pause", due_at=now)
                             for row in rows], batch_size=5000)
    began = time.perf_counter()
    locked = 0
    while batch := jobs.lock_due_batch(settings.BPMS_JOB_BATCH_SIZE):
        locked += len(batch)
    lock_seconds = time.perf_counter() - began
    Job.objects.filter(process_definition_key="bench-filler").delete()
    return fire_rate, locked, lock_seconds


@benchmark("async", "external tasks over HTTP, message correlation at 1,000 vs 100,000 waiting, timer firing")
def async_layer(report, options):
    repeat = options["repeat"]
    report("ceiling: PostgreSQL INSERT + COMMIT, one connection", postgres_commit_ceiling(repeat), "/s")
    with deployed_models(MODEL, KEYS, "benchmark async"):
        rate, p95_ms, count = external_workers(4, repeat)
        report("external tasks fetched and completed, 4 HTTP workers", rate, "/s",
               f"{count} tasks, p95 {p95_ms:.1f} ms per task (target >= 300/s)")
        definition = ProcessDefinition.objects.get(key="bench-message-catch")
        figures = {}
        for waiting, add in ((1_000, 1_000), (100_000, 99_000)):
            add_filler_subscriptions(add, definition)
            for by_keys in (False, True):
                rate, durations = correlations(repeat, by_keys)
                figures[(waiting, by_keys)] = rate
                report(f"correlations by {'correlation keys' if by_keys else 'business key'}, "
                       f"{waiting:,} others waiting", rate, "/s", f"p95 {p95(durations) * 1000:.1f} ms")
        for by_keys in (False, True):
            ratio = figures[(100_000, by_keys)] / figures[(1_000, by_keys)]
            report(f"correlation rate 100,000 / 1,000 ({'keys' if by_keys else 'business key'})", ratio, "",
                   "target within 20% (0.8..1.2), and >= 300/s")
        fire_rate, locked, lock_seconds = timer_figures(repeat)
        report("timers fired by one worker process (engine fire_timer)", fire_rate, "/s")
        report(f"scheduler: locking {locked:,} due timers", lock_seconds * 1000, "ms")
        report("lag of the last of 10,000 timers due at once, one worker", 10_000 / fire_rate + lock_seconds, "s",
               "target <= 2 s: divide by the number of worker processes")
