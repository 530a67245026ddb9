"""The async layer's tables: what instances wait for outside the engine (service tasks, timers,
continuations, message and signal subscriptions), messages waiting for a subscription, and
incidents. `bpms.services.waits.sync` keeps the first four in step with the engine's wait states."""

import uuid

from django.contrib.postgres.indexes import GinIndex
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from .definitions import ProcessDefinition
from .runtime import ProcessInstance


class ExternalTask(models.Model):
    """A service task waiting to be executed, by an external worker over REST or by a built-in
    handler on a Celery worker (`builtin`). Fetchable when unlocked (or the lock expired) and
    retries are null (never failed) or above 0."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process_instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="external_tasks")
    engine_task_id = models.CharField(max_length=64)
    process_definition_key = models.CharField(max_length=255)
    business_key = models.CharField(max_length=200, null=True, blank=True)
    activity_id = models.CharField(max_length=255)
    activity_name = models.CharField(max_length=255, blank=True, default="")
    topic = models.CharField(max_length=255)
    priority = models.IntegerField(default=0)
    builtin = models.BooleanField(default=False)
    retries = models.IntegerField(null=True, blank=True)
    retry_time_cycle = models.CharField(max_length=100, blank=True, default="")
    extension_properties = models.JSONField(default=dict)
    # The task's local variables when it was created (fetched with the process variables, winning).
    local_variables = models.JSONField(default=dict)
    worker_id = models.CharField(max_length=255, blank=True, default="")
    lock_expires_at = models.DateTimeField(null=True, blank=True)
    error_message = models.TextField(blank=True, default="")
    error_details = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process_instance", "engine_task_id"], name="external_task_engine_task"),
        ]
        indexes = [
            # fetch-and-lock: open tasks of a topic, highest priority first
            models.Index(fields=["topic", "-priority", "created_at"], name="external_task_fetch",
                         condition=Q(builtin=False)),
            # fetch-and-lock without usePriority: oldest first, read in index order
            models.Index(fields=["topic", "created_at", "id"], name="external_task_fetch_fifo",
                         condition=Q(builtin=False)),
            models.Index(fields=["business_key"], name="external_task_business_key"),
        ]

    def __str__(self):
        return f"{self.topic}:{self.id}"


class Job(models.Model):
    """A timer or an async continuation, run by a Celery worker once due."""

    TIMER = "timer"
    CONTINUATION = "continuation"
    TIMER_START = "timer-start"
    TYPES = [(TIMER, TIMER), (CONTINUATION, CONTINUATION), (TIMER_START, TIMER_START)]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=16, choices=TYPES)
    # Null only for timer start events, which belong to a definition.
    process_instance = models.ForeignKey(ProcessInstance, null=True, blank=True, on_delete=models.CASCADE,
                                         related_name="jobs")
    process_definition = models.ForeignKey(ProcessDefinition, null=True, blank=True, on_delete=models.CASCADE,
                                           related_name="jobs")
    process_definition_key = models.CharField(max_length=255)
    business_key = models.CharField(max_length=200, null=True, blank=True)
    engine_task_id = models.CharField(max_length=64)
    activity_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=32, blank=True, default="")   # timer kind or "before"/"after"
    interrupting = models.BooleanField(default=True)
    cycle = models.CharField(max_length=100, blank=True, default="")
    due_at = models.DateTimeField()
    retries = models.IntegerField(default=3)
    retry_time_cycle = models.CharField(max_length=100, blank=True, default="")
    lock_owner = models.CharField(max_length=255, blank=True, default="")
    lock_expires_at = models.DateTimeField(null=True, blank=True)
    exception_message = models.TextField(blank=True, default="")
    exception_details = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process_instance", "engine_task_id"], name="job_engine_task"),
            models.UniqueConstraint(fields=["process_definition", "activity_id"], name="job_timer_start",
                                    condition=Q(process_instance__isnull=True)),
        ]
        indexes = [models.Index(fields=["due_at"], name="job_due", condition=Q(retries__gt=0))]

    def __str__(self):
        return f"{self.type}:{self.activity_id}:{self.id}"


class EventSubscription(models.Model):
    """An instance waiting for a message or a signal. `variables` holds the instance's scalar
    variables so correlation keys match with one indexed containment query."""

    MESSAGE = "message"
    SIGNAL = "signal"
    TYPES = [(MESSAGE, MESSAGE), (SIGNAL, SIGNAL)]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event_type = models.CharField(max_length=8, choices=TYPES)
    event_name = models.CharField(max_length=255)
    process_instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="subscriptions")
    process_definition_key = models.CharField(max_length=255)
    business_key = models.CharField(max_length=200, null=True, blank=True)
    engine_task_id = models.CharField(max_length=64)
    activity_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=32)
    interrupting = models.BooleanField(default=True)
    variables = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process_instance", "engine_task_id"], name="subscription_engine_task"),
        ]
        indexes = [
            models.Index(fields=["event_type", "event_name", "business_key"], name="subscription_lookup"),
            # No pending list: with fastupdate every lookup by correlation keys also scans the
            # entries inserted since the last vacuum, up to 4 MB of them (3.4 ms instead of 0.05 ms
            # with 100,000 subscriptions), so correlation time grew with the rows waiting.
            GinIndex(fields=["variables"], name="subscription_variables", opclasses=["jsonb_path_ops"],
                     fastupdate=False),
        ]

    def __str__(self):
        return f"{self.event_type}:{self.event_name}:{self.activity_id}"


class PublishedMessage(models.Model):
    """A message published with a time-to-live or a messageId. With a TTL and no match it waits
    here (buffered) until a subscription appears or it expires; a messageId makes a repeat
    publication return the first outcome."""

    BUFFERED = "buffered"
    DELIVERED = "delivered"
    EXPIRED = "expired"
    STATES = [(BUFFERED, BUFFERED), (DELIVERED, DELIVERED), (EXPIRED, EXPIRED)]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    message_name = models.CharField(max_length=255)
    business_key = models.CharField(max_length=200, null=True, blank=True)
    process_instance_id = models.UUIDField(null=True, blank=True)
    correlation_keys = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    variables = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    business_data = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    correlate_all = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=STATES)
    expires_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=list)
    published_by = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["message_name", "expires_at"], name="buffered_message_lookup",
                         condition=Q(state="buffered")),
        ]

    def __str__(self):
        return f"{self.message_name}:{self.state}"


class Incident(models.Model):
    FAILED_JOB = "failedJob"
    FAILED_EXTERNAL_TASK = "failedExternalTask"
    TYPES = [(FAILED_JOB, FAILED_JOB), (FAILED_EXTERNAL_TASK, FAILED_EXTERNAL_TASK)]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=32, choices=TYPES)
    process_instance = models.ForeignKey(ProcessInstance, null=True, blank=True, on_delete=models.CASCADE,
                                         related_name="incidents")
    process_definition_key = models.CharField(max_length=255)
    business_key = models.CharField(max_length=200, null=True, blank=True)
    activity_id = models.CharField(max_length=255)
    # The id of the failed job or external task (Camunda's "configuration"); the links go null
    # once the job or task is gone, the incident stays as history.
    configuration = models.CharField(max_length=64)
    external_task = models.ForeignKey(ExternalTask, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="incidents")
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents")
    message = models.TextField(blank=True, default="")
    details = models.TextField(blank=True, default="")
    annotation = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=150, blank=True, default="")
    resolution = models.CharField(max_length=16, blank=True, default="")   # retried | deleted

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["process_instance"], name="incident_open_instance",
                         condition=Q(resolved_at__isnull=True)),
            models.Index(fields=["created_at"], name="incident_created"),
            models.Index(fields=["business_key"], name="incident_business_key"),
        ]

    def __str__(self):
        return f"{self.type}:{self.activity_id}:{self.id}"

    @property
    def is_open(self):
        return self.resolved_at is None
