"""Application data models (JSON Schema 2020-12, versioned) and the business data records that
follow them, one per case (business key) or, without one, per process instance."""

import json
import uuid

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError


class AuthoredOrderJSONField(models.JSONField):
    """JSON kept as written: PostgreSQL's jsonb reorders object keys, and a schema's property order
    is the order integrators see its fields in. Nothing queries inside these values."""

    def db_type(self, connection):
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql" or value is None:
            return super().get_db_prep_value(value, connection, prepared)
        return json.dumps(value, cls=self.encoder)  # as text: a jsonb parameter would reorder it

    def from_db_value(self, value, expression, connection):
        # psycopg already parses the json type; jsonb arrives as text for Django to parse.
        if value is None or not isinstance(value, str):
            return value
        return super().from_db_value(value, expression, connection)


class DataModel(models.Model):
    name = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200, blank=True, default="")
    description = models.TextField(blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class DataModelVersion(models.Model):
    """One version of a model's schema. Once published it is immutable: records were validated
    against it and integrators read its structure."""

    model = models.ForeignKey(DataModel, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    schema = AuthoredOrderJSONField()
    published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["model", "version"]
        constraints = [models.UniqueConstraint(fields=["model", "version"], name="datamodel_version_unique")]

    def __str__(self):
        return f"{self.model.name} v{self.version}{'' if self.published else ' (draft)'}"

    def clean(self):
        if self.pk and DataModelVersion.objects.filter(pk=self.pk, published=True).exists():
            raise ValidationError("A published version is immutable; create a new version instead.")
        if not isinstance(self.schema, dict):
            raise ValidationError({"schema": "The schema must be a JSON object."})
        try:
            Draft202012Validator.check_schema(self.schema)
        except SchemaError as exc:
            raise ValidationError({"schema": f"Not a valid JSON Schema 2020-12: {exc.message}"}) from None

    def save(self, *args, **kwargs):
        # The guard holds for every code path, not only forms that call clean().
        if self.pk and DataModelVersion.objects.filter(pk=self.pk, published=True).exists():
            raise ValidationError("A published version is immutable; create a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.published:
            raise ValidationError("A published version cannot be deleted.")
        return super().delete(*args, **kwargs)


class DataRecord(models.Model):
    """The business data of one case (keyed by business key) or, when a process has no business
    key, of one process instance. `data` and `revision` mirror the latest revision."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    model = models.ForeignKey(DataModel, on_delete=models.PROTECT, null=True, blank=True, related_name="records")
    model_version = models.ForeignKey(DataModelVersion, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    business_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    process_instance_id = models.UUIDField(null=True, blank=True, unique=True)
    revision = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(business_key__isnull=False) | models.Q(process_instance_id__isnull=False),
                name="datarecord_has_a_key"),
        ]

    def __str__(self):
        return f"{self.business_key or self.process_instance_id} r{self.revision}"


class DataRecordRevision(models.Model):
    record = models.ForeignKey(DataRecord, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    model_version = models.ForeignKey(DataModelVersion, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    changed_fields = models.JSONField(default=list)
    actor = models.CharField(max_length=150, blank=True, default="")
    process_instance_id = models.UUIDField(null=True, blank=True)
    # Set by writers that may run twice (service-task handlers): a repeat finds it and stops.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record", "revision"]
        constraints = [models.UniqueConstraint(fields=["record", "revision"], name="datarecord_revision_unique")]

    def __str__(self):
        return f"{self.record_id} r{self.revision}"
