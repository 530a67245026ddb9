"""Administrators write templates here: edit drafts (with their assets), preview them with the
sample data, publish them (then they are read-only) and start the next version from any version."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from eximee.errors import DomainError

from . import rendering, services
from .models import Document, DocumentTemplate, GenerationRequest, TemplateAsset


class TemplateAssetInline(admin.TabularInline):
    model = TemplateAsset
    extra = 0
    fields = ["path", "file", "content_type"]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_published)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_published)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)


def _field_of(pointer):
    """The form field a problem pointer such as "/sampleData/amount" belongs to."""
    head = pointer.strip("/").split("/", 1)[0]
    return {"body": "body", "docxFile": "docx_file", "sampleData": "sample_data",
            "dataModelName": "data_model_name"}.get(head)


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "name", "output_format", "status", "data_model_name", "published_at",
                    "preview_link"]
    list_filter = ["status", "output_format"]
    search_fields = ["code", "name"]
    inlines = [TemplateAssetInline]
    actions = ["publish", "new_version"]
    fieldsets = [
        (None, {"fields": ["code", "name", "output_format", "status", "version"]}),
        ("Data", {"fields": ["data_model_name", "data_model_version", "sample_data"]}),
        ("PDF (HTML + CSS)", {"fields": ["body", "stylesheet"]}),
        ("DOCX", {"fields": ["docx_file"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.is_published:
            return [field.name for field in obj._meta.fields]
        return ["status", "version", "code"] if obj else ["status", "version"]

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class CheckedForm(form):
            def _post_clean(self):
                super()._post_clean()
                for problem in services.template_problems(self.instance):
                    field = _field_of(problem["pointer"])
                    self.add_error(field if field in self.fields else None,
                                   ValidationError(f"{problem['pointer']}: {problem['detail']}"))

        return CheckedForm

    def save_model(self, request, obj, form, change):
        services.save_draft(obj, actor=request.user.get_username())

    @admin.display(description="Preview")
    def preview_link(self, obj):
        return format_html('<a href="{}" target="_blank">sample data</a>',
                           reverse("admin:documents_documenttemplate_preview", args=[obj.pk]))

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<uuid:template_id>/preview/", preview, name="documents_documenttemplate_preview"),
                *super().get_urls()]

    def preview_view(self, request, template_id):
        template = get_object_or_404(DocumentTemplate, pk=template_id)
        if not self.has_view_permission(request, template):
            return HttpResponse(status=403)
        try:
            rendered = rendering.render(template, template.sample_data)
        except rendering.RenderError as exc:
            self.message_user(request, f"Preview of {template} failed: {exc}", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:documents_documenttemplate_change", args=[template.pk]))
        response = HttpResponse(rendered.content, content_type=rendered.content_type)
        disposition = "inline" if rendered.extension == "pdf" else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{template.code}-preview.{rendered.extension}"'
        return response

    @admin.action(description="Publish the selected drafts")
    def publish(self, request, queryset):
        for template in queryset:
            try:
                services.publish_template(template.pk, actor=request.user.get_username())
            except DomainError as exc:
                details = "; ".join(f"{e['pointer']}: {e['detail']}" for e in exc.errors)
                self.message_user(request, f"{template}: {exc.detail} {details}", messages.ERROR)
            else:
                self.message_user(request, f"Published {template.code} v{template.version}.", messages.SUCCESS)

    @admin.action(description="Create a new draft version from the selected")
    def new_version(self, request, queryset):
        for template in queryset:
            draft = services.new_draft_version(template.pk, actor=request.user.get_username())
            self.message_user(request, f"Created draft {draft.code} v{draft.version}.", messages.SUCCESS)


class RecordAdmin(admin.ModelAdmin):
    """Requests and documents are records of what happened: viewed here, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GenerationRequest)
class GenerationRequestAdmin(RecordAdmin):
    list_display = ["id", "template", "status", "file_name", "business_key", "attempts", "created", "finished_at"]
    list_filter = ["status", "output_format", "source"]
    search_fields = ["id", "business_key", "file_name", "template__code"]
    list_select_related = ["template"]


@admin.register(Document)
class DocumentAdmin(RecordAdmin):
    list_display = ["file_name", "template", "business_key", "size", "page_count", "created", "retain_until"]
    search_fields = ["id", "business_key", "file_name", "sha256"]
    list_select_related = ["template"]
