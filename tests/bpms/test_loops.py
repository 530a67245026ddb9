"""Loops do not degrade: the engine prunes finished parts of its task tree, so a 1,000-iteration
script loop completes (stock SpiffWorkflow stalls silently near 333) and a user-task loop's
1,000th round carries and walks no more tasks than its 10th. (What a round costs in time is
measured by `python manage.py bench engine`: wall-clock ratios flake in a test on a busy machine.)"""

import json

import pytest
from SpiffWorkflow.bpmn.util.task import BpmnTaskIterator
from SpiffWorkflow.util.task import TaskIterator

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


@pytest.fixture
def tasks_walked(monkeypatch):
    """How many steps SpiffWorkflow's task-tree iterators take: every walk of the tree (finding
    ready tasks, open user tasks, joins) goes through them, so an unpruned tree shows up here."""
    walked = {"steps": 0}

    def counting(step):
        def _next(iterator):
            walked["steps"] += 1
            return step(iterator)
        return _next

    for iterator_class in (TaskIterator, BpmnTaskIterator):
        monkeypatch.setattr(iterator_class, "_next", counting(iterator_class._next))
    return walked


def test_the_thousandth_round_carries_and_walks_no_more_tasks_than_the_tenth(tasks_walked):
    """The engine's own load -> complete -> run -> prune -> store cycle, without the database:
    the stored state and the task-tree walks of a round must not grow with the rounds before it."""
    deploy("review_loop.bpmn")
    definition = ProcessDefinition.objects.get(key="review-loop")
    spec, subprocess_specs = serialization.cached_spec(definition.id, lambda: definition.engine_spec)
    workflow = runtime.new_workflow(spec, subprocess_specs, {})
    workflow.task_tree.data["author"] = "ann"
    runtime.run_engine(workflow, runtime.StepLog())
    state = serialization.state_to_json(workflow)

    def one_round(state):
        walked_before = tasks_walked["steps"]
        for variables in ({"accepted": False}, {}):
            workflow = runtime.attach(serialization.state_from_json(state, spec, subprocess_specs), {})
            [task] = runtime.open_user_tasks(workflow)
            runtime.run_task(task, runtime.StepLog(), variables)
            runtime.run_engine(workflow, runtime.StepLog())
            runtime.prune(workflow)
            state = serialization.state_to_json(workflow)
        return state, {"tasks stored": len(state["tasks"]), "state bytes": len(json.dumps(state)),
                       "tasks walked": tasks_walked["steps"] - walked_before}

    rounds = []
    for _ in range(1000):
        state, measures = one_round(state)
        rounds.append(measures)
    tenth, thousandth = rounds[9], rounds[-1]
    assert tenth["tasks walked"] > 0
    assert thousandth["tasks stored"] <= tenth["tasks stored"] < 20, (tenth, thousandth)
    assert thousandth["tasks walked"] <= tenth["tasks walked"], (tenth, thousandth)
    # The state holds float timestamps whose printed length varies by a digit or two.
    assert thousandth["state bytes"] <= 1.05 * tenth["state bytes"], (tenth, thousandth)
