import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .runtime import ProcessInstance


class ActivityInstance(models.Model):
    """Every activity an instance entered; ended_at is null while it is active. Written as the
    engine runs, so the history survives when the engine prunes finished parts of its state."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process_instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE,
                                         related_name="activity_instances")
    engine_task_id = models.CharField(max_length=64)
    activity_id = models.CharField(max_length=255)
    activity_name = models.CharField(max_length=255, blank=True, default="")
    activity_type = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    canceled = models.BooleanField(default=False)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["process_instance", "engine_task_id"]),
            # The history list's order: a page is read from here, not sorted out of the whole history.
            models.Index(fields=["started_at"], name="activity_started"),
        ]

    def __str__(self):
        return self.activity_id

    @property
    def duration_ms(self):
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds() * 1000)


class VariableChange(models.Model):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"

    process_instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE,
                                         related_name="variable_changes")
    name = models.CharField(max_length=255)
    change = models.CharField(max_length=16)
    type = models.CharField(max_length=16, blank=True, default="")
    old_value = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    new_value = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    actor = models.CharField(max_length=150, blank=True, default="")
    activity_id = models.CharField(max_length=255, blank=True, default="")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [
            models.Index(fields=["process_instance", "name"]),
            # The history list's order: a page is read from here, not sorted out of the whole history.
            models.Index(fields=["changed_at"], name="variable_change_changed"),
        ]

    def __str__(self):
        return self.name
