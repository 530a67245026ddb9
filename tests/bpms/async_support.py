"""Helpers of the async-layer tests: instance rows without the engine (for tests of the layer's own
tables and REST), deploying and starting real models, waiting for a condition, a Celery worker that
knows the test handlers."""

import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from bpms.engine import get_engine
from bpms.engine.interface import Resource
from bpms.models import Deployment, ProcessDefinition, ProcessInstance
from tests.conftest import CeleryWorker

from . import handlers_for_tests  # noqa: F401  (registers the test handlers in this process)

MODELS = Path(__file__).parent / "models"


def instance_row(*, key="async-layer", business_key=None):
    """A process instance row with no engine state: enough for the async layer's own tables."""
    definition = ProcessDefinition.objects.filter(key=key).first()
    if definition is None:
        deployment = Deployment.objects.create(name=key)
        definition = ProcessDefinition.objects.create(key=key, version=1, deployment=deployment,
                                                      resource_name=f"{key}.bpmn", bpmn_xml="", engine_spec={})
    return ProcessInstance.objects.create(definition=definition, process_definition_key=key,
                                          business_key=business_key, started_at=timezone.now())


def deploy(*filenames):
    resources = [Resource(name, (MODELS / name).read_bytes()) for name in filenames]
    return get_engine().deploy(name="async tests", resources=resources, actor="tester")


def start(key, **kwargs):
    from bpms.services.instances import start_process_instance

    return start_process_instance(process_definition_key=key, actor="tester", **kwargs)


def wait_until(condition, timeout=30.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def start_handler_worker(*extra_args):
    return CeleryWorker(settings.DATABASES["default"]["NAME"], "--include", "tests.bpms.handlers_for_tests",
                        *extra_args).start()


@pytest.fixture
def handler_worker(transactional_db):
    from eximee.celery import app

    app.control.purge()
    worker = start_handler_worker()
    yield worker
    worker.stop()
