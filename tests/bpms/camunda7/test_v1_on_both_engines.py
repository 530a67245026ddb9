"""The /v1 scenarios of the engine issue, run on both implementations: the embedded engine, and
the camunda7 adapter fronting a live engine server (our own /engine-rest facade on a second
database, engine_server.py). The scenarios and their set-up fixtures are the engine tests' own,
imported unchanged; `on_engine` (used by every test here) runs each on both engines, and their
deployments go through the engine under test (/v1/deployments). docs/engines.md lists the
scenarios left out and why."""

import pytest

from bpms.engine import get_engine
from bpms.engine.camunda7.engine import Camunda7Engine
from tests.bpms.test_business_rule_tasks import (  # noqa: F401 (collected here)
    client, test_a_decision_evaluates_on_its_own_latest_or_a_given_version,
    test_a_process_and_its_decisions_deploy_together_and_decide)
from tests.bpms.test_instances_api import (  # noqa: F401 (collected here)
    operator,
    test_cancel_with_reason_cancels_open_tasks_and_shows_in_history_and_timeline,
    test_include_variables_costs_the_same_queries_for_one_row_or_many,
    test_list_filters_and_variable_filters, test_suspended_instances_refuse_work_until_activated,
    test_task_history_says_who_claimed_and_completed_and_how_long, test_variables_typed_put_patch_and_their_history)
from tests.bpms.test_task_actions import (  # noqa: F401
    setup,
    test_a_worker_cannot_see_or_touch_tasks_they_are_no_candidate_for,
    test_candidate_groups_and_follow_up_from_expressions,
    test_delegation_goes_back_to_the_owner_on_resolve, test_list_filters_sorting_and_inline_variables,
    test_only_a_manager_assigns_others_and_the_assignee_then_sees_it, test_patch_changes_due_priority_and_name)
from tests.bpms.test_user_tasks_api import (  # noqa: F401
    clients, started,
    test_claimed_task_is_held_and_a_second_claim_conflicts, test_completing_a_completed_task_conflicts,
    test_completion_is_validated_against_the_form, test_task_detail_has_form_variables_and_business_data,
    test_rejection_takes_the_default_flow, test_task_worker_sees_candidate_group_tasks_and_others_do_not)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_engine")]


def test_each_run_fronts_the_engine_it_names(on_engine):
    """The imported scenarios prove nothing about the adapter unless `on_engine` really switches
    the implementation behind /v1."""
    assert isinstance(get_engine(), Camunda7Engine) == (on_engine.kind == "camunda7")
