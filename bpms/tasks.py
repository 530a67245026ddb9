"""Celery tasks of the BPMS: thin wrappers over bpms.services. Every one is safe to run twice
(acks_late redelivers a task whose worker died): each locks its row and does nothing when the row
is gone or taken."""

from celery import shared_task


# Results of the hot tasks are not stored: nobody reads them, and each would be a Redis write.
@shared_task(name="bpms.run_service_task_handler", ignore_result=True)
def run_service_task_handler(task_id):
    from bpms.services import external_tasks
    from eximee import audit

    outcome = external_tasks.run_builtin(task_id)
    if outcome != "skipped":   # effects outside a request are audited here
        audit.record("bpms.service-task.run-handler", f"service-task:{task_id}", outcome=outcome, actor="celery")
    return outcome


@shared_task(name="bpms.requeue_stale_service_tasks")
def requeue_stale_service_tasks():
    from bpms.services import external_tasks

    return external_tasks.requeue_stale_builtin()


@shared_task(name="bpms.acquire_due_jobs", ignore_result=True)
def acquire_due_jobs():
    from bpms.services import jobs

    return jobs.acquire_due()


@shared_task(name="bpms.execute_job", ignore_result=True)
def execute_job(job_id):
    from bpms.services import jobs
    from eximee import audit

    ran = jobs.execute(job_id)
    audit.record("bpms.job.execute", f"job:{job_id}", outcome="success" if ran else "failed-or-gone", actor="celery")
    return ran


@shared_task(name="bpms.execute_jobs", ignore_result=True)
def execute_jobs(job_ids):
    """A chunk of jobs the scheduler found due at once: one message, run together where they can be."""
    from django.db import transaction

    from bpms.services import jobs
    from eximee import audit

    with transaction.atomic():   # the batch's audit entries commit with it: one commit for both
        together, alone = jobs.execute_due(job_ids)
        audit.record_many("bpms.job.execute", [f"job:{job_id}" for job_id in together], actor="celery")
    for job_id in alone:
        execute_job(job_id)


@shared_task(name="bpms.schedule_timer_starts")
def schedule_timer_starts():
    from bpms.services import timer_starts

    return timer_starts.schedule()


@shared_task(name="bpms.deliver_buffered_messages")
def deliver_buffered_messages(process_instance_id):
    from bpms.services import messages

    return messages.deliver_buffered(process_instance_id)


@shared_task(name="bpms.expire_buffered_messages")
def expire_buffered_messages():
    from bpms.services import messages

    return messages.expire_buffered()


@shared_task(name="bpms.camunda7_run_handlers")
def camunda7_run_handlers():
    """Remote engine mode: fetch the built-in topics' external tasks from the engine and run them."""
    from bpms.engine import get_engine
    from bpms.engine.camunda7 import worker
    from eximee import audit

    results = worker.fetch_and_run(get_engine().client)
    for task_id, outcome in results:
        if outcome != "skipped":
            audit.record("bpms.service-task.run-handler", f"service-task:{task_id}", outcome=outcome, actor="celery")
    return len(results)


@shared_task(name="bpms.camunda7_sync")
def camunda7_sync():
    """Remote engine mode: catch up with what others changed on the engine."""
    from bpms.engine import get_engine
    from bpms.engine.camunda7 import worker

    client = get_engine().client
    return worker.sync_definitions(client), worker.sync_instances(client)
