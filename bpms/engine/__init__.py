"""The engine behind the BPMS API. `get_engine()` returns the implementation named by the
EXIMEE_ENGINE setting; everything above this package uses only bpms.engine.interface."""

from functools import cache
from importlib import import_module

from django.conf import settings

_IMPLEMENTATIONS = {
    "embedded": "bpms.engine.embedded.engine.EmbeddedEngine",
    "camunda7": "bpms.engine.camunda7.engine.Camunda7Engine",
}


@cache
def get_engine():
    path = _IMPLEMENTATIONS[getattr(settings, "EXIMEE_ENGINE", "embedded")]
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)()
