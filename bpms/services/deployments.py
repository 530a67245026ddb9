from django.conf import settings

from bpms.engine import get_engine
from bpms.engine.interface import Resource
from eximee.errors import InvalidRequest

ACCEPTED_SUFFIXES = (".bpmn", ".bpmn20.xml", ".dmn", ".js", ".groovy", ".py", ".juel", ".txt")


def deploy(*, name, files, actor):
    """files: [(file name, bytes)]. Every process in them becomes the next version of its key."""
    errors = []
    if not name or not name.strip():
        errors.append({"pointer": "/name", "detail": "a deployment needs a name"})
    if not files:
        errors.append({"pointer": "/files", "detail": "upload at least one .bpmn file"})
    for file_name, content in files:
        if not file_name.lower().endswith(ACCEPTED_SUFFIXES):
            errors.append({"pointer": f"/files/{file_name}", "detail": "only .bpmn, .dmn and script files"})
        elif len(content) > settings.BPMS_MAX_RESOURCE_BYTES:
            errors.append({"pointer": f"/files/{file_name}",
                           "detail": f"larger than {settings.BPMS_MAX_RESOURCE_BYTES} bytes"})
    if errors:
        raise InvalidRequest("The deployment is not valid.", errors=errors)
    return get_engine().deploy(name=name.strip(), resources=[Resource(n, c) for n, c in files], actor=actor)
