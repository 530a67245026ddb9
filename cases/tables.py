"""Tables of the dashboard's case and event lists."""

import django_tables2 as tables

from cases.models import Case, DomainEvent
from eximee.dashboard import TABLE_ATTRS


class CaseTable(tables.Table):
    case_number = tables.Column(verbose_name="Case", linkify=("dashboard:case-detail", {"pk": tables.A("pk")}))
    case_type = tables.Column(verbose_name="Type", accessor="case_type__name")
    status = tables.Column()
    status_reason = tables.Column(verbose_name="Reason", default="—", orderable=False)
    updated = tables.DateTimeColumn(verbose_name="Updated", format="Y-m-d H:i")
    created = tables.DateTimeColumn(verbose_name="Created", format="Y-m-d H:i")

    class Meta:
        model = Case
        fields = ("case_number", "case_type", "status", "status_reason", "updated", "created")
        order_by = ("-updated",)
        attrs = TABLE_ATTRS


class EventTable(tables.Table):
    received_at = tables.DateTimeColumn(verbose_name="Received", format="Y-m-d H:i:s",
                                        linkify=("dashboard:event-detail", {"pk": tables.A("pk")}))
    event_type = tables.Column(verbose_name="Type")
    source = tables.Column()
    event_id = tables.Column(verbose_name="Event id")
    case_number = tables.Column(verbose_name="Case", default="—")
    outcome = tables.Column()

    class Meta:
        model = DomainEvent
        fields = ("received_at", "event_type", "source", "event_id", "case_number", "outcome")
        order_by = ("-received_at",)
        attrs = TABLE_ATTRS
