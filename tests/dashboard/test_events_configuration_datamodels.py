"""Events log, the read-only configuration view and data models."""

from django.urls import reverse
from django.utils import timezone

from cases.services.events import receive_event
from configuration.models import ConfigProperty
from datamodel.models import DataModel, DataModelVersion
from eximee import roles

from .factories import make_loan_case


def test_the_events_log_filters_by_outcome_and_shows_what_an_event_triggered(dashboard_client_for):
    make_loan_case("LN-1")
    receive_event(event_type="payment.received", source="bank", event_id="e-1", occurred_at=timezone.now(),
                  correlation={"caseNumber": "LN-1"}, payload={"amount": 10}, actor="bank")
    client = dashboard_client_for(roles.AUDITOR)

    listing = client.get(reverse("dashboard:event-list"), {"outcome": "unrouted"})

    [row] = listing.context["table"].rows
    detail = client.get(reverse("dashboard:event-detail", args=[row.record.pk]))
    assert detail.status_code == 200 and b"payment.received" in detail.content
    assert dashboard_client_for(roles.TASK_WORKER).get(reverse("dashboard:event-list")).status_code == 403


def test_configuration_masks_secrets_unless_the_user_may_read_them(dashboard_client_for):
    ConfigProperty.objects.create(application="loan-portal", key="api.url", value="https://example.test")
    ConfigProperty.objects.create(application="loan-portal", key="api.key", secret=True, secret_value="s3cr3t")
    url = reverse("dashboard:configuration")

    reader = dashboard_client_for(roles.CONFIG_READER).get(url, {"application": "loan-portal"}).content.decode()
    secret_reader = dashboard_client_for(roles.CONFIG_READER, roles.CONFIG_SECRET_READER).get(
        url, {"application": "loan-portal"}).content.decode()

    assert "https://example.test" in reader and "s3cr3t" not in reader
    assert "s3cr3t" in secret_reader
    assert dashboard_client_for(roles.OPERATOR).get(url).status_code == 403


def test_data_models_show_the_fields_of_a_version(dashboard_client_for):
    model = DataModel.objects.create(name="loan-application", title="Loan application")
    DataModelVersion.objects.create(model=model, version=1, published=True, schema={
        "type": "object", "required": ["amount"],
        "properties": {"amount": {"type": "integer", "title": "Amount"}}})

    response = dashboard_client_for(roles.DATAMODEL_READER).get(
        reverse("dashboard:datamodel-detail", args=["loan-application"]))

    assert response.context["fields"] == [{"path": "/amount", "type": "integer", "title": "Amount", "required": True}]
