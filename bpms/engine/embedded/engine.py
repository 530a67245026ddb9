"""The embedded engine: SpiffWorkflow state in PostgreSQL, projections and history kept in step in
the same transaction as every operation."""

from contextlib import contextmanager
import uuid

from django.db import OperationalError, transaction
from django.utils import timezone
from SpiffWorkflow.bpmn.specs.event_definitions import MessageEventDefinition, SignalEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from bpms.engine import checks, dmn, interface
from bpms.engine.forms import validate_form
from bpms.models import Deployment, DeploymentResource, ProcessDefinition, ProcessInstance, locking
from eximee.errors import Conflict, NotFound, RuleViolation

from . import parser as bpmn_parser
from . import decisions, runtime, serialization
from .bpmn_xml import Problem
from .persistence import Session


def _failure(exc):
    """A SpiffWorkflow failure as a problem naming the failing element."""
    task = getattr(exc, "task", None)
    element = getattr(getattr(task, "task_spec", None), "bpmn_id", None) if task is not None else None
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    headline = message if element and f"'{element}'" in message else f"The process failed at element '{element or '?'}': {message}"
    return RuleViolation(headline,
                         errors=[{"pointer": f"/elements/{element or ''}", "detail": message}],
                         extra={"elementId": element})


DEADLOCK = "40P01"


@contextmanager
def engine_errors():
    try:
        yield
    except SpiffWorkflowException as exc:
        raise _failure(exc) from exc
    except OperationalError as exc:
        # A parent and its called child changed at once from both ends: one side wins, the other retries.
        if getattr(exc.__cause__, "sqlstate", None) == DEADLOCK:
            raise Conflict("The instance was changed concurrently; try again.") from exc
        raise


def _locked_instance(instance_id, *, allow_suspended=False):
    return _with_cached_definition(checks.active_instance(ProcessInstance.objects.select_for_update(), instance_id,
                                                          allow_suspended=allow_suspended))


def _locked_task(task_id):
    """The user task's instance is locked first (found through the task in the same query), then
    the task re-read: of two concurrent callers, the second sees the first one's outcome."""
    instance = locking.INSTANCE_OF_USER_TASK.first(task_id) if _is_uuid(task_id) else None
    if instance is None:
        raise NotFound(f"Task {task_id} does not exist.")
    _with_cached_definition(instance)
    return instance, checks.open_task(locking.USER_TASK.first(task_id), instance)


def _with_cached_definition(instance):
    """Definitions are immutable: the process-wide copy saves a join on every locking read."""
    instance.definition = serialization.cached_definition(instance.definition_id)
    return instance


def _is_uuid(value):
    try:
        uuid.UUID(str(value))
        return True
    except ValueError:
        return False


