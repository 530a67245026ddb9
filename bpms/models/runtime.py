"""Runtime projections. They double as history: a finished instance or task keeps its row with its
end state and timestamps, so history queries are plain filters on the same indexed tables."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .definitions import ProcessDefinition


class ProcessInstanceQuerySet(models.QuerySet):
    def for_reading(self):
        """Instances with their definition row, without the engine's state and the definition's
        spec and XML: JSON and text (kilobytes to megabytes per row) that only the engine reads, and
        it keeps specs cached per version."""
        return self.select_related("definition").defer("engine_state", "definition__engine_spec",
                                                       "definition__bpmn_xml")


class ProcessInstance(models.Model):
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    STATES = [(ACTIVE, ACTIVE), (COMPLETED, COMPLETED), (CANCELLED, CANCELLED)]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    definition = models.ForeignKey(ProcessDefinition, on_delete=models.PROTECT, related_name="instances")
    process_definition_key = models.CharField(max_length=255)
    business_key = models.CharField(max_length=200, null=True, blank=True)
    state = models.CharField(max_length=16, choices=STATES, default=ACTIVE)
    suspended = models.BooleanField(default=False)
    # Set by the async layer when an incident is open on the instance.
    has_incident = models.BooleanField(default=False)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    parent_engine_task_id = models.CharField(max_length=64, blank=True, default="")
    active_activity_ids = ArrayField(models.CharField(max_length=255), default=list, blank=True)
    started_by = models.CharField(max_length=150, blank=True, default="")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=500, blank=True, default="")
    # The engine's serialized instance state, without the spec (stored once on the definition).
    engine_state = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

    objects = ProcessInstanceQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "id"]
        indexes = [
            # Lists by definition and state read a page in their default order (newest first) from here.
            models.Index(fields=["process_definition_key", "state", "started_at"], name="instance_definition_started"),
            models.Index(fields=["business_key"]),
            models.Index(fields=["state", "started_at"]),
            # Lists over every state (the history's) in their default order.
            models.Index(fields=["started_at"], name="instance_started"),
        ]

    def __str__(self):
        return f"{self.process_definition_key}:{self.id}"


class ProcessVariable(models.Model):
    """Current process variables, one row each, so lists can filter on them with an index."""

    process_instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="variables")
    name = models.CharField(max_length=255)
    type = models.CharField(max_length=16)
    value = models.JSONField(null=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["process_instance", "name"], name="process_variable_name")]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name


class UserTask(models.Model):
    CREATED = "created"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    STATES = [(CREATED, CREATED), (COMPLETED, COMPLETED), (CANCELLED, CANCELLED)]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process_instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="tasks")
    engine_task_id = models.CharField(max_length=64)
    task_definition_key = models.CharField(max_length=255)
    name = models.CharField(max_length=255, blank=True, default="")
    description = models.TextField(blank=True, default="")
    process_definition_key = models.CharField(max_length=255)
    business_key = models.CharField(max_length=200, null=True, blank=True)
    state = models.CharField(max_length=16, choices=STATES, default=CREATED)
    assignee = models.CharField(max_length=150, null=True, blank=True)
    owner = models.CharField(max_length=150, null=True, blank=True)
    delegation_state = models.CharField(max_length=16, null=True, blank=True)   # pending | resolved
    candidate_users = ArrayField(models.CharField(max_length=150), default=list, blank=True)
    candidate_groups = ArrayField(models.CharField(max_length=150), default=list, blank=True)
    priority = models.IntegerField(default=50)
    due_at = models.DateTimeField(null=True, blank=True)
    follow_up_at = models.DateTimeField(null=True, blank=True)
    form_key = models.CharField(max_length=500, blank=True, default="")
    form_fields = models.JSONField(default=list)
    # Variables local to the task's scopes when it was created (a multi-instance element variable
    # and loopCounter, input parameters, subprocess locals): not process variables.
    local_variables = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=150, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.CharField(max_length=150, blank=True, default="")
    ended_at = models.DateTimeField(null=True, blank=True)
    delete_reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["state", "assignee"]),
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["process_instance", "state"]),
            models.Index(fields=["business_key"]),
            # Task lists are of open tasks only: a page of a definition's open tasks in their default
            # order is read from here, and the index grows with the open work, not with the history.
            models.Index(fields=["process_definition_key", "created_at"], name="task_open_definition_created",
                         condition=models.Q(state="created")),
            # The history list (tasks of every state) in its order.
            models.Index(fields=["created_at"], name="task_created"),
        ]

    def __str__(self):
        return f"{self.task_definition_key}:{self.id}"

    @property
    def duration_ms(self):
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.created_at).total_seconds() * 1000)
