"""The engine interface: what the services, the REST API and the dashboard may ask of a BPMN engine.

Everything here speaks our domain (ids, keys, JSON variables, dataclasses). No SpiffWorkflow type may
appear above `bpms/engine/embedded/`, so a remote Camunda-7-REST implementation can stand behind the
same interface later.

Every operation is one transaction with the process instance row locked: it runs the engine to the
next wait states, writes state + projections + history + timeline, reports the wait states to
`bpms.services.waits.sync`, and raises `eximee.errors` on bad input. Reads of lists (tasks, instances,
history) go to the projection tables through `bpms.selectors`.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime


# --- wait states: what an instance waits for, reported to the async layer after every operation ---

@dataclass(frozen=True)
class ServiceTaskWait:
    """A service task with a topic (camunda:type="external" + topic, or a topic given as ${...});
    any serviceTask/sendTask/businessRuleTask with a topic."""
    engine_task_id: str
    activity_id: str
    activity_name: str
    topic: str
    priority: int = 0
    retry_time_cycle: str | None = None     # camunda:failedJobRetryTimeCycle, e.g. "R3/PT5M"
    extension_properties: dict = field(default_factory=dict)   # camunda:properties
    # What the task sees besides process variables (input parameters, a multi-instance element
    # variable, subprocess locals): its worker gets them with the process variables.
    local_variables: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class MessageWait:
    engine_task_id: str
    activity_id: str
    message_name: str
    kind: str                 # "catch" | "receive" | "boundary" | "event-gateway" | "event-subprocess"
    interrupting: bool = True


@dataclass(frozen=True)
class SignalWait:
    engine_task_id: str
    activity_id: str
    signal_name: str
    kind: str
    interrupting: bool = True


@dataclass(frozen=True)
class TimerWait:
    engine_task_id: str
    activity_id: str
    due_at: datetime          # aware UTC
    kind: str                 # "catch" | "boundary" | "event-gateway" | "event-subprocess"
    interrupting: bool = True
    cycle: str | None = None  # e.g. "R3/PT10M" when repeating
    retry_time_cycle: str | None = None     # camunda:failedJobRetryTimeCycle of the timer event


@dataclass(frozen=True)
class AsyncContinuation:
    """camunda:asyncBefore / asyncAfter reached: a job must call run_continuation."""
    engine_task_id: str
    activity_id: str
    position: str             # "before" | "after"
    retry_time_cycle: str | None = None     # camunda:failedJobRetryTimeCycle of the activity


@dataclass(frozen=True)
class WaitStates:
    service_tasks: tuple[ServiceTaskWait, ...] = ()
    messages: tuple[MessageWait, ...] = ()
    signals: tuple[SignalWait, ...] = ()
    timers: tuple[TimerWait, ...] = ()
    continuations: tuple[AsyncContinuation, ...] = ()


# --- inputs and results ---

@dataclass(frozen=True)
class Resource:
    """One uploaded file of a deployment."""
    name: str
    content: bytes


@dataclass(frozen=True)
class DeployedDefinition:
    id: str
    key: str
    version: int
    name: str


@dataclass(frozen=True)
class DeploymentResult:
    id: str
    name: str
    definitions: tuple[DeployedDefinition, ...]
    decisions: tuple[DeployedDefinition, ...] = ()     # DMN decisions, each the next version of its key


@dataclass(frozen=True)
class InstanceResult:
    """What an operation left behind; full views are read from the projections by id."""
    id: str
    state: str                # "active" | "completed" | "cancelled"
    active_activity_ids: tuple[str, ...] = ()
    # A start's ProcessInstance row as written, with the rows its view shows attached
    # (bpms.selectors.instances.attach_details), when the engine has them at hand: no reads back.
    instance: object = field(default=None, compare=False, repr=False)


class Engine(ABC):
    """One implementation per engine kind; `bpms.engine.get_engine()` returns the configured one."""

    # Messages published with a time-to-live wait for a subscription (our feature, not Camunda 7's):
    # only an engine whose subscriptions we hold can deliver them later.
    buffers_messages = True

    # deployment
    @abstractmethod
    def deploy(self, *, name: str, resources: list[Resource], actor: str) -> DeploymentResult:
        """Validate and store every process of the resources as a new version of its key.
        Raises RuleViolation listing every offending element id and why."""

    # decisions
    @abstractmethod
    def evaluate_decision(self, *, key: str, version: int | None, variables: dict) -> list[dict]:
        """The result list of the decision `key` (its latest version, or `version`) for `variables`:
        one {output name: value} per matched rule. Raises NotFound when there is no such decision,
        RuleViolation when the decision fails (e.g. two rules of a UNIQUE table match)."""

    # instances
    @abstractmethod
    def start_instance(self, *, definition_id: str, business_key: str | None, variables: dict,
                       start_activity_id: str | None, actor: str, before_run=None) -> InstanceResult:
        """`before_run(instance)` is called inside the transaction once the instance row exists and
        before the engine runs (the services write business data there)."""

    @abstractmethod
    def cancel_instance(self, instance_id, *, reason: str, actor: str) -> InstanceResult: ...

    @abstractmethod
    def suspend_instance(self, instance_id, *, actor: str) -> InstanceResult: ...

    @abstractmethod
    def activate_instance(self, instance_id, *, actor: str) -> InstanceResult: ...

    @abstractmethod
    def get_variables(self, instance_id) -> dict: ...

    @abstractmethod
    def modify_variables(self, instance_id, *, modifications: dict, deletions: list[str],
                         actor: str) -> dict:
        """Set and delete process variables; returns the variables afterwards."""

    # user tasks
    @abstractmethod
    def complete_user_task(self, task_id, *, variables: dict, actor: str, before_run=None) -> InstanceResult:
        """`before_run(instance)` as for start_instance; an engine that has read the task row again
        under the instance's lock passes it too: `before_run(instance, task)`."""

    @abstractmethod
    def claim_task(self, task_id, *, user_id: str, actor: str): ...

    @abstractmethod
    def unclaim_task(self, task_id, *, actor: str): ...

    @abstractmethod
    def set_assignee(self, task_id, *, user_id: str | None, actor: str): ...

    @abstractmethod
    def delegate_task(self, task_id, *, user_id: str, actor: str): ...

    @abstractmethod
    def resolve_task(self, task_id, *, variables: dict, actor: str): ...

    @abstractmethod
    def update_task(self, task_id, *, changes: dict, actor: str):
        """changes: any of name, due_at, follow_up_at, priority."""

    # events published from outside (/v1/messages, /v1/signals)
    @abstractmethod
    def correlate_message(self, message_name, *, business_key, process_instance_id, correlation_keys: dict,
                          variables: dict, business_data, all: bool, actor: str) -> list[dict]:
        """Deliver to the waiting instances that match, or start the processes with a matching
        message start event (only when no instance waits, unless all). Returns
        [{"resultType": "Execution"|"ProcessDefinition", "processInstanceId", "activityId"}], [] when
        nothing matched; Conflict when several match and all is false."""

    @abstractmethod
    def broadcast_signal(self, signal_name, *, variables: dict, actor: str) -> tuple[list[dict], list[dict]]:
        """Reach every waiting instance and signal start event. Returns (reached, as
        correlate_message's results; refused: [{"processInstanceId", "activityId", "error"}])."""

    # external workers' service tasks (/v1/service-tasks); task ids are our ExternalTask row ids
    @abstractmethod
    def fetch_and_lock(self, *, worker_id: str, max_tasks: int, topics: list, use_priority: bool,
                       async_response_timeout: float) -> list:
        """topics: bpms.services.external_tasks.TopicRequest. Returns locked ExternalTask rows, each
        with `fetched_variables`; waits up to async_response_timeout seconds for one."""

    @abstractmethod
    def complete_external_task(self, task_id, *, worker_id: str, variables: dict, business_data, actor: str): ...

    @abstractmethod
    def fail_external_task(self, task_id, *, worker_id: str, error_message: str, error_details: str,
                           retries: int, retry_timeout, actor: str):
        """retries 0 opens an incident."""

    @abstractmethod
    def external_task_bpmn_error(self, task_id, *, worker_id: str, error_code: str, error_message: str,
                                 variables: dict, actor: str): ...

    @abstractmethod
    def extend_external_task_lock(self, task_id, *, worker_id: str, new_duration): ...

    @abstractmethod
    def unlock_external_task(self, task_id): ...

    # jobs (/v1/jobs, /engine-rest/job); job ids are our Job row ids
    @abstractmethod
    def execute_job(self, job_id, *, actor: str):
        """Run the timer or continuation now, whatever its due date. A failure counts its retries
        down (0 opens an incident) and raises RuleViolation "The job failed: ..." with `jobId` and
        `retries`; 404 unknown, 409 its instance suspended."""

    @abstractmethod
    def set_job_retries(self, job_id, *, retries: int, actor: str):
        """Camunda's PUT /job/{id}/retries: > 0 on a job with an open incident retries it, 0 opens one."""

    # incidents
    @abstractmethod
    def retry_incident(self, incident_id, *, retries: int, actor: str):
        """Give the failed job or external task `retries` again, resolving the incident; returns the
        Incident row. 404 unknown, 409 already resolved or its job or task gone."""


