"""Our Celery workers as external-task workers of the remote engine.

The topics that have built-in handlers (bpms.handlers) are fetched and locked from the engine,
each handler runs, and its outcome goes back to the engine: complete with the handler's output
variables, bpmnError for a handler's BpmnError, failure with the retries counted down like the
embedded async layer does (failedJobRetryTimeCycle is not exposed by the REST API, so the default
retries and delays apply). After each outcome the instance's projection is synced.
"""

import logging
import traceback

from django.conf import settings

from bpms import handlers
from bpms.models import ProcessInstance
from bpms.services.jobs import initial_retries, next_retry
from eximee.errors import Conflict, NotFound

from . import projection, wire

logger = logging.getLogger(__name__)


def _context(task):
    return handlers.ServiceTaskContext(
        id=task["id"], topic=task["topicName"], process_instance_id=str(wire.local_id(task["processInstanceId"])),
        business_key=task.get("businessKey"), activity_id=task.get("activityId") or "",
        variables=wire.plain_all(task.get("variables")), retries=task.get("retries"))


def fetch_and_run(client, *, max_tasks=None):
    """One fetch of the built-in topics, and each fetched task's handler run. Returns
    [(task id, outcome)], outcome one of "completed", "bpmn-error", "failed", "skipped"."""
    topics = handlers.topics()
    if not topics:
        return []
    worker_id = settings.CAMUNDA7_WORKER_ID
    fetched = client.post("/external-task/fetchAndLock", {
        "workerId": worker_id, "maxTasks": max_tasks or settings.CAMUNDA7_FETCH_MAX_TASKS, "usePriority": True,
        "asyncResponseTimeout": int(settings.CAMUNDA7_FETCH_LONG_POLL_SECONDS * 1000),
        "topics": [{"topicName": topic, "lockDuration": settings.BPMS_HANDLER_LOCK_SECONDS * 1000}
                   for topic in topics]},
        timeout=settings.CAMUNDA7_TIMEOUT_SECONDS + settings.CAMUNDA7_FETCH_LONG_POLL_SECONDS)
    return [(task["id"], run(client, task, worker_id)) for task in fetched]


def run(client, task, worker_id):
    context = _context(task)
    actor = f"handler:{context.topic}"
    path = f"/external-task/{task['id']}"
    try:
        output = handlers.get(context.topic)(context)
    except handlers.BpmnError as error:
        outcome, report = "bpmn-error", ("bpmnError", {
            "workerId": worker_id, "errorCode": error.code, "errorMessage": error.message,
            "variables": wire.typed_all(error.variables)})
    except Exception as exc:
        outcome, report = "failed", ("failure", _failure(task, worker_id, exc))
    else:
        outcome, report = "completed", ("complete", {"workerId": worker_id, "variables": wire.typed_all(output)})
    try:
        client.post(f"{path}/{report[0]}", report[1])
    except (NotFound, Conflict):
        # The instance moved on, or our lock expired and another worker took the task.
        logger.info("handler result dropped by the engine", extra={"task": task["id"]})
        return "skipped"
    projection.sync_instance(client, task["processInstanceId"], actor=actor)
    return outcome


def _failure(task, worker_id, exc):
    retries_left = task.get("retries")
    retries, wait = next_retry(initial_retries("") if retries_left is None else retries_left, "")
    return {"workerId": worker_id, "errorMessage": (str(exc) or type(exc).__name__)[:4000],
            "errorDetails": "".join(traceback.format_exception(exc))[-20000:], "retries": retries,
            "retryTimeout": int(wait.total_seconds() * 1000)}


def sync_definitions(client, *, page=500):
    """Import the definitions deployed on the engine that we have not seen. Returns how many the
    engine has."""
    seen = _paged(client, "/process-definition", page)
    for dto in seen:
        projection.definition(client, dto["id"])
    return len(seen)


def sync_instances(client, *, page=500):
    """Read back every instance active on either side: picks up instances started, changed or
    ended on the engine by others. Returns how many were read."""
    remote_ids = {dto["id"] for dto in _paged(client, "/process-instance", page)}
    ours = ProcessInstance.objects.filter(state=ProcessInstance.ACTIVE).only("id", "engine_state")
    remote_ids.update(projection.remote_id(row) for row in ours)
    for remote_id in remote_ids:
        try:
            projection.sync_instance(client, remote_id, actor="engine-sync")
        except NotFound:
            logger.warning("instance unknown to the engine's history", extra={"instance": remote_id})
    return len(remote_ids)


def _paged(client, path, page):
    rows, first = [], 0
    while True:
        batch = client.get(path, firstResult=first, maxResults=page)
        rows.extend(batch)
        if len(batch) < page:
            return rows
        first += page
