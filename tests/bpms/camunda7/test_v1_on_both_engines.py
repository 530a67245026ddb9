"""The /v1 scenarios of the engine issue, run on both implementations: the embedded engine, and
the camunda7 adapter fronting a live engine server (our own /engine-rest facade on a second
database, engine_server.py). The scenarios are the engine tests' own functions, imported unchanged;
only their set-up fixtures are redefined here, to deploy where the engine under test runs.
docs/engines.md lists the scenarios left out and why."""

import httpx
import pytest

from tests.bpms.engine_support import start
from tests.bpms.test_instances_api import (  # noqa: F401 (collected here)
    test_cancel_with_reason_cancels_open_tasks_and_shows_in_history_and_timeline,
    test_include_variables_costs_the_same_queries_for_one_row_or_many,
    test_list_filters_and_variable_filters, test_task_history_says_who_claimed_and_completed_and_how_long,
    test_variables_typed_put_patch_and_their_history)
from tests.bpms.test_task_actions import (  # noqa: F401
    test_delegation_goes_back_to_the_owner_on_resolve, test_list_filters_sorting_and_inline_variables,
    test_only_a_manager_assigns_others_and_the_assignee_then_sees_it)
from tests.bpms.test_user_tasks_api import (  # noqa: F401
    clients,
    test_claimed_task_is_held_and_a_second_claim_conflicts, test_completing_a_completed_task_conflicts,
    test_rejection_takes_the_default_flow, test_task_worker_sees_candidate_group_tasks_and_others_do_not)

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(api_client_for, on_engine):
    client = api_client_for("process-starter", "deployer", "operator", "task-manager", "auditor")
    on_engine.deploy(client, "loan_application.bpmn")
    return client


@pytest.fixture
def started(clients, on_engine):
    on_engine.deploy(clients["deployer"], "loan_application.bpmn")
    return start(clients["starter"], "loan-application", {"amount": {"value": 25000, "type": "Long"}},
                 businessKey="LOAN-1", businessData={"applicant": {"name": "Anna"}})


@pytest.fixture
def setup(api_client_for, on_engine):
    starter = api_client_for("process-starter", "deployer")
    on_engine.deploy(starter, "loan_application.bpmn")
    big = start(starter, "loan-application", {"amount": 20000}, businessKey="BIG")
    small = start(starter, "loan-application", {"amount": 10}, businessKey="SMALL")
    return {
        "walt": api_client_for("task-worker", username="walt"),
        "tina": api_client_for("task-worker", username="tina"),
        "manager": api_client_for("task-manager", username="mona"),
        "big": big["openTasks"][0]["id"], "small": small["openTasks"][0]["id"],
    }


def test_on_camunda7_a_v1_instance_is_the_engines_instance_under_the_same_id(api_client_for, camunda7):
    client = api_client_for("process-starter", "deployer", "operator")
    camunda7.deploy(client, "loan_application.bpmn")
    started = start(client, "loan-application", {"amount": 7}, businessKey="SAME-ID")
    server = camunda7.server
    remote = httpx.get(f"{server.url}/engine-rest/process-instance/{started['id']}", timeout=10,
                       headers={"Authorization": f"Bearer {server.token()}"})
    assert remote.status_code == 200
    assert (remote.json()["id"], remote.json()["businessKey"]) == (started["id"], "SAME-ID")