class WaitStateEngine(Engine):
    """An engine whose wait states we hold (the embedded one): our async layer (bpms.services: the
    job scheduler, built-in handlers, message and signal delivery) reports each event back through
    these operations. A remote engine has its own job executor and subscriptions, and is not one.

    `instance` is the ProcessInstance row the caller has locked in its transaction, which is the
    operation's boundary (the caller has read what it delivers to under that lock already);
    engine_task_id is the id the wait state was reported with."""

    @abstractmethod
    def complete_service_task(self, instance, engine_task_id, *, variables: dict,
                              actor: str) -> InstanceResult: ...

    @abstractmethod
    def throw_bpmn_error(self, instance, engine_task_id, *, error_code: str, error_message: str = "",
                         variables: dict | None = None, actor: str) -> InstanceResult: ...

    @abstractmethod
    def deliver_message(self, instance, engine_task_id, *, message_name: str, variables: dict,
                        actor: str) -> InstanceResult: ...

    @abstractmethod
    def deliver_signal(self, instance, engine_task_id, *, signal_name: str, variables: dict,
                       actor: str) -> InstanceResult: ...

    @abstractmethod
    def fire_timer(self, instance, engine_task_id, *, actor: str) -> InstanceResult: ...

    @abstractmethod
    def run_continuation(self, instance, engine_task_id, *, actor: str) -> InstanceResult: ...

    @abstractmethod
    def run_jobs(self, jobs, *, actor: str) -> list[InstanceResult]:
        """fire_timer or run_continuation of each (instance, engine_task_id, timer: bool) in `jobs`,
        written together: each instance locked by the caller, appearing once, neither a parent nor a
        child of another. Any failure fails them all."""
