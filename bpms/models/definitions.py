import uuid

from django.db import models


class Deployment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    deployed_by = models.CharField(max_length=150, blank=True, default="")
    deployed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deployed_at", "id"]

    def __str__(self):
        return self.name


class DeploymentResource(models.Model):
    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(max_length=255)
    content = models.TextField()

    def __str__(self):
        return self.name


class ProcessDefinition(models.Model):
    """One deployed version of one executable process. Immutable once stored: the engine caches
    the deserialized spec per id in process memory."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=255)
    version = models.PositiveIntegerField()
    version_tag = models.CharField(max_length=255, blank=True, default="")    # camunda:versionTag
    name = models.CharField(max_length=255, blank=True, default="")
    deployment = models.ForeignKey(Deployment, on_delete=models.PROTECT, related_name="process_definitions")
    resource_name = models.CharField(max_length=255)
    bpmn_xml = models.TextField()
    # The engine's own serialized form of the process and of the processes it calls.
    engine_spec = models.JSONField()
    data_model = models.CharField(max_length=200, blank=True, default="")
    message_start_events = models.JSONField(default=list)   # [{activityId, messageName}]
    signal_start_events = models.JSONField(default=list)    # [{activityId, signalName}]
    timer_start_events = models.JSONField(default=list)     # [{activityId, timeDate|timeDuration|timeCycle}]
    none_start_event = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="process_definition_key_version")]

    def __str__(self):
        return f"{self.key}:{self.version}"


class DecisionDefinition(models.Model):
    """One deployed version of one DMN decision (a decision table or a literal expression), as a
    business rule task's camunda:decisionRef names it. Immutable once stored, like a process
    definition: the engine caches the parsed decision per id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=255)
    version = models.PositiveIntegerField()
    version_tag = models.CharField(max_length=255, blank=True, default="")    # camunda:versionTag
    name = models.CharField(max_length=255, blank=True, default="")
    deployment = models.ForeignKey(Deployment, on_delete=models.PROTECT, related_name="decision_definitions")
    resource_name = models.CharField(max_length=255)
    # {decision key: parsed decision} for this decision and every decision it requires (its DRD,
    # from the same file), so evaluating it reads one row.
    decisions = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="decision_definition_key_version")]

    def __str__(self):
        return f"{self.key}:{self.version}"
