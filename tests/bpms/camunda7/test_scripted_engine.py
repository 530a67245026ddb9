"""The adapter against an engine scripted from the Camunda 7 REST reference: an engine with
numeric ids (DbIdGenerator) is projected into our rows, and its error answers reach /v1 callers as
problem+json with our status codes."""

import pytest

from bpms.engine.camunda7 import projection, wire
from bpms.models import ActivityInstance, ExternalTask, Incident, Job, ProcessInstance, ProcessVariable, UserTask
from eximee.models import TimelineEvent

from . import fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(scripted, scripted_engine):
    """Instance 2601 waiting in user task 2604, as the engine shows it."""
    scripted.on("GET", "/process-definition/invoice:2:2504", (200, fixtures.DEFINITION))
    scripted.on("GET", "/process-definition/invoice:2:2504/xml", (200, fixtures.XML))
    scripted.on("GET", "/history/process-instance", (200, [fixtures.HISTORIC_INSTANCE]))
    scripted.on("GET", "/history/activity-instance", (200, fixtures.ACTIVITIES))
    scripted.on("GET", "/process-instance/2601/variables", (200, fixtures.VARIABLES))
    scripted.on("GET", "/task", (200, [fixtures.TASK]))
    scripted.on("GET", "/task/2604/identity-links", (200, fixtures.IDENTITY_LINKS))
    scripted.on("GET", "/incident", (200, []))
    scripted.on("GET", "/external-task", (200, [fixtures.EXTERNAL_TASK]))
    scripted.on("GET", "/job", (200, []))
    return projection.sync_instance(scripted_engine.client, "2601", actor="demo")


def test_an_engine_with_numeric_ids_is_projected_under_stable_uuids(invoice):
    assert invoice.id == wire.local_id("2601") == wire.local_id("2601")
    assert invoice.engine_state == {"remoteId": "2601"}
    assert (invoice.business_key, invoice.state, invoice.active_activity_ids) == ("INV-7", "active", ["approveInvoice"])
    assert invoice.started_at == wire.parse_date("2026-11-27T17:42:42.657+0000")
    definition = invoice.definition
    assert (definition.key, definition.version, definition.engine_spec["remoteId"]) == ("invoice", 2, "invoice:2:2504")
    assert definition.bpmn_xml == fixtures.XML["bpmn20Xml"]
    task = UserTask.objects.get(process_instance=invoice)
    assert (task.engine_task_id, task.name, task.candidate_groups, task.candidate_users) == (
        "2604", "Approve Invoice", ["accounting"], ["mary"])
    assert task.due_at == wire.parse_date("2026-12-04T17:42:42.000+0000")
    assert dict(ProcessVariable.objects.filter(process_instance=invoice).values_list("name", "value")) == {
        "amount": 30.0, "creditor": "Great Pizza for Everyone Inc.",
        "invoiceLines": [{"item": "pizza", "qty": 3}], "customer": {"name": "Anna"}}
    activities = ActivityInstance.objects.filter(process_instance=invoice).order_by("started_at")
    assert [(a.activity_id, a.ended_at is None) for a in activities] == [("start", False), ("approveInvoice", True)]
    kinds = list(TimelineEvent.objects.filter(process_instance_id=invoice.id).values_list("kind", flat=True))
    assert kinds[0] == "process.started" and "task.created" in kinds and kinds.count("variable.created") == 4


def test_a_second_sync_without_changes_writes_nothing(scripted, scripted_engine, invoice):
    before = TimelineEvent.objects.count()
    projection.sync_instance(scripted_engine.client, "2601", actor="engine-sync")
    assert TimelineEvent.objects.count() == before
    assert len(scripted.calls("GET", "/task/2604/identity-links")) == 1     # asked once, for the new task


def test_completion_elsewhere_is_picked_up_by_the_sync(scripted, scripted_engine, invoice):
    ended = fixtures.HISTORIC_INSTANCE | {"state": "COMPLETED", "endTime": "2026-11-27T19:00:00.000+0100"}
    scripted.on("GET", "/history/process-instance", (200, [ended]))
    scripted.on("GET", "/history/activity-instance", (200, [
        fixtures.ACTIVITIES[0], fixtures.ACTIVITIES[1] | {"endTime": "2026-11-27T19:00:00.000+0100"}]))
    scripted.on("GET", "/history/variable-instance", (200, [{"name": n, **v} for n, v in fixtures.VARIABLES.items()]))
    scripted.on("GET", "/history/task", (200, [fixtures.TASK | {"deleteReason": "completed",
                                                               "endTime": "2026-11-27T19:00:00.000+0100"}]))
    projection.sync_instance(scripted_engine.client, "2601", actor="engine-sync")
    invoice.refresh_from_db()
    assert (invoice.state, invoice.active_activity_ids) == ("completed", [])
    assert UserTask.objects.get(process_instance=invoice).state == "completed"
    assert TimelineEvent.objects.filter(process_instance_id=invoice.id, kind="process.completed").count() == 1


