"""Every bpms model. definitions/runtime/history: the engine; jobs: the async layer."""

from .definitions import DecisionDefinition, Deployment, DeploymentResource, ProcessDefinition  # noqa: F401
from .history import ActivityInstance, VariableChange  # noqa: F401
from .runtime import ProcessInstance, ProcessVariable, UserTask  # noqa: F401
from .jobs import EventSubscription, ExternalTask, Incident, Job, PublishedMessage  # noqa: F401
