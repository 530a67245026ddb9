"""Django admin for administrators: every model registered, BPMN upload, bulk incident retry and
instance cancel through the same services as the API."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bpms.models import Incident, ProcessDefinition, ProcessInstance

from .factories import MODELS, deploy_loan_review, make_incident, make_instance, start_loan_review

OUR_APPS = ("eximee", "bpms", "cases", "datamodel", "configuration", "documents")
# Rows that are plumbing, not something an administrator looks at.
NOT_IN_ADMIN = {"eximee.idempotencyrecord", "eximee.outboxmessage", "bpms.deploymentresource"}


@pytest.fixture
def admin_client(django_user_model):
    user = django_user_model.objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(user)
    return client


def test_every_model_of_ours_is_in_the_admin():
    shown = set(admin.site._registry) | {inline.model for model_admin in admin.site._registry.values()
                                         for inline in model_admin.inlines}
    missing = [model._meta.label_lower for model in apps.get_models()
               if model._meta.app_label in OUR_APPS and model not in shown
               and model._meta.label_lower not in NOT_IN_ADMIN]
    assert missing == []


def test_every_changelist_opens(admin_client):
    for model in admin.site._registry:
        if model._meta.app_label in OUR_APPS:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert admin_client.get(url).status_code == 200, url


def test_upload_a_bpmn_file_deploys_it(admin_client):
    upload = SimpleUploadedFile("loan_review.bpmn", (MODELS / "loan_review.bpmn").read_bytes())

    response = admin_client.post(reverse("admin:bpms_deployment_upload"), {"name": "from admin", "files": [upload]},
                                 follow=True)

    assert ProcessDefinition.objects.filter(key="loan-review").exists()
    assert "Deployed 1 process definition(s)." in response.content.decode()


def test_an_invalid_bpmn_file_is_reported(admin_client):
    upload = SimpleUploadedFile("broken.bpmn", b"<not-bpmn/>")

    response = admin_client.post(reverse("admin:bpms_deployment_upload"), {"name": "broken", "files": [upload]})

    assert response.status_code == 200
    assert not ProcessDefinition.objects.exists()
    assert response.context["messages"]


def test_bulk_retry_of_incidents(admin_client):
    first, second = (make_incident(make_instance("loan-approval")) for _ in range(2))

    response = admin_client.post(reverse("admin:bpms_incident_changelist"),
                                 {"action": "retry", "_selected_action": [first.pk, second.pk]}, follow=True)

    assert not Incident.objects.filter(resolved_at__isnull=True).exists()
    assert "Retried 2 incident(s)." in response.content.decode()


def test_bulk_cancel_of_instances(admin_client):
    deploy_loan_review()
    one, two = start_loan_review("LN-1"), start_loan_review("LN-2")

    admin_client.post(reverse("admin:bpms_processinstance_changelist"),
                      {"action": "cancel", "_selected_action": [one.pk, two.pk]}, follow=True)

    assert set(ProcessInstance.objects.values_list("state", flat=True)) == {ProcessInstance.CANCELLED}
