from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from eximee import roles


class IdempotencyRecord(models.Model):
    """The first outcome of a creating POST sent with an Idempotency-Key, replayed for repeats."""

    principal = models.CharField(max_length=150)
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    response_headers = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="idempotency_key_per_principal")]

    def __str__(self):
        return f"{self.principal}:{self.key}"


class TimelineEvent(models.Model):
    """One thing that happened to a process instance or a case, from any app.

    Every service that changes state writes its event here in the same transaction, so an
    instance's timeline and a case's history are one indexed query each, in order, with paging,
    instead of a merge across many tables."""

    occurred_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=64)
    business_key = models.CharField(max_length=200, null=True, blank=True)
    process_instance_id = models.UUIDField(null=True, blank=True)
    actor = models.CharField(max_length=150, blank=True, default="")
    summary = models.CharField(max_length=500)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    request_id = models.CharField(max_length=128, blank=True, default="")

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["business_key", "occurred_at", "id"], name="timeline_by_business_key"),
            models.Index(fields=["process_instance_id", "occurred_at", "id"], name="timeline_by_instance"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.kind}: {self.summary}"


class OutboxMessage(models.Model):
    """A Celery task to send once the transaction that wrote this row has committed.

    Written in the same transaction as the state change that needs it; sent right after commit
    and, should the broker be down then, by the periodic relay later. Nothing is lost between the
    database and the broker, and a task may arrive twice, so tasks must be idempotent."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, encoder=DjangoJSONEncoder)
    kwargs = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    queue = models.CharField(max_length=100, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    not_before = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["created"], name="outbox_unsent", condition=models.Q(sent_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.task_name} ({'sent' if self.sent_at else 'pending'})"


class AuditEntry(models.Model):
    """Who did what to which target, when, from where, and how it ended: one row per API request
    (written by eximee.audit.AuditMiddleware) or per audited operation outside a request.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger refuses them
    in the database too (migration 0003)."""

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150, blank=True, default="")
    client_id = models.CharField(max_length=200, blank=True, default="")
    operation = models.CharField(max_length=200)
    target = models.CharField(max_length=500, blank=True, default="")
    outcome = models.CharField(max_length=100, default="success")
    request_id = models.CharField(max_length=128, blank=True, default="")
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["actor", "occurred_at"], name="audit_by_actor"),
            models.Index(fields=["operation", "occurred_at"], name="audit_by_operation"),
            models.Index(fields=["target", "occurred_at"], name="audit_by_target"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are append-only.")

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor or '-'} {self.operation} {self.outcome}"


class RoleMapping(models.Model):
    """An identity provider's group or role name (a value found under OIDC_ROLES_CLAIMS) granting
    one of our domain roles, kept by administrators in the admin so a new group at the provider
    needs no redeploy. A claim value may map to several roles (one row each); see
    eximee/role_mapping.py for how these rows and OIDC_ROLE_MAP combine."""

    claim_value = models.CharField(
        max_length=200,
        help_text="The name exactly as the provider puts it into the token, e.g. /bank/loan-officers.")
    role = models.CharField(
        max_length=200,
        help_text="A domain role (" + ", ".join(roles.ALL_ROLES) + "), optionally scoped by a suffix: "
                  "service-worker:payments.* restricts a service worker to the topics matching payments.*")
    note = models.CharField(max_length=500, blank=True, default="", help_text="Why this mapping exists.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["claim_value", "role"]
        constraints = [models.UniqueConstraint(fields=["claim_value", "role"], name="role_mapping_once")]

    def clean(self):
        from django.core.exceptions import ValidationError

        from eximee.auth import is_role_name

        if not is_role_name(self.role):
            raise ValidationError({"role": "Not a domain role. Choose one of: " + ", ".join(roles.ALL_ROLES)})

    def __str__(self):
        return f"{self.claim_value} → {self.role}"
