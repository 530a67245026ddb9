"""Tasks: views (mine, my groups', all) with counts, filters, the form generated from formData with
the engine's validation errors inline, claim, unclaim, assign, complete."""

from django.urls import reverse

from bpms.models import ProcessInstance, UserTask
from bpms.services import tasks as task_services
from eximee import roles

from .conftest import htmx_get
from .factories import start_loan_review


def open_task(business_key, key="check"):
    return UserTask.objects.get(business_key=business_key, task_definition_key=key, state=UserTask.CREATED)


def test_a_worker_sees_their_groups_tasks_with_a_count_per_view(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    start_loan_review("LN-2")
    client = dashboard_client_for(roles.TASK_WORKER, username="anna")

    response = client.get(reverse("dashboard:task-list"), {"view": "groups"})

    tabs = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs == {"mine": 0, "groups": 2}  # no "all" view without task-manager
    assert {row.record.business_key for row in response.context["table"].rows} == {"LN-1", "LN-2"}


def test_a_worker_does_not_see_tasks_of_other_groups(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    client = dashboard_client_for(roles.OPERATOR, username="olga")  # sees all, but is no candidate

    response = client.get(reverse("dashboard:task-list"), {"view": "groups"})

    assert list(response.context["table"].rows) == []
    assert {tab["key"]: tab["count"] for tab in response.context["tabs"]}["all"] == 1


def test_filters_by_business_key_and_counts_follow_the_filter(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    start_loan_review("LN-2")
    client = dashboard_client_for(roles.TASK_MANAGER, username="tomasz")

    response = htmx_get(client, reverse("dashboard:task-list"), view="all", business_key="LN-2")

    assert [row.record.business_key for row in response.context["table"].rows] == ["LN-2"]
    assert {tab["key"]: tab["count"] for tab in response.context["tabs"]}["all"] == 1
    assert response.content.decode().lstrip().startswith('<div id="results"')


def test_filters_by_due_state_and_candidate_group(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    client = dashboard_client_for(roles.TASK_MANAGER)

    no_due = client.get(reverse("dashboard:task-list"), {"view": "all", "due": "none", "candidate_group": "task-worker"})
    overdue = client.get(reverse("dashboard:task-list"), {"view": "all", "due": "overdue"})

    assert len(list(no_due.context["table"].rows)) == 1
    assert list(overdue.context["table"].rows) == []


def test_the_form_is_generated_from_form_data(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    task = open_task("LN-1")
    client = dashboard_client_for(roles.TASK_WORKER, username="anna")

    page = client.get(reverse("dashboard:task-detail", args=[task.pk])).content.decode()

    assert '<select name="decision"' in page and '<option value="approve">Approve</option>' in page
    assert 'type="number" name="approvedAmount"' in page and 'max="50000"' in page
    assert '<label class="form-label small mb-1" for="id_comment">Comment' in page


def test_claim_then_complete_through_the_form(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    task = open_task("LN-1")
    client = dashboard_client_for(roles.TASK_WORKER, username="anna")

    claimed = client.post(reverse("dashboard:task-claim", args=[task.pk]), follow=True)
    assert "You claimed the task" in claimed.content.decode()
    task.refresh_from_db()
    assert task.assignee == "anna"

    done = client.post(reverse("dashboard:task-detail", args=[task.pk]),
                       {"decision": "approve", "approvedAmount": "20000"}, follow=True)
    assert "Task “Check application” completed." in done.content.decode()
    task.refresh_from_db()
    assert task.state == UserTask.COMPLETED
    assert open_task("LN-1", key="signOff")


def test_completing_the_last_task_through_the_form_ends_the_instance(loan_review, dashboard_client_for):
    instance = start_loan_review("LN-1")
    anna = dashboard_client_for(roles.TASK_WORKER, username="anna")
    task_services.complete(anna.user, open_task("LN-1").pk, variables={"decision": "approve"})
    sign_off = open_task("LN-1", key="signOff")
    tomasz = dashboard_client_for(roles.TASK_MANAGER, username="tomasz")

    tomasz.post(reverse("dashboard:task-claim", args=[sign_off.pk]))
    done = tomasz.post(reverse("dashboard:task-detail", args=[sign_off.pk]), {}, follow=True)

    assert "Task “Sign off decision” completed." in done.content.decode()
    sign_off.refresh_from_db()
    instance.refresh_from_db()
    assert (sign_off.state, sign_off.assignee) == (UserTask.COMPLETED, "tomasz")
    assert instance.state == ProcessInstance.COMPLETED


def test_an_invalid_value_shows_the_engines_error_inline_and_the_task_stays_open(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    task = open_task("LN-1")
    client = dashboard_client_for(roles.TASK_WORKER, username="anna")

    invalid = client.post(reverse("dashboard:task-detail", args=[task.pk]),
                          {"decision": "approve", "approvedAmount": "90000"})

    assert invalid.status_code == 422
    assert invalid.context["form"].errors == {"approvedAmount": ["must be at most 50000"]}
    assert 'id="id_approvedAmount_error">must be at most 50000' in invalid.content.decode()
    assert open_task("LN-1").pk == task.pk


def test_a_missing_required_value_is_reported_next_to_its_field(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    task = open_task("LN-1")
    client = dashboard_client_for(roles.TASK_WORKER, username="anna")

    response = client.post(reverse("dashboard:task-detail", args=[task.pk]), {"comment": "no decision"})

    assert response.context["form"].errors == {"decision": ["is required"]}


def test_a_worker_may_not_unclaim_someone_elses_task(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    task = open_task("LN-1")
    dashboard_client_for(roles.TASK_WORKER, username="anna").post(reverse("dashboard:task-claim", args=[task.pk]))
    bob = dashboard_client_for(roles.TASK_WORKER, username="bob")

    response = bob.post(reverse("dashboard:task-unclaim", args=[task.pk]), follow=True)

    assert "assigned to anna" in response.content.decode()
    task.refresh_from_db()
    assert task.assignee == "anna"


def test_a_manager_assigns_a_task(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    task = open_task("LN-1")
    client = dashboard_client_for(roles.TASK_MANAGER, username="tomasz")

    response = client.post(reverse("dashboard:task-assign", args=[task.pk]), {"user_id": "anna"}, follow=True)

    assert "assigned to anna" in response.content.decode()
    task.refresh_from_db()
    assert task.assignee == "anna"


def test_auditors_read_tasks_but_cannot_act(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    task = open_task("LN-1")
    client = dashboard_client_for(roles.AUDITOR)

    assert client.get(reverse("dashboard:task-detail", args=[task.pk])).status_code == 200
    assert client.post(reverse("dashboard:task-claim", args=[task.pk])).status_code == 403


def test_the_overview_counts_open_tasks_by_group_and_due_state(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    start_loan_review("LN-2")
    client = dashboard_client_for(roles.TASK_WORKER, username="anna")

    context = client.get(reverse("dashboard:overview")).context

    assert [(bar.label, bar.value) for bar in context["tasks_by_group"]["bars"]] == [("task-worker", 2)]
    due = {bar.label: bar.value for bar in context["tasks_by_due"]["bars"]}
    assert due == {"overdue": 0, "due today": 0, "due later": 0, "no due date": 2}
    assert "view=groups" in context["tasks_by_group"]["bars"][0].url


def test_delegate_then_resolve_returns_the_task_with_the_delegates_values(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    task = open_task("LN-1")
    anna = dashboard_client_for(roles.TASK_WORKER, username="anna")
    anna.post(reverse("dashboard:task-claim", args=[task.pk]))
    assert 'action="/tasks/%s/delegate/"' % task.pk in anna.get(reverse("dashboard:task-detail", args=[task.pk])).content.decode()

    delegated = anna.post(reverse("dashboard:task-delegate", args=[task.pk]), {"delegate-user_id": "bob"}, follow=True)

    assert delegated.redirect_chain[-1][0] == reverse("dashboard:task-list")
    assert "delegated to bob; it comes back to anna once resolved" in delegated.content.decode()
    task.refresh_from_db()
    assert (task.assignee, task.owner, task.delegation_state) == ("bob", "anna", "pending")

    bob = dashboard_client_for(roles.TASK_WORKER, username="bob")
    page = bob.get(reverse("dashboard:task-detail", args=[task.pk])).content.decode()
    assert f'formaction="/tasks/{task.pk}/resolve/">Resolve</button>' in page
    assert ">Complete</button>" not in page and 'data-testid="owner">anna' in page

    resolved = bob.post(reverse("dashboard:task-resolve", args=[task.pk]),
                        {"decision": "approve", "approvedAmount": "20000", "comment": "looks fine"}, follow=True)

    assert "resolved and returned to anna" in resolved.content.decode()
    task.refresh_from_db()
    assert (task.assignee, task.delegation_state, task.state) == ("anna", "resolved", UserTask.CREATED)
    assert ">Complete</button>" in anna.get(reverse("dashboard:task-detail", args=[task.pk])).content.decode()
    done = anna.post(reverse("dashboard:task-detail", args=[task.pk]), {"decision": "approve", "approvedAmount": "20000"})
    assert done.status_code == 302 and open_task("LN-1", key="signOff")


def test_a_worker_may_not_delegate_someone_elses_task_and_stays_on_it(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    task = open_task("LN-1")
    dashboard_client_for(roles.TASK_WORKER, username="anna").post(reverse("dashboard:task-claim", args=[task.pk]))
    bob = dashboard_client_for(roles.TASK_WORKER, username="bob")
    assert not bob.get(reverse("dashboard:task-detail", args=[task.pk])).context["may_delegate"]

    response = bob.post(reverse("dashboard:task-delegate", args=[task.pk]), {"delegate-user_id": "bob"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("dashboard:task-detail", args=[task.pk])
    assert "assigned to anna" in response.content.decode()
    task.refresh_from_db()
    assert (task.assignee, task.delegation_state) == ("anna", None)


def test_resolving_a_task_that_is_not_delegated_says_so(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    task = open_task("LN-1")
    anna = dashboard_client_for(roles.TASK_WORKER, username="anna")

    response = anna.post(reverse("dashboard:task-resolve", args=[task.pk]), {"decision": "approve"}, follow=True)

    assert f"Task {task.pk} is not delegated." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("dashboard:task-detail", args=[task.pk])


def test_delegating_needs_a_user_name_and_a_worker_role(loan_review, dashboard_client_for):
    start_loan_review("LN-1")
    task = open_task("LN-1")
    anna = dashboard_client_for(roles.TASK_WORKER, username="anna")

    empty = anna.post(reverse("dashboard:task-delegate", args=[task.pk]), {"delegate-user_id": ""}, follow=True)

    assert "Enter the user name to delegate the task to." in empty.content.decode()
    assert dashboard_client_for(roles.AUDITOR).post(reverse("dashboard:task-delegate", args=[task.pk]),
                                                    {"delegate-user_id": "x"}).status_code == 403
    task.refresh_from_db()
    assert task.delegation_state is None
