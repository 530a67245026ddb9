"""Process definitions and starting an instance from a form; instance actions for operators."""

from django.urls import reverse

from bpms.models import ProcessInstance, ProcessVariable
from eximee import roles

from .factories import deploy_loan_review, start_loan_review


def test_definitions_list_shows_versions_and_instance_counts(dashboard_client_for):
    deploy_loan_review()
    deploy_loan_review()
    start_loan_review("LN-1")

    response = dashboard_client_for(roles.AUDITOR).get(reverse("dashboard:definition-list"))

    [row] = response.context["definitions"]
    assert (row["definition"].key, row["definition"].version, row["versions"], row["active"]) == ("loan-review", 2, 2, 1)


def test_a_process_starter_starts_an_instance_from_the_form(dashboard_client_for):
    deploy_loan_review()
    client = dashboard_client_for(roles.PROCESS_STARTER, username="anna")

    response = client.post(reverse("dashboard:definition-detail", args=["loan-review"]),
                           {"business_key": "LN-55", "variables": '{"amount": 25000}'}, follow=True)

    instance = ProcessInstance.objects.get(business_key="LN-55")
    assert instance.started_by == "anna"
    assert ProcessVariable.objects.get(process_instance=instance, name="amount").value == 25000
    assert "Started loan-review" in response.content.decode()


def test_invalid_variables_are_shown_next_to_the_field(dashboard_client_for):
    deploy_loan_review()
    client = dashboard_client_for(roles.PROCESS_STARTER)

    response = client.post(reverse("dashboard:definition-detail", args=["loan-review"]),
                           {"variables": '{"amount": {"value": "lots", "type": "Long"}}'})

    assert response.status_code == 422
    assert "/variables/amount" in response.context["form"].errors["variables"][0]
    assert not ProcessInstance.objects.exists()


def test_only_process_starters_may_start(dashboard_client_for):
    deploy_loan_review()

    response = dashboard_client_for(roles.AUDITOR).post(reverse("dashboard:definition-detail", args=["loan-review"]), {})

    assert response.status_code == 403


def test_operators_suspend_activate_and_cancel(dashboard_client_for):
    deploy_loan_review()
    instance = start_loan_review("LN-1")
    client = dashboard_client_for(roles.OPERATOR, username="olga")

    client.post(reverse("dashboard:instance-suspend", args=[instance.pk]))
    instance.refresh_from_db()
    assert instance.suspended
    client.post(reverse("dashboard:instance-activate", args=[instance.pk]))
    instance.refresh_from_db()
    assert not instance.suspended
    response = client.post(reverse("dashboard:instance-cancel", args=[instance.pk]), {"reason": "duplicate"}, follow=True)
    instance.refresh_from_db()
    assert instance.state == ProcessInstance.CANCELLED
    assert "The instance was cancelled." in response.content.decode()


def test_operators_edit_variables_as_json(dashboard_client_for):
    deploy_loan_review()
    instance = start_loan_review("LN-1", amount=100)
    client = dashboard_client_for(roles.OPERATOR)

    client.post(reverse("dashboard:instance-variable", args=[instance.pk]), {"name": "amount", "value": "2500"})
    client.post(reverse("dashboard:instance-variable", args=[instance.pk]), {"name": "note", "value": '{"a": [1]}'})
    bad = client.post(reverse("dashboard:instance-variable", args=[instance.pk]), {"name": "x", "value": "{oops"},
                      follow=True)

    values = dict(ProcessVariable.objects.filter(process_instance=instance).values_list("name", "value"))
    assert values["amount"] == 2500 and values["note"] == {"a": [1]}
    assert "x" not in values
    assert "The variable was not changed." in bad.content.decode()


def test_auditors_may_not_cancel(dashboard_client_for):
    deploy_loan_review()
    instance = start_loan_review("LN-1")

    response = dashboard_client_for(roles.AUDITOR).post(reverse("dashboard:instance-cancel", args=[instance.pk]))

    assert response.status_code == 403
