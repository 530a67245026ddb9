"""The demo data loads, and loading it again changes nothing."""

import pytest

from bpms import demo
from bpms.models import ProcessDefinition, UserTask


@pytest.mark.django_db
def test_demo_loads_once():
    demo.load()
    demo.load()
    assert ProcessDefinition.objects.filter(key="loan-application").count() == 1
    tasks = UserTask.objects.filter(state="created").order_by("business_key")
    assert [(t.business_key, t.candidate_groups, t.priority) for t in tasks] == [
        ("LOAN-DEMO-1", ["task-worker"], 80), ("LOAN-DEMO-2", ["task-worker"], 50)]
