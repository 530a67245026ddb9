"""Tables of the dashboard's bpms lists."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from bpms.models import ProcessInstance


class ProcessInstanceTable(tables.Table):
    id = tables.Column(verbose_name="Instance", linkify=("dashboard:instance-detail", {"pk": tables.A("pk")}),
                       orderable=False)
    process_definition_key = tables.Column(verbose_name="Process")
    version = tables.Column(accessor="definition__version", verbose_name="Version")
    business_key = tables.Column(verbose_name="Business key", default="—")
    state = tables.Column()
    started_at = tables.DateTimeColumn(verbose_name="Started", format="Y-m-d H:i")
    ended_at = tables.DateTimeColumn(verbose_name="Ended", format="Y-m-d H:i", default="—")

    class Meta:
        model = ProcessInstance
        fields = ("id", "process_definition_key", "version", "business_key", "state", "started_at", "ended_at")
        order_by = ("-started_at",)
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_id(self, value):
        return str(value)[:8]

    def render_state(self, value, record):
        badges = [format_html('<span class="badge text-bg-{}">{}</span>',
                              {"active": "primary", "completed": "success"}.get(value, "secondary"), value)]
        if record.suspended:
            badges.append(mark_safe('<span class="badge text-bg-warning">suspended</span>'))
        if record.has_incident:
            badges.append(mark_safe('<span class="badge text-bg-danger">incident</span>'))
        return format_html(" ".join(["{}"] * len(badges)), *badges)
