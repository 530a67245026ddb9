"""Table of the dashboard's document generation requests."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from documents.models import GenerationRequest
from eximee.templatetags.dashboard import state_badge
from eximee.dashboard import TABLE_ATTRS


class GenerationRequestTable(tables.Table):
    created = tables.DateTimeColumn(verbose_name="Requested", format="Y-m-d H:i:s")
    file_name = tables.Column(verbose_name="File")
    template = tables.Column(verbose_name="Template", accessor="template__code")
    business_key = tables.Column(verbose_name="Case", default="—")
    requested_by = tables.Column(verbose_name="By", default="—")
    status = tables.Column()
    document = tables.Column(verbose_name="Download", orderable=False, empty_values=())

    class Meta:
        model = GenerationRequest
        fields = ("created", "file_name", "template", "business_key", "requested_by", "status", "document")
        order_by = ("-created",)
        attrs = TABLE_ATTRS

    def render_status(self, value, record):
        badge = format_html('<span class="badge text-bg-{}" data-testid="status">{}</span>',
                            state_badge(record.status), record.status)
        if record.status == GenerationRequest.Status.FAILED and record.error:
            return format_html('{} <span class="small text-danger">{}</span>', badge, record.error[:200])
        return badge

    def render_document(self, value, record):
        if record.document_id is None or record.document.content_deleted_at:
            return "—"
        return format_html('<a href="{}" download>{} ({} KB)</a>',
                           reverse("v1:document-content", args=[record.document_id]),
                           record.document.file_name, max(1, record.document.size // 1024))
