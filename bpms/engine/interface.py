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


@dataclass(frozen=True)
class InstanceResult:
    """What an operation left behind; full views are read from the projections by id."""
    id: str
    state: str                # "active" | "completed" | "cancelled"
    active_activity_ids: tuple[str, ...] = ()


class Engine(ABC):
    """One implementation per engine kind; `bpms.engine.get_engine()` returns the configured one."""

    # deployment
    @abstractmethod
    def deploy(self, *, name: str, resources: list[Resource], actor: str) -> DeploymentResult:
        """Validate and store every process of the resources as a new version of its key.
        Raises RuleViolation listing every offending element id and why."""

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
        ...

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

    # operations of the async layer (service tasks, messages, signals, timers, jobs)
    @abstractmethod
    def complete_service_task(self, instance_id, engine_task_id, *, variables: dict,
                              actor: str) -> InstanceResult: ...

    @abstractmethod
    def throw_bpmn_error(self, instance_id, engine_task_id, *, error_code: str, error_message: str = "",
                         variables: dict | None = None, actor: str) -> InstanceResult: ...

    @abstractmethod
    def deliver_message(self, instance_id, engine_task_id, *, message_name: str, variables: dict,
                        actor: str) -> InstanceResult: ...

    @abstractmethod
    def deliver_signal(self, instance_id, engine_task_id, *, signal_name: str, variables: dict,
                       actor: str) -> InstanceResult: ...

    @abstractmethod
    def fire_timer(self, instance_id, engine_task_id, *, actor: str) -> InstanceResult: ...

    @abstractmethod
    def run_continuation(self, instance_id, engine_task_id, *, actor: str) -> InstanceResult: ...
