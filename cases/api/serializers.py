from rest_framework import serializers

from eximee.api.serializers import DateTimeField


class CaseSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    caseNumber = serializers.CharField(source="case_number")
    caseType = serializers.CharField(source="case_type.name")
    status = serializers.CharField()
    statusReason = serializers.CharField(source="status_reason")
    allowedStatuses = serializers.SerializerMethodField(help_text="Statuses the case may move to next.")
    attributes = serializers.JSONField()
    version = serializers.IntegerField()
    createdBy = serializers.CharField(source="created_by")
    created = DateTimeField()
    updated = DateTimeField()

    def get_allowedStatuses(self, case) -> list[str]:
        return case.case_type.allowed_from(case.status)


class CaseCreateSerializer(serializers.Serializer):
    caseNumber = serializers.CharField(max_length=200)
    caseType = serializers.SlugField(max_length=100)
    status = serializers.CharField(max_length=100, required=False, help_text="Default: the type's first initial status.")
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    attributes = serializers.DictField(required=False, default=dict)


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.CharField(max_length=100)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class HistoryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    occurredAt = DateTimeField(source="occurred_at")
    kind = serializers.CharField()
    summary = serializers.CharField()
    actor = serializers.CharField()
    processInstanceId = serializers.UUIDField(source="process_instance_id")
    data = serializers.JSONField()
    requestId = serializers.CharField(source="request_id")


class CorrelationSerializer(serializers.Serializer):
    caseNumber = serializers.CharField(max_length=200, required=False)
    businessKey = serializers.CharField(max_length=200, required=False)
    keys = serializers.DictField(required=False,
                                 help_text="Process variable values the waiting process must have.")

    def validate(self, attrs):
        number, key = attrs.get("caseNumber"), attrs.get("businessKey")
        if number and key and number != key:
            raise serializers.ValidationError({"businessKey": "must equal caseNumber when both are given"})
        return attrs


class EventInSerializer(serializers.Serializer):
    eventType = serializers.CharField(max_length=200)
    source = serializers.CharField(max_length=200)
    eventId = serializers.CharField(max_length=200)
    occurredAt = serializers.DateTimeField()
    correlation = CorrelationSerializer(required=False, default=dict)
    payload = serializers.DictField(required=False, default=dict)


class EventSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    eventType = serializers.CharField(source="event_type")
    source = serializers.CharField()
    eventId = serializers.CharField(source="event_id")
    occurredAt = DateTimeField(source="occurred_at")
    receivedAt = DateTimeField(source="received_at")
    caseNumber = serializers.CharField(source="case_number")
    correlation = serializers.JSONField()
    payload = serializers.JSONField()
    outcome = serializers.CharField()
    triggered = serializers.JSONField(help_text="One entry per route run: its result or its error.")
    publishedBy = serializers.CharField(source="published_by")