@pytest.mark.parametrize(("answer", "status", "slug"), [
    ((500, fixtures.OPTIMISTIC_LOCKING), 409, "conflict"),
    ((500, fixtures.TASK_NOT_FOUND_ON_CLAIM), 404, "not-found"),
    ((500, fixtures.GENERIC), 502, "engine-error"),
    ((503, "<html>maintenance</html>"), 503, "service-unavailable"),
])
def test_engine_errors_reach_the_v1_caller_as_problems(scripted, invoice, api_client_for, answer, status, slug):
    client = api_client_for("task-worker", "task-manager")
    task_id = UserTask.objects.get(process_instance=invoice).id
    scripted.on("POST", "/task/2604/complete", answer)
    response = client.post(f"/v1/tasks/{task_id}/complete", {"variables": {"approved": True}}, format="json")
    assert response.status_code == status
    problem = response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    assert problem["type"].endswith(slug) and problem["status"] == status
    assert scripted.body_of("POST", "/task/2604/complete")["variables"] == {"approved": {"value": True, "type": "Boolean"}}
    assert UserTask.objects.get(id=task_id).state == "created"


def test_claim_by_someone_else_in_the_engine_is_a_409(scripted, invoice, api_client_for):
    client = api_client_for("task-worker", "task-manager")
    task_id = UserTask.objects.get(process_instance=invoice).id
    scripted.on("POST", "/task/2604/claim", (500, fixtures.ALREADY_CLAIMED))
    response = client.post(f"/v1/tasks/{task_id}/claim", format="json")
    assert response.status_code == 409
    assert "already claimed" in response.json()["detail"]
    assert scripted.body_of("POST", "/task/2604/claim") == {"userId": client.user.username}


def test_a_start_whose_business_data_we_refuse_is_deleted_in_the_engine(scripted, scripted_engine, invoice):
    from bpms.services.instances import start_process_instance
    from eximee.errors import InvalidRequest

    scripted.on("POST", "/process-definition/invoice:2:2504/start",
                (200, {"id": "2601", "definitionId": "invoice:2:2504", "businessKey": "INV-7", "ended": False}))
    scripted.on("DELETE", "/process-instance/2601", (204, None))
    ProcessInstance.objects.filter(id=invoice.id).delete()
    with pytest.raises(InvalidRequest):     # refused before the engine is asked
        start_process_instance(process_definition_key="invoice", business_key="INV-7", business_data="not an object",
                               actor="demo")
    assert not scripted.calls("POST", "/process-definition/invoice:2:2504/start")
    with pytest.raises(InvalidRequest):     # refused once the instance exists
        start_process_instance(process_definition_key="invoice", business_key="INV-7",
                               business_data={"note": "a\x00b"}, actor="demo")
    assert len(scripted.calls("POST", "/process-definition/invoice:2:2504/start")) == 1
    assert len(scripted.calls("DELETE", "/process-instance/2601")) == 1
    assert not ProcessInstance.objects.filter(id=invoice.id).exists()


