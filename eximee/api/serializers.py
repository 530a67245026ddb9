from django.db import models
from rest_framework import serializers


def format_datetime(value):
    """RFC 3339 with milliseconds and an explicit offset: 2026-11-27T18:00:00.000+00:00."""
    return value.isoformat(timespec="milliseconds") if value is not None else None


class DateTimeField(serializers.DateTimeField):
    def to_representation(self, value):
        if not value:
            return None
        return format_datetime(self.enforce_timezone(value))


class ModelSerializer(serializers.ModelSerializer):
    """Base for model serializers: timestamps in the API's format."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: DateTimeField,
    }


class AuditEntrySerializer(ModelSerializer):
    occurredAt = DateTimeField(source="occurred_at")
    clientId = serializers.CharField(source="client_id")
    requestId = serializers.CharField(source="request_id")
    sourceIp = serializers.CharField(source="source_ip", allow_null=True)

    class Meta:
        from eximee.models import AuditEntry

        model = AuditEntry
        fields = ["id", "occurredAt", "actor", "clientId", "operation", "target", "outcome",
                  "requestId", "sourceIp", "details"]
        read_only_fields = fields
