"""Tables of the dashboard's bpms lists."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.safestring import mark_safe

from bpms.models import Incident, ProcessInstance, UserTask
from eximee.dashboard import TABLE_ATTRS


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
        attrs = TABLE_ATTRS

    def render_id(self, value):
        return str(value)[:8]

    def render_state(self, value, record):
        badges = [format_html('<span class="badge text-bg-{}">{}</span>',
                              {"active": "primary", "completed": "success"}.get(value, "secondary"), value)]
        if record.suspended:
            badges.append(mark_safe('<span class="badge text-bg-warning">suspended</span>'))
        if record.has_incident:
            badges.append(format_html('<a class="badge text-bg-danger" href="{}?process_instance={}&amp;open=true">'
                                      'incident</a>', reverse("dashboard:incident-list"), record.pk))
        return format_html(" ".join(["{}"] * len(badges)), *badges)


class IncidentTable(tables.Table):
    selected = tables.CheckBoxColumn(accessor="pk", attrs={
        "th__input": {"data-select-all": "incident", "aria-label": "Select all open incidents on this page"},
        "td__input": {"name": "incident", "aria-label": "Select"}}, orderable=False)
    created_at = tables.DateTimeColumn(verbose_name="Created", format="Y-m-d H:i")
    process_definition_key = tables.Column(verbose_name="Process")
    activity_id = tables.Column(verbose_name="Activity")
    type = tables.Column()
    message = tables.Column(verbose_name="Error", linkify=("dashboard:incident-detail", {"pk": tables.A("pk")}))
    process_instance = tables.Column(verbose_name="Instance", orderable=False,
                                     linkify=lambda record: reverse("dashboard:instance-detail",
                                                                    args=[record.process_instance_id])
                                     if record.process_instance_id else None)
    resolved_at = tables.Column(verbose_name="State", default=mark_safe('<span class="badge text-bg-danger">open</span>'))

    class Meta:
        model = Incident
        fields = ("selected", "created_at", "process_definition_key", "activity_id", "type", "message",
                  "process_instance", "resolved_at")
        order_by = ("-created_at",)
        attrs = TABLE_ATTRS

    def render_selected(self, value, record, bound_column):
        if not record.is_open:
            return ""
        return tables.CheckBoxColumn.render(bound_column.column, value, bound_column, record)

    def render_message(self, value):
        return Truncator(value).chars(80) or "(no message)"

    def render_process_instance(self, value):
        return str(value.pk)[:8]

    def render_resolved_at(self, value, record):
        return format_html('<span class="badge text-bg-success">{} {}</span>', record.resolution or "resolved",
                           value.strftime("%Y-%m-%d %H:%M"))


class UserTaskTable(tables.Table):
    name = tables.Column(verbose_name="Task", linkify=("dashboard:task-detail", {"pk": tables.A("pk")}), empty_values=())
    process_definition_key = tables.Column(verbose_name="Process")
    business_key = tables.Column(verbose_name="Business key", default="—")
    assignee = tables.Column(default="—")
    candidate_groups = tables.Column(verbose_name="Groups", orderable=False)
    priority = tables.Column()
    due_at = tables.DateTimeColumn(verbose_name="Due", format="Y-m-d H:i", default="—")
    created_at = tables.DateTimeColumn(verbose_name="Created", format="Y-m-d H:i")

    class Meta:
        model = UserTask
        fields = ("name", "process_definition_key", "business_key", "assignee", "candidate_groups", "priority",
                  "due_at", "created_at")
        order_by = ("-created_at",)
        attrs = TABLE_ATTRS

    def render_name(self, value, record):
        return value or record.task_definition_key

    def render_candidate_groups(self, value):
        return ", ".join(value) or "—"
