"""A compiled update (eximee.compiled) writes what queryset.update() writes, one row or several in
one go."""

import pytest
from django.utils import timezone

from bpms.models import ProcessInstance
from eximee.compiled import CompiledUpdate
from tests.bpms.engine_support import deploy, start

pytestmark = pytest.mark.django_db

FIELDS = ("state", "ended_at", "active_activity_ids", "engine_state", "end_reason")


def test_it_writes_what_queryset_update_writes(api_client_for):
    client = api_client_for("deployer", "process-starter")
    deploy(client, "gateways.bpmn")
    ids = [start(client, "gateways", {"amount": amount, "reviewer": "rita"})["id"] for amount in (10, 20, 30, 40)]
    by_orm, *compiled = ProcessInstance.objects.filter(id__in=ids).order_by("started_at")
    changes = {"state": ProcessInstance.CANCELLED, "ended_at": timezone.now(), "active_activity_ids": ["a", "b"],
               "engine_state": {"data": {"x": [1, "two", None]}, "nested": {"ok": True}}, "end_reason": "because"}

    ProcessInstance.objects.filter(id=by_orm.id).update(**changes)
    for row in compiled:
        for name, value in changes.items():
            setattr(row, name, value)
    update = CompiledUpdate(ProcessInstance, *FIELDS)
    update.run(compiled[:1])
    update.run(compiled[1:])

    expected = ProcessInstance.objects.values(*FIELDS).get(id=by_orm.id)
    assert expected["engine_state"] == changes["engine_state"]
    for row in compiled:
        assert ProcessInstance.objects.values(*FIELDS).get(id=row.id) == expected