def test_external_tasks_with_numeric_ids_are_fetched_and_a_worker_holding_none_gets_409(
        scripted, invoice, api_client_for):
    scripted.on("POST", "/external-task/fetchAndLock", (200, [fixtures.LOCKED_EXTERNAL_TASK]))
    scripted.on("POST", "/external-task/2703/complete", (400, fixtures.LOCKED_BY_ANOTHER_WORKER))
    worker = api_client_for("service-worker")
    row = ExternalTask.objects.get(process_instance=invoice)

    fetched = worker.post("/v1/service-tasks/fetch-and-lock", {
        "workerId": "w1", "maxTasks": 5, "asyncResponseTimeout": 2000,
        "topics": [{"topicName": "creditcard", "lockDuration": 300_000, "variables": ["amount"]}]}, format="json")
    taken = worker.post(f"/v1/service-tasks/{row.id}/complete", {"workerId": "w2"}, format="json")

    assert (row.id, row.engine_task_id, row.topic, row.worker_id) == (wire.local_id("2703"), "2703", "creditcard", "")
    assert fetched.status_code == 200, fetched.content
    [task] = fetched.json()
    assert (task["id"], task["workerId"], task["variables"]) == (str(row.id), "w1", {"amount": 30.0})
    assert task["processInstanceId"] == str(invoice.id)
    assert scripted.body_of("POST", "/external-task/fetchAndLock") == {
        "workerId": "w1", "maxTasks": 5, "usePriority": False, "asyncResponseTimeout": 2000,
        "topics": [{"topicName": "creditcard", "lockDuration": 300000, "variables": ["amount"]}]}
    assert taken.status_code == 409 and taken.json()["engineErrorType"] == "BadUserRequestException"
    assert scripted.body_of("POST", "/external-task/2703/complete")["workerId"] == "w2"


@pytest.mark.parametrize("answer, status", [(fixtures.NO_MESSAGE_MATCH, 404), (fixtures.SEVERAL_MESSAGE_MATCHES, 409)])
def test_a_message_matching_nothing_is_404_and_several_409(scripted, invoice, api_client_for, answer, status):
    scripted.on("POST", "/message", (400, answer))

    response = api_client_for("event-publisher").post("/v1/messages", {"messageName": "invoicePaid",
                                                                       "businessKey": "INV-7"}, format="json")

    assert response.status_code == status and response["Content-Type"] == "application/problem+json"
    assert scripted.body_of("POST", "/message")["resultEnabled"] is True


def test_jobs_with_numeric_ids_are_projected_and_a_failure_in_the_engine_answers_422_and_retries(
        scripted, scripted_engine, invoice, api_client_for):
    scripted.on("GET", "/job", (200, [fixtures.JOB]))
    scripted.on("GET", "/job-definition", (200, [fixtures.JOB_DEFINITION]))
    projection.sync_instance(scripted_engine.client, "2601", actor="engine-sync")
    job = Job.objects.get(process_instance=invoice)
    assert (job.id, job.engine_task_id, job.type, job.kind, job.activity_id, job.retries) == (
        wire.local_id("2801"), "2801", "timer", "boundary", "remind", 3)
    assert job.due_at == wire.parse_date(fixtures.JOB["dueDate"])
    operator = api_client_for("operator")

    # Camunda answers a job that failed while executed with a 500 carrying the exception.
    scripted.on("POST", "/job/2801/execute", (500, fixtures.GENERIC))
    scripted.on("GET", "/job", (200, [fixtures.FAILED_JOB]))
    scripted.on("GET", "/incident", (200, [fixtures.JOB_INCIDENT]))
    scripted.on("GET", "/job/2801/stacktrace", (200, fixtures.STACKTRACE))
    failed = operator.post(f"/v1/jobs/{job.id}/execute")

    assert failed.status_code == 422, failed.content
    assert (failed.json()["detail"], failed.json()["retries"], failed.json()["jobId"]) == (
        f"The job failed: {fixtures.GENERIC['message']}", 0, str(job.id))
    incident = Incident.objects.get(process_instance=invoice)
    assert (incident.type, incident.job_id, incident.configuration, incident.details) == (
        "failedJob", job.id, str(job.id), fixtures.STACKTRACE)
    assert len(scripted.calls("GET", "/job-definition")) == 1     # read once, kept on the definition row

    scripted.on("PUT", "/job/2801/retries", (204, None))
    scripted.on("GET", "/incident", (200, []))
    scripted.on("GET", "/job", (200, [fixtures.FAILED_JOB | {"retries": 1}]))
    retried = operator.post(f"/v1/incidents/{incident.id}/retry", {}, format="json")

    assert retried.status_code == 200, retried.content
    assert scripted.body_of("PUT", "/job/2801/retries") == {"retries": 1}
    incident.refresh_from_db()
    assert (incident.resolution, Job.objects.get(id=job.id).retries) == ("retried", 1)

    scripted.on("POST", "/job/2801/execute", (204, None))
    scripted.on("GET", "/job", (200, []))
    assert operator.post(f"/v1/jobs/{job.id}/execute").status_code == 204
    assert not Job.objects.filter(process_instance=invoice).exists()
