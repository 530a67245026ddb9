"""The dashboard's scenarios, run on both implementations: the embedded engine, and the camunda7
adapter fronting a live engine server (conftest.py). The scenarios and their set-up are the
dashboard tests' own, imported unchanged; `on_engine` (used by every test here) runs each on both
engines, and their deployments, instances, service-task failures and retries go through the
configured engine (tests/dashboard/factories.py).

Left out on camunda7, with the reason (docs/engines.md): the definitions list's version numbers
(test_definitions_list_shows_versions_and_instance_counts: the engine server is shared by the test
session, so it numbers a model's versions after other tests' deployments of the same key)."""

import uuid

import httpx
import pytest
from django.urls import reverse

from bpms.engine import get_engine
from bpms.engine.camunda7.engine import Camunda7Engine
from bpms.models import ProcessInstance
from eximee import roles
from tests.dashboard.conftest import dashboard_client_for, loan_review  # noqa: F401 (fixtures)
from tests.dashboard.factories import deploy_loan_review
from tests.dashboard.test_incidents import (  # noqa: F401 (collected here)
    test_annotation_is_saved, test_auditors_may_not_retry, test_bulk_retry_counts_what_succeeded,
    test_detail_shows_the_error_details, test_filters_open_incidents_of_one_process,
    test_operators_and_auditors_may_read_task_workers_may_not, test_retry_resolves_the_incident_and_says_so,
    test_retrying_a_resolved_incident_shows_the_services_reason)
from tests.dashboard.test_instance_detail import (  # noqa: F401
    test_open_incidents_are_marked_on_their_activity, test_tabs_show_variables_and_the_timeline,
    test_task_workers_may_not_open_it, test_the_diagram_marks_completed_and_active_activities)
from tests.dashboard.test_instance_list import (  # noqa: F401
    test_an_htmx_request_gets_only_the_results, test_an_invalid_filter_value_is_shown_next_to_the_field,
    test_filters_by_process_state_and_incident, test_instance_readers_may_open_it_task_workers_may_not,
    test_no_match_shows_an_empty_state)
from tests.dashboard.test_processes import (  # noqa: F401
    test_a_process_starter_starts_an_instance_from_the_form, test_auditors_may_not_cancel,
    test_invalid_variables_are_shown_next_to_the_field, test_only_process_starters_may_start,
    test_operators_edit_variables_as_json, test_operators_suspend_activate_and_cancel)
from tests.dashboard.test_tasks import (  # noqa: F401
    test_a_manager_assigns_a_task, test_a_worker_does_not_see_tasks_of_other_groups,
    test_a_worker_may_not_delegate_someone_elses_task_and_stays_on_it,
    test_a_worker_may_not_unclaim_someone_elses_task, test_a_worker_sees_their_groups_tasks_with_a_count_per_view,
    test_a_missing_required_value_is_reported_next_to_its_field,
    test_an_invalid_value_shows_the_engines_error_inline_and_the_task_stays_open,
    test_auditors_read_tasks_but_cannot_act, test_claim_then_complete_through_the_form,
    test_completing_the_last_task_through_the_form_ends_the_instance,
    test_delegate_then_resolve_returns_the_task_with_the_delegates_values,
    test_delegating_needs_a_user_name_and_a_worker_role,
    test_filters_by_business_key_and_counts_follow_the_filter, test_filters_by_due_state_and_candidate_group,
    test_resolving_a_task_that_is_not_delegated_says_so, test_the_form_is_generated_from_form_data,
    test_the_overview_counts_open_tasks_by_group_and_due_state)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_engine")]


def test_the_dashboard_acts_through_the_engine_it_names(on_engine, dashboard_client_for):
    """The imported scenarios prove nothing about the adapter unless the dashboard's actions really
    go through the engine behind it: on camunda7 an instance started from the form is the engine
    server's."""
    assert isinstance(get_engine(), Camunda7Engine) == (on_engine.kind == "camunda7")
    deploy_loan_review()
    business_key = f"LN-{uuid.uuid4().hex[:12]}"   # the engine server is shared by the test session

    dashboard_client_for(roles.PROCESS_STARTER).post(reverse("dashboard:definition-detail", args=["loan-review"]),
                                                     {"business_key": business_key, "variables": "{}"})

    instance = ProcessInstance.objects.get(business_key=business_key)
    if on_engine.kind == "camunda7":
        answer = httpx.get(f"{on_engine.server.url}/engine-rest/process-instance/{instance.id}",
                           headers={"Authorization": f"Bearer {on_engine.server.token()}"})
        assert (answer.status_code, answer.json()["businessKey"]) == (200, business_key)
