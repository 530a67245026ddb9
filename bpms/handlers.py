"""Registry of built-in service-task handlers: topic -> Python function run by a Celery worker.

    from bpms.handlers import BpmnError, handler

    @handler("case.set-status")
    def set_case_status(task):          # task: ServiceTaskContext
        ...
        return {"caseStatus": "approved"}   # output process variables (may be {} or None)

A handler raises BpmnError(code, message) for a business error the model catches with an error
boundary event; any other exception is a technical failure that counts down the task's retries.
Handlers get the service task's id so they can make their effect idempotent (a task may run twice
if a worker dies after the effect but before completion). Each app declares its handlers in
`<app>/handlers.py`; `autodiscover()` imports them all.
"""

from dataclasses import dataclass, field

from django.conf import settings

from eximee.discovery import app_modules

_registry = {}


@dataclass(frozen=True)
class ServiceTaskContext:
    id: str
    topic: str
    process_instance_id: str
    business_key: str | None
    activity_id: str
    variables: dict = field(default_factory=dict)
    retries: int | None = None


class BpmnError(Exception):
    def __init__(self, code, message="", variables=None):
        super().__init__(message or code)
        self.code = code
        self.message = message
        self.variables = variables or {}


def handler(topic):
    def register(func):
        if topic in _registry and _registry[topic] is not func:
            raise ValueError(f"a handler for topic '{topic}' is already registered")
        _registry[topic] = func
        return func

    return register


def get(topic):
    autodiscover()
    return _registry.get(topic) if settings.BPMS_BUILTIN_HANDLERS else None


def topics():
    autodiscover()
    return sorted(_registry) if settings.BPMS_BUILTIN_HANDLERS else []


_discovered = False


def autodiscover():
    global _discovered
    if _discovered:
        return
    for _ in app_modules("handlers"):
        pass
    _discovered = True
