"""Camunda 7 job definitions of our deployed models: one per element that makes jobs — a timer event
or an async continuation (camunda:asyncBefore / async, camunda:asyncAfter).

The facade has no table of them: they follow from the model (definitions never change), and their
ids are derived (uuid5 of definition, element and what kind of job), so a job row names its
definition without a lookup and the list answers the same id for it.
"""

import uuid
from dataclasses import dataclass
from functools import lru_cache

from bpms.engine.embedded.bpmn_xml import B, C, BpmnXmlError, local, parse

_NAMESPACE = uuid.UUID("0b6e2f4c-8d61-4a4e-9f57-3c1e5a7d2b90")
ASYNC_BEFORE, ASYNC_AFTER = "async-before", "async-after"
TIMER = "timer"
# Camunda's job handler types (its jobType), by where the timer event is.
TIMER_START = "timer-start-event"
TIMER_START_EVENT_SUBPROCESS = "timer-start-event-subprocess"
TIMER_INTERMEDIATE = "timer-intermediate-transition"
TIMER_BOUNDARY = "timer-transition"
ASYNC_CONTINUATION = "async-continuation"
# Camunda's timer configuration names the timer's kind before its text: "DURATION: PT5M".
_TIMER_KINDS = {"timeDate": "DATE", "timeDuration": "DURATION", "timeCycle": "CYCLE"}


@dataclass(frozen=True)
class JobDefinition:
    id: str
    process_definition_id: str
    process_definition_key: str
    deployment_id: str
    activity_id: str
    job_type: str
    job_configuration: str


def definition_id_of(process_definition_id, activity_id, job_kind):
    """job_kind: TIMER (an element has at most one timer), ASYNC_BEFORE or ASYNC_AFTER."""
    return str(uuid.uuid5(_NAMESPACE, f"{process_definition_id}/{activity_id}/{job_kind}"))


def definition_id_of_job(job):
    """The job definition of one of our Job rows."""
    kind = f"async-{job.kind}" if job.type == job.CONTINUATION else TIMER
    return definition_id_of(job.process_definition_id, job.activity_id, kind)


def of_definition(definition):
    return list(_read(str(definition.id), definition.key, str(definition.deployment_id), definition.bpmn_xml))


@lru_cache(maxsize=512)
def _read(definition_id, key, deployment_id, bpmn_xml):
    try:
        root = parse(bpmn_xml.encode())
    except BpmnXmlError:
        return ()
    process = root.find(f"{B}process[@id='{key}']")
    if process is None:
        return ()

    def made(activity_id, job_kind, job_type, configuration):
        return JobDefinition(definition_id_of(definition_id, activity_id, job_kind), definition_id, key, deployment_id,
                             activity_id, job_type, configuration)

    found = []
    for element in process.iter():
        activity_id = element.get("id")
        if not activity_id or not isinstance(element.tag, str):
            continue
        timer = element.find(f"{B}timerEventDefinition")
        if timer is not None:
            found.append(made(activity_id, TIMER, _timer_type(element, process), _timer_configuration(timer)))
        if element.get(f"{C}asyncBefore") == "true" or element.get(f"{C}async") == "true":
            found.append(made(activity_id, ASYNC_BEFORE, ASYNC_CONTINUATION, ASYNC_BEFORE))
        if element.get(f"{C}asyncAfter") == "true":
            found.append(made(activity_id, ASYNC_AFTER, ASYNC_CONTINUATION, ASYNC_AFTER))
    return tuple(found)


def _timer_type(element, process):
    tag = local(element.tag)
    if tag == "boundaryEvent":
        return TIMER_BOUNDARY
    if tag == "startEvent":
        return TIMER_START if element.getparent() is process else TIMER_START_EVENT_SUBPROCESS
    return TIMER_INTERMEDIATE


def _timer_configuration(timer):
    for child in timer:
        kind = _TIMER_KINDS.get(local(child.tag))
        if kind:
            return f"{kind}: {(child.text or '').strip()}"
    return ""
