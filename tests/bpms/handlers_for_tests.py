"""Built-in service-task handlers used only by the tests. The test process imports this module; the
Celery worker of the tests imports it with `--include` (see async_support.handler_worker)."""

import time
from pathlib import Path

from bpms.handlers import BpmnError, handler


@handler("test.echo")
def echo(task):
    return {"echoed": task.variables.get("input"), "handledTaskId": task.id}


@handler("test.fail")
def fail(task):
    raise RuntimeError("the test handler fails on purpose")


@handler("test.reject")
def reject(task):
    raise BpmnError("REJECTED", "rejected by the test handler")


@handler("test.slow")
def slow(task):
    """Writes a line when it starts and one when it ends, into the file named by `runLog`."""
    log = Path(task.variables["runLog"])
    with log.open("a") as out:
        out.write(f"start {task.id}\n")
    time.sleep(task.variables.get("sleepSeconds", 0))
    with log.open("a") as out:
        out.write(f"done {task.id}\n")
    return {"slowDone": True}


@handler("test.suspend-own-instance")
def suspend_own_instance(task):
    """An operator suspends the instance while the handler works (the first time only)."""
    from bpms.services import instances
    from eximee.models import TimelineEvent

    if not TimelineEvent.objects.filter(process_instance_id=task.process_instance_id, kind="process.activated").exists():
        instances.suspend(task.process_instance_id, actor="olga")
    return {"handledTaskId": task.id}
