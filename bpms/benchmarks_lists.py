"""The data behind the list-latency figure of `bench all`: many open tasks and a large history, of
one model (bench-history), written with bulk inserts straight into the projections the lists read.

Generated once per database and kept: a later run finds it and reuses it (generation is the slow
part). Every completed instance carries ten history rows (the instance, its completed task, five
activity instances, three variable changes); every open one an open task, two activity instances
and two process variables, as a started instance of the model would."""

import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from bpms.models import ActivityInstance, ProcessDefinition, ProcessInstance, ProcessVariable, UserTask, VariableChange
from bpms.services.deployments import deploy

MODEL = Path(__file__).parent / "bench_models" / "bench-history.bpmn"
KEY = "bench-history"
HISTORY_ROWS_PER_COMPLETED_INSTANCE = 10
REGIONS = ("north", "south", "east", "west")
BATCH = 2000


def list_data(open_tasks, history_rows):
    """Makes sure at least `open_tasks` open tasks and `history_rows` history rows of bench-history
    exist; returns (open tasks, history rows, seconds spent generating)."""
    began = time.perf_counter()
    definition = ProcessDefinition.objects.filter(key=KEY).order_by("-version").first()
    if definition is None:
        deploy(name="benchmark lists", files=[(MODEL.name, MODEL.read_bytes())], actor="bench")
        definition = ProcessDefinition.objects.filter(key=KEY).order_by("-version").first()
    instances = ProcessInstance.objects.filter(process_definition_key=KEY)
    missing_open = open_tasks - instances.filter(state=ProcessInstance.ACTIVE).count()
    missing_completed = -(-(history_rows - history_count()) // HISTORY_ROWS_PER_COMPLETED_INSTANCE)
    for offset in range(0, max(0, missing_open), BATCH):
        _insert(definition, min(BATCH, missing_open - offset), completed=False)
    for offset in range(0, max(0, missing_completed), BATCH):
        _insert(definition, min(BATCH, missing_completed - offset), completed=True)
    if missing_open > 0 or missing_completed > 0:
        with connection.cursor() as cursor:   # fresh statistics, as autovacuum would have them
            for model in (ProcessInstance, UserTask, ProcessVariable, ActivityInstance, VariableChange):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return (UserTask.objects.filter(process_definition_key=KEY, state=UserTask.CREATED).count(), history_count(),
            time.perf_counter() - began)


def history_count():
    completed = ProcessInstance.objects.filter(process_definition_key=KEY, state=ProcessInstance.COMPLETED)
    return (completed.count()
            + UserTask.objects.filter(process_definition_key=KEY, state=UserTask.COMPLETED).count()
            + ActivityInstance.objects.filter(process_instance__in=completed).count()
            + VariableChange.objects.filter(process_instance__in=completed).count())


@transaction.atomic
def _insert(definition, count, completed):
    now = timezone.now()
    instances, tasks, activities, variables, changes = [], [], [], [], []
    for _ in range(count):
        number = uuid.uuid4().int
        started = now - timedelta(seconds=number % 10_000_000)
        ended = started + timedelta(minutes=30) if completed else None
        business_key = f"BH-{uuid.uuid4().hex[:12]}"
        amount, region = number % 100_000, REGIONS[number % len(REGIONS)]
        instance = ProcessInstance(
            definition=definition, process_definition_key=KEY, business_key=business_key, started_by="bench",
            state=ProcessInstance.COMPLETED if completed else ProcessInstance.ACTIVE, started_at=started,
            ended_at=ended, active_activity_ids=[] if completed else ["review"])
        instances.append(instance)
        tasks.append(UserTask(
            process_instance=instance, engine_task_id=uuid.uuid4().hex, task_definition_key="review",
            name="Review application", process_definition_key=KEY, business_key=business_key,
            state=UserTask.COMPLETED if completed else UserTask.CREATED, candidate_groups=["task-worker"],
            priority=50 + number % 50, created_at=started + timedelta(seconds=1), ended_at=ended,
            completed_by="bench" if completed else ""))
        steps = ("start", "review", "f1", "f2", "end") if completed else ("start", "review")
        activities += [ActivityInstance(process_instance=instance, engine_task_id=uuid.uuid4().hex, activity_id=step,
                                        activity_type="bpmn:UserTask" if step == "review" else "bpmn:Event",
                                        started_at=started, ended_at=ended) for step in steps]
        if completed:
            changes += [VariableChange(process_instance=instance, name=name, change=VariableChange.CREATED,
                                       type=kind, new_value=value, actor="bench", changed_at=started)
                        for name, kind, value in (("amount", "Integer", amount), ("region", "String", region),
                                                  ("approved", "Boolean", True))]
        else:
            variables += [ProcessVariable(process_instance=instance, name="amount", type="Integer", value=amount),
                          ProcessVariable(process_instance=instance, name="region", type="String", value=region)]
    for model, rows in ((ProcessInstance, instances), (UserTask, tasks), (ActivityInstance, activities),
                        (ProcessVariable, variables), (VariableChange, changes)):
        model.objects.bulk_create(rows, batch_size=BATCH)
