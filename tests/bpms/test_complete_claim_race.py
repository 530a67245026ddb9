"""A task-worker's completion checks who holds the task again under the engine's lock: a claim by
someone else that lands between the worker's first read and that lock wins, and the completion
is refused with 403 instead of completing a task that is no longer the worker's."""

import threading
import time

from django.db import connection, transaction

from bpms.models import ProcessInstance, UserTask

from .engine_support import deploy, start


def _wait_until_blocked_on_a_lock(timeout=30.0):
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Statistics views are snapshotted once per transaction: drop the snapshot each round.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the completion never waited for the instance lock")


def test_a_claim_landing_before_the_lock_wins_over_the_completion(transactional_db, api_client_for):
    starter = api_client_for("process-starter", "deployer")
    deploy(starter, "loan_application.bpmn")
    started = start(starter, "loan-application", {"amount": 20000})
    task_id = started["openTasks"][0]["id"]
    walt = api_client_for("task-worker", username="walt")
    answers = []

    def complete():
        try:
            answers.append(walt.post(f"/v1/tasks/{task_id}/complete",
                                     {"variables": {"decision": "approve"}}, format="json"))
        finally:
            connection.close()

    with transaction.atomic():
        ProcessInstance.objects.select_for_update().get(id=started["id"])
        worker = threading.Thread(target=complete)
        worker.start()
        _wait_until_blocked_on_a_lock()
        UserTask.objects.filter(id=task_id).update(assignee="tina")
    worker.join(timeout=60)

    assert answers and answers[0].status_code == 403, answers and answers[0].json()
    assert "assigned to tina" in answers[0].json()["detail"]
    task = UserTask.objects.get(id=task_id)
    assert (task.assignee, task.state) == ("tina", UserTask.CREATED)
