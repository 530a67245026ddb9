from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from eximee.admin import ReadOnlyAdmin
from eximee.dashboard import describe_error
from eximee.errors import DomainError

from .engine import get_engine
from .models import (ActivityInstance, DecisionDefinition, Deployment, EventSubscription, ExternalTask, Incident, Job,
                     ProcessDefinition, ProcessInstance, ProcessVariable, PublishedMessage, UserTask, VariableChange)
from .services import deployments, instances


@admin.register(Deployment)
class DeploymentAdmin(ReadOnlyAdmin):
    list_display = ("name", "deployed_by", "deployed_at")
    search_fields = ("name",)
    change_list_template = "admin/bpms/deployment/change_list.html"

    def get_urls(self):
        upload = self.admin_site.admin_view(lambda request: upload_view(self, request))
        return [path("upload/", upload, name="bpms_deployment_upload"), *super().get_urls()]


@admin.register(ProcessDefinition)
class ProcessDefinitionAdmin(ReadOnlyAdmin):
    list_display = ("key", "version", "name", "data_model", "created_at")
    search_fields = ("key", "name")
    exclude = ("engine_spec",)


@admin.register(DecisionDefinition)
class DecisionDefinitionAdmin(ReadOnlyAdmin):
    list_display = ("key", "version", "name", "version_tag", "resource_name", "created_at")
    search_fields = ("key", "name")
    exclude = ("decisions",)


@admin.register(ProcessInstance)
class ProcessInstanceAdmin(ReadOnlyAdmin):
    list_display = ("id", "process_definition_key", "business_key", "state", "suspended", "started_at", "ended_at")
    list_filter = ("state", "suspended", "process_definition_key")
    search_fields = ("business_key", "id")
    exclude = ("engine_state",)
    actions = ["cancel"]

    @admin.action(description="Cancel the selected instances")
    def cancel(self, request, queryset):
        done, failed = 0, []
        for instance in queryset.filter(state=ProcessInstance.ACTIVE):
            try:
                instances.cancel(instance.pk, reason=f"Cancelled in the admin by {request.user.get_username()}",
                                 actor=request.user.get_username())
                done += 1
            except DomainError as exc:
                failed.append(f"{instance.pk}: {exc.detail}")
        report_bulk(self, request, f"Cancelled {done} instance(s).", "Not cancelled", failed)


@admin.register(UserTask)
class UserTaskAdmin(ReadOnlyAdmin):
    list_display = ("name", "task_definition_key", "business_key", "state", "assignee", "priority", "created_at")
    list_filter = ("state", "process_definition_key")
    search_fields = ("business_key", "assignee", "name")


@admin.register(ActivityInstance)
class ActivityInstanceAdmin(ReadOnlyAdmin):
    list_display = ("activity_id", "activity_type", "process_instance", "started_at", "ended_at", "canceled")
    search_fields = ("activity_id",)


@admin.register(VariableChange)
class VariableChangeAdmin(ReadOnlyAdmin):
    list_display = ("name", "change", "process_instance", "actor", "changed_at")
    search_fields = ("name",)


# --- Operations from the admin: the same services as the API and the dashboard ------------------------
def report_bulk(model_admin, request, summary, failure_label, failures):
    text = summary + (f" {failure_label}: " + "; ".join(failures) if failures else "")
    model_admin.message_user(request, text, messages.WARNING if failures else messages.SUCCESS)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        return [super(MultipleFileField, self).clean(item, initial) for item in (data or [])] or \
            super().clean(None, initial)


class DeploymentUploadForm(forms.Form):
    name = forms.CharField(max_length=200)
    files = MultipleFileField(widget=MultipleFileInput(attrs={"accept": ".bpmn,.xml,.dmn"}),
                              help_text="One or more .bpmn files (Camunda Modeler 7 models work as drawn).")


def upload_view(model_admin, request):
    """Deploys uploaded BPMN files through bpms.services.deployments.deploy."""
    form = DeploymentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
        try:
            result = deployments.deploy(name=form.cleaned_data["name"], files=files, actor=request.user.get_username())
        except DomainError as exc:
            model_admin.message_user(request, describe_error(exc), messages.ERROR)
        else:
            model_admin.message_user(request, f"Deployed {len(result.definitions)} process definition(s).",
                                     messages.SUCCESS)
            return redirect("admin:bpms_processdefinition_changelist")
    context = {**model_admin.admin_site.each_context(request), "form": form, "opts": model_admin.model._meta,
               "title": "Upload BPMN"}
    return TemplateResponse(request, "admin/bpms/deployment/upload.html", context)


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "process_definition_key", "activity_id", "type", "message", "resolved_at",
                    "resolution")
    list_filter = ("type", "resolution", "process_definition_key", ("created_at", admin.DateFieldListFilter))
    search_fields = ("message", "business_key", "activity_id", "process_instance__id")
    actions = ["retry"]

    @admin.action(description="Retry the selected incidents")
    def retry(self, request, queryset):
        done, failed = 0, []
        for incident in queryset.filter(resolved_at__isnull=True):
            try:
                get_engine().retry_incident(incident.pk, retries=1, actor=request.user.get_username())
                done += 1
            except DomainError as exc:
                failed.append(f"{incident.pk}: {exc.detail}")
        report_bulk(self, request, f"Retried {done} incident(s).", "Not retried", failed)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExternalTask)
class ExternalTaskAdmin(ReadOnlyAdmin):
    list_display = ("activity_id", "topic", "process_definition_key", "business_key", "retries", "worker_id",
                    "lock_expires_at", "created_at")
    list_filter = ("topic", "builtin")
    search_fields = ("topic", "business_key", "activity_id", "worker_id")


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("id", "type", "activity_id", "process_definition_key", "due_at", "retries")
    list_filter = ("type",)
    search_fields = ("activity_id", "process_definition_key")


@admin.register(EventSubscription)
class EventSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("event_type", "event_name", "activity_id", "business_key", "created_at")
    list_filter = ("event_type",)
    search_fields = ("event_name", "business_key", "activity_id")


@admin.register(PublishedMessage)
class PublishedMessageAdmin(ReadOnlyAdmin):
    list_display = ("message_name", "business_key", "state", "expires_at", "created_at")
    list_filter = ("state",)
    search_fields = ("message_name", "business_key", "message_id")


@admin.register(ProcessVariable)
class ProcessVariableAdmin(ReadOnlyAdmin):
    list_display = ("name", "type", "process_instance")
    search_fields = ("name", "process_instance__id", "process_instance__business_key")