class EmbeddedEngine(interface.WaitStateEngine):

    # --- deployment -----------------------------------------------------------------------------

    def deploy(self, *, name, resources, actor):
        files = {r.name: r.content for r in resources}
        problems = []
        dmn_files = decisions.parse(files, problems)
        try:
            parsed = bpmn_parser.parse_deployment(files)
        except bpmn_parser.ParseFailure as exc:
            problems.extend(exc.problems)
            parsed = {}
        if not any(name.lower().endswith((*bpmn_parser.BPMN_SUFFIXES, ".dmn")) for name in files):
            problems.append(Problem("", "", "the deployment contains no BPMN process and no DMN decision"))
        decisions.check_references(parsed, dmn_files, problems)
        if problems:
            raise RuleViolation("The deployment contains elements that cannot run here.",
                                errors=[p.as_error() for p in problems]) from None
        with transaction.atomic():
            deployment = Deployment.objects.create(name=name, deployed_by=actor)
            deployed_decisions = decisions.store(deployment, dmn_files)
            DeploymentResource.objects.bulk_create(
                [DeploymentResource(deployment=deployment, name=n, content=c.decode("utf-8", "replace"))
                 for n, c in files.items()])
            latest = locking.latest_versions(ProcessDefinition, parsed)
            definitions = []
            for key, (spec, subprocess_specs, info) in parsed.items():
                decisions.bind_to_deployment([spec, *subprocess_specs.values()], deployment.id)
                meta = {t.bpmn_id: runtime.metadata_of_spec(t) for t in spec.task_specs.values()
                        if getattr(t, "bpmn_id", None)}
                starts = [meta[s] | {"id": s} for s in info["startIds"] if s in meta]
                definitions.append(ProcessDefinition(
                    key=key, version=latest[key] + 1, version_tag=info["versionTag"], name=info["name"],
                    deployment=deployment,
                    resource_name=info["resource"], bpmn_xml=files[info["resource"]].decode("utf-8", "replace"),
                    engine_spec=serialization.spec_to_json(spec, subprocess_specs),
                    data_model=info["dataModel"],
                    none_start_event=next((s["id"] for s in starts if not s.get("event")), ""),
                    message_start_events=[{"activityId": s["id"], "messageName": s.get("messageName")}
                                          for s in starts if s.get("event") == "message"],
                    signal_start_events=[{"activityId": s["id"], "signalName": s.get("signalName")}
                                         for s in starts if s.get("event") == "signal"],
                    timer_start_events=[{"activityId": s["id"], **{k: s[k] for k in ("timeDate", "timeDuration", "timeCycle") if k in s}}
                                        for s in starts if s.get("event") == "timer"],
                ))
            ProcessDefinition.objects.bulk_create(definitions)
        return interface.DeploymentResult(
            id=str(deployment.id), name=deployment.name,
            definitions=tuple(interface.DeployedDefinition(str(d.id), d.key, d.version, d.name) for d in definitions),
            decisions=tuple(interface.DeployedDefinition(str(d.id), d.key, d.version, d.name) for d in deployed_decisions))

    # --- decisions ------------------------------------------------------------------------------

    def evaluate_decision(self, *, key, version, variables):
        try:
            return decisions.decide(key, "latest" if version is None else "version", "resultList", variables,
                                    version=version)
        except decisions.DecisionNotFound as exc:
            raise NotFound(f"There is {exc}.") from None
        except dmn.DmnError as exc:
            raise RuleViolation(f"The decision '{key}' failed: {exc}", extra={"decisionKey": key}) from None

    # --- instances ------------------------------------------------------------------------------

    def start_instance(self, *, definition_id, business_key, variables, start_activity_id, actor,
                       before_run=None, parent=None):
        # No savepoint: a failure fails the caller's whole transaction anyway.
        with transaction.atomic(savepoint=False), engine_errors():
            definition = serialization.cached_definition(definition_id)
            session = Session.start(definition, business_key=business_key, actor=actor, parent=parent)
            if before_run is not None:
                before_run(session.instance)
            session.begin(variables, start_activity_id)
            session.run()
            session.save()
        return session.result()

    def cancel_instance(self, instance_id, *, reason, actor):
        with transaction.atomic(), engine_errors():
            instance = _locked_instance(instance_id, allow_suspended=True)
            session = Session.load(instance, actor)
            session.cancel(reason)
            session.save()
        return session.result()

    def suspend_instance(self, instance_id, *, actor):
        return self._set_suspended(instance_id, True, actor)

    def activate_instance(self, instance_id, *, actor):
        return self._set_suspended(instance_id, False, actor)

    def _set_suspended(self, instance_id, suspended, actor):
        with transaction.atomic():
            instance = _locked_instance(instance_id, allow_suspended=True)
            if instance.suspended == suspended:
                raise Conflict(f"Process instance {instance_id} is already {'suspended' if suspended else 'active'}.")
            instance.suspended = suspended
            instance.save(update_fields=["suspended"])
            Session.record_suspension(instance, suspended, actor)
        return interface.InstanceResult(str(instance.id), instance.state, tuple(instance.active_activity_ids))

    def get_variables(self, instance_id):
        from bpms.selectors.variables import variables_of_instance
        return variables_of_instance(instance_id)

    def modify_variables(self, instance_id, *, modifications, deletions, actor):
        with transaction.atomic(), engine_errors():
            instance = _locked_instance(instance_id, allow_suspended=True)
            session = Session.load(instance, actor)
            runtime.set_variables(session.workflow, modifications, deletions)
            session.react_to_variables()
            session.save()
        return session.variables_after

    # --- user tasks -----------------------------------------------------------------------------

    def complete_user_task(self, task_id, *, variables, actor, before_run=None):
        with transaction.atomic(savepoint=False), engine_errors():
            instance, row = _locked_task(task_id)
            validate_form(row.form_fields, variables)
            if before_run is not None:
                before_run(instance, row)
            session = Session.load(instance, actor)
            task = session.engine_task(row.engine_task_id)
            session.complete_user_task(row, task, variables)
            session.run()
            session.save()
        return session.result()

    def claim_task(self, task_id, *, user_id, actor):
        with transaction.atomic():
            instance, row = _locked_task(task_id)
            if row.assignee and row.assignee != user_id:
                raise Conflict(f"Task {task_id} is already claimed by {row.assignee}.")
            Session.change_task(instance, row, actor, "task.claimed", f"{user_id} claimed {row.name or row.task_definition_key}",
                                assignee=user_id, claimed_by=user_id, claimed_at=timezone.now())
        return row

    def unclaim_task(self, task_id, *, actor):
        with transaction.atomic():
            instance, row = _locked_task(task_id)
            Session.change_task(instance, row, actor, "task.unclaimed", f"{row.name or row.task_definition_key} unclaimed",
                                assignee=None)
        return row

    def set_assignee(self, task_id, *, user_id, actor):
        with transaction.atomic():
            instance, row = _locked_task(task_id)
            Session.change_task(instance, row, actor, "task.assigned",
                                f"{row.name or row.task_definition_key} assigned to {user_id or 'nobody'}",
                                assignee=user_id or None)
        return row

    def delegate_task(self, task_id, *, user_id, actor):
        with transaction.atomic():
            instance, row = _locked_task(task_id)
            Session.change_task(instance, row, actor, "task.delegated",
                                f"{row.name or row.task_definition_key} delegated to {user_id}",
                                owner=row.owner or row.assignee or actor, assignee=user_id, delegation_state="pending")
        return row

    def resolve_task(self, task_id, *, variables, actor):
        with transaction.atomic(), engine_errors():
            instance, row = _locked_task(task_id)
            if row.delegation_state != "pending":
                raise Conflict(f"Task {task_id} is not delegated.")
            if variables:
                session = Session.load(instance, actor)
                session.engine_task(row.engine_task_id).data.update(variables)
                session.react_to_variables()
                session.save()
            Session.change_task(instance, row, actor, "task.resolved", f"{row.name or row.task_definition_key} resolved",
                                assignee=row.owner, delegation_state="resolved")
        return row

    def update_task(self, task_id, *, changes, actor):
        with transaction.atomic():
            instance, row = _locked_task(task_id)
            Session.change_task(instance, row, actor, "task.assigned" if "assignee" in changes else "task.updated",
                                f"{row.name or row.task_definition_key} updated", **changes)
        return row

    # --- async layer operations -----------------------------------------------------------------

    def _operate(self, instance, actor, action):
        return self._operate_all([(instance, action)], actor)[0]

    def _operate_all(self, operations, actor):
        """[(instance, action)]: the caller has locked each instance in its transaction, which is
        the operations' boundary (no savepoint, no second locking read of a row). They share one
        time and are written together (Session.save_all)."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("An async-layer operation needs the caller's transaction holding the instance's lock.")
        now, sessions = timezone.now(), []
        with engine_errors():
            for instance, action in operations:
                checks.ensure_active(instance)
                session = Session.load(_with_cached_definition(instance), actor, now=now)
                action(session)
                session.run()
                sessions.append(session)
            Session.save_all(sessions)
        return [session.result() for session in sessions]

    @staticmethod
    def _waiting(session, engine_task_id, wanted_state, what):
        task = session.engine_task(engine_task_id)
        if task.state != wanted_state and runtime.waiting_gateway(task) is None:
            raise Conflict(f"{what} {engine_task_id} is not waiting (state {TaskState.get_name(task.state)}).")
        return task

    def complete_service_task(self, instance, engine_task_id, *, variables, actor):
        def action(session):
            task = self._waiting(session, engine_task_id, TaskState.STARTED, "Service task")
            session.finish_waiting_task(task, "servicetask.completed",
                                        f"service task {runtime.activity_id(task)} completed", variables)
        return self._operate(instance, actor, action)

    def throw_bpmn_error(self, instance, engine_task_id, *, error_code, error_message="", variables=None, actor):
        def action(session):
            task = self._waiting(session, engine_task_id, TaskState.STARTED, "Service task")
            task.data.update(variables or {})
            session.throw_error(task, error_code, error_message)
        return self._operate(instance, actor, action)

    def deliver_message(self, instance, engine_task_id, *, message_name, variables, actor):
        def action(session):
            task = self._waiting(session, engine_task_id, TaskState.WAITING, "Message event")
            session.catch(task, MessageEventDefinition(message_name), variables,
                          "message.correlated", f"message {message_name} received by {runtime.activity_id(task)}")
        return self._operate(instance, actor, action)

    def deliver_signal(self, instance, engine_task_id, *, signal_name, variables, actor):
        def action(session):
            task = self._waiting(session, engine_task_id, TaskState.WAITING, "Signal event")
            session.catch(task, SignalEventDefinition(signal_name), variables,
                          "signal.received", f"signal {signal_name} received by {runtime.activity_id(task)}")
        return self._operate(instance, actor, action)

    def fire_timer(self, instance, engine_task_id, *, actor):
        return self._operate(instance, actor, self._timer(engine_task_id))

    def run_continuation(self, instance, engine_task_id, *, actor):
        return self._operate(instance, actor, self._continuation(engine_task_id))

    def run_jobs(self, jobs, *, actor):
        return self._operate_all([(instance, self._timer(engine_task_id) if timer else self._continuation(engine_task_id))
                                  for instance, engine_task_id, timer in jobs], actor)

    def _timer(self, engine_task_id):
        return lambda session: session.fire_timer(self._waiting(session, engine_task_id, TaskState.WAITING, "Timer event"))

    @staticmethod
    def _continuation(engine_task_id):
        return lambda session: session.continue_async(engine_task_id)

    # --- events and external workers: our own subscription and service-task tables, filled by
    # bpms.services.waits from the wait states above, serve them ---------------------------------

    def correlate_message(self, message_name, **criteria):
        from bpms.services.messages import deliver_to_matches
        return deliver_to_matches(message_name, **criteria)

    def broadcast_signal(self, signal_name, *, variables, actor):
        from bpms.services.signals import deliver_to_receivers
        return deliver_to_receivers(signal_name, variables=variables, actor=actor)

    def fetch_and_lock(self, **request):
        from bpms.services import external_tasks
        return external_tasks.fetch_and_lock(**request)

    def complete_external_task(self, task_id, **outcome):
        from bpms.services import external_tasks
        external_tasks.complete(task_id, **outcome)

    def fail_external_task(self, task_id, **failure):
        from bpms.services import external_tasks
        external_tasks.fail(task_id, **failure)

    def external_task_bpmn_error(self, task_id, **error):
        from bpms.services import external_tasks
        external_tasks.throw_bpmn_error(task_id, **error)

    def extend_external_task_lock(self, task_id, *, worker_id, new_duration):
        from bpms.services import external_tasks
        external_tasks.extend_lock(task_id, worker_id=worker_id, new_duration=new_duration)

    def unlock_external_task(self, task_id):
        from bpms.services import external_tasks
        external_tasks.unlock(task_id)

    def execute_job(self, job_id, *, actor):
        from bpms.services import jobs
        jobs.execute_now(job_id, actor=actor)

    def set_job_retries(self, job_id, *, retries, actor):
        from bpms.services import jobs
        return jobs.set_retries(job_id, retries=retries, actor=actor)

    def retry_incident(self, incident_id, *, retries, actor):
        from bpms.services import incidents
        return incidents.retry(incident_id, retries=retries, actor=actor)
