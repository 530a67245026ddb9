"""Loops do not degrade: the engine prunes finished parts of its task tree, so a 1,000-iteration
script loop completes (stock SpiffWorkflow stalls silently near 333) and a user-task loop's
1,000th round costs no more than twice its 10th."""

import time

import pytest

from bpms.engine import get_engine
from bpms.engine.embedded import runtime, serialization
from bpms.models import ActivityInstance, ProcessDefinition, ProcessInstance, UserTask
from bpms.services.instances import start_process_instance

from .engine_support import MODELS

pytestmark = pytest.mark.django_db


def deploy(*names):
    from bpms.engine.interface import Resource
    get_engine().deploy(name="loops", resources=[Resource(n, (MODELS / n).read_bytes()) for n in names], actor="t")


def test_a_thousand_iteration_script_loop_completes():
    deploy("script_loop.bpmn")
    instance = start_process_instance(process_definition_key="script-loop", variables={"i": 0, "n": 1000})
    assert instance.state == ProcessInstance.COMPLETED
    assert instance.variables.get(name="i").value == 1000
    assert ActivityInstance.objects.filter(process_instance=instance, activity_id="count").count() == 1000
    assert len(instance.engine_state["tasks"]) < 50


def _round_through_the_engine(engine, instance_id):
    for variables in ({"accepted": False}, {}):
        task = UserTask.objects.get(process_instance_id=instance_id, state=UserTask.CREATED)
        engine.complete_user_task(task.id, variables=variables, actor="t")


def test_a_user_task_loop_runs_past_where_stock_spiffworkflow_stalls():
    deploy("review_loop.bpmn")
    engine = get_engine()
    instance = start_process_instance(process_definition_key="review-loop", variables={"author": "ann"})
    for _ in range(260):
        _round_through_the_engine(engine, instance.id)
    task = UserTask.objects.get(process_instance_id=instance.id, state=UserTask.CREATED)
    assert task.task_definition_key == "review"
    engine.complete_user_task(task.id, variables={"accepted": True}, actor="t")
    instance.refresh_from_db()
    assert instance.state == ProcessInstance.COMPLETED
    assert UserTask.objects.filter(process_instance=instance, task_definition_key="rework",
                                   assignee="ann").count() == 260


def test_the_thousandth_round_costs_at_most_twice_the_tenth():
    """The engine's own load -> complete -> run -> prune -> store cycle, without the database
    round trips, whose noise would hide the trend."""
    deploy("review_loop.bpmn")
    definition = ProcessDefinition.objects.get(key="review-loop")
    spec, subprocess_specs = serialization.cached_spec(definition.id, lambda: definition.engine_spec)
    workflow = runtime.new_workflow(spec, subprocess_specs, {})
    workflow.task_tree.data["author"] = "ann"
    runtime.run_engine(workflow, runtime.StepLog())
    state = serialization.state_to_json(workflow)

    def one_round(state):
        began = time.perf_counter()
        for variables in ({"accepted": False}, {}):
            workflow = runtime.attach(serialization.state_from_json(state, spec, subprocess_specs), {})
            [task] = runtime.open_user_tasks(workflow)
            runtime.run_task(task, runtime.StepLog(), variables)
            runtime.run_engine(workflow, runtime.StepLog())
            runtime.prune(workflow)
            state = serialization.state_to_json(workflow)
        return state, time.perf_counter() - began

    costs = []
    for _ in range(1000):
        state, cost = one_round(state)
        costs.append(cost)
    early, late = sorted(costs[5:15])[5], sorted(costs[-10:])[5]
    assert late <= 2 * early, (early, late)
    assert len(state["tasks"]) < 20
