"""Cases (one business matter each, its case number the business key of its processes), their
admin-managed types and status history, and the log and routes of events from external domains."""

import uuid

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class CaseType(models.Model):
    """Which statuses a case of this type may have and which transitions between them are allowed.

    statuses: ["submitted", "in-review", ...]; initial_statuses: those a case may be created in
    (the first is the default); transitions: {"submitted": ["in-review", "withdrawn"], ...}."""

    name = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200, blank=True, default="")
    statuses = models.JSONField(default=list)
    initial_statuses = models.JSONField(default=list)
    transitions = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if not isinstance(self.statuses, list) or not self.statuses or not all(
                isinstance(s, str) and s for s in self.statuses):
            raise ValidationError({"statuses": "A non-empty list of status names."})
        known = set(self.statuses)
        if not isinstance(self.initial_statuses, list) or not self.initial_statuses or not set(
                self.initial_statuses) <= known:
            raise ValidationError({"initial_statuses": "A non-empty list of declared statuses."})
        if not isinstance(self.transitions, dict) or not all(
                source in known and isinstance(targets, list) and set(targets) <= known
                for source, targets in self.transitions.items()):
            raise ValidationError({"transitions": "{status: [status, ...]} using declared statuses only."})

    def allowed_from(self, status):
        return list(self.transitions.get(status, []))


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case_number = models.CharField(max_length=200, unique=True)
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=100)
    status_reason = models.CharField(max_length=1000, blank=True, default="")
    attributes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Raised by every change; clients send it back in If-Match (optimistic concurrency).
    version = models.PositiveIntegerField(default=1)
    created_by = models.CharField(max_length=150, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-updated", "id"]
        indexes = [models.Index(fields=["case_type", "status"], name="case_by_type_status")]

    def __str__(self):
        return self.case_number


class CaseStatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=100, blank=True, default="")
    to_status = models.CharField(max_length=100)
    reason = models.CharField(max_length=1000, blank=True, default="")
    actor = models.CharField(max_length=150, blank=True, default="")
    case_version = models.PositiveIntegerField()
    process_instance_id = models.UUIDField(null=True, blank=True)
    # Set by changers that may run twice (service-task handlers): a repeat finds it and stops.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "case_version"]
        constraints = [models.UniqueConstraint(fields=["case", "case_version"], name="case_status_change_version")]

    def __str__(self):
        return f"{self.case_id}: {self.from_status or '-'} -> {self.to_status}"


class EventRoute(models.Model):
    """What an external event of one type triggers. Every enabled route of the type runs, in order."""

    CORRELATE_MESSAGE = "correlate-message"
    START_PROCESS = "start-process"
    SET_CASE_STATUS = "set-case-status"
    ACTIONS = [
        (CORRELATE_MESSAGE, "Correlate a message to a waiting process"),
        (START_PROCESS, "Start a process"),
        (SET_CASE_STATUS, "Set the status of the case"),
    ]
    TO_VARIABLES = "variables"
    TO_BUSINESS_DATA = "business-data"
    NOWHERE = "none"
    PAYLOAD_TARGETS = [
        (TO_VARIABLES, "Process variables"),
        (TO_BUSINESS_DATA, "Business data"),
        (NOWHERE, "Not passed on"),
    ]

    name = models.SlugField(max_length=100, unique=True)
    event_type = models.CharField(max_length=200, db_index=True)
    order = models.PositiveIntegerField(default=0)
    enabled = models.BooleanField(default=True)
    action = models.CharField(max_length=32, choices=ACTIONS)
    payload_target = models.CharField(max_length=16, choices=PAYLOAD_TARGETS, default=TO_VARIABLES)
    message_name = models.CharField(max_length=200, blank=True, default="")
    message_time_to_live = models.DurationField(
        null=True, blank=True, help_text="Buffer a message no process waits for yet this long (empty: do not).")
    process_definition_key = models.CharField(max_length=200, blank=True, default="")
    case_status = models.CharField(max_length=100, blank=True, default="",
                                   help_text="Empty: take the status from the payload's 'status'.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event_type", "order", "id"]

    def __str__(self):
        return f"{self.event_type} -> {self.action} ({self.name})"

    def clean(self):
        needs = {self.CORRELATE_MESSAGE: ("message_name", self.message_name),
                 self.START_PROCESS: ("process_definition_key", self.process_definition_key)}.get(self.action)
        if needs and not needs[1]:
            raise ValidationError({needs[0]: f"Required for the action '{self.action}'."})


class DomainEvent(models.Model):
    """One event reported by an external system, with what it triggered. (source, event_id) is
    unique: a repeat is answered with the stored outcome and triggers nothing."""

    ROUTED = "routed"
    BUFFERED = "buffered"
    UNROUTED = "unrouted"
    FAILED = "failed"
    OUTCOMES = [(ROUTED, "Routed"), (BUFFERED, "Routed, message buffered"), (UNROUTED, "No route"),
                (FAILED, "A triggered action failed")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event_type = models.CharField(max_length=200)
    source = models.CharField(max_length=200)
    event_id = models.CharField(max_length=200)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    case_number = models.CharField(max_length=200, null=True, blank=True, db_index=True)
    correlation = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    payload = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    outcome = models.CharField(max_length=16, choices=OUTCOMES)
    triggered = models.JSONField(default=list, encoder=DjangoJSONEncoder)
    published_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["-received_at", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "event_id"], name="domain_event_once_per_source")]
        indexes = [models.Index(fields=["event_type", "received_at"], name="domain_event_by_type")]

    def __str__(self):
        return f"{self.source}/{self.event_id} {self.event_type} ({self.outcome})"
