from rest_framework import serializers

from eximee.api.serializers import DateTimeField

from ..structure import flatten


class VersionSummarySerializer(serializers.Serializer):
    version = serializers.IntegerField()
    published = serializers.BooleanField()
    publishedAt = DateTimeField(source="published_at")
    created = DateTimeField()


class DataModelSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    latestPublishedVersion = serializers.SerializerMethodField()
    versions = VersionSummarySerializer(many=True)
    created = DateTimeField()
    updated = DateTimeField()

    def get_latestPublishedVersion(self, model) -> int | None:
        published = [v.version for v in model.versions.all() if v.published]
        return max(published, default=None)


class StructureSerializer(serializers.Serializer):
    name = serializers.CharField(source="model.name")
    version = serializers.IntegerField()
    published = serializers.BooleanField()
    schema = serializers.JSONField()
    fields = serializers.SerializerMethodField(method_name="field_list")

    def field_list(self, version) -> list[dict]:
        return flatten(version.schema)


class DataRecordSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    dataModel = serializers.CharField(source="model.name", default=None)
    dataModelVersion = serializers.IntegerField(source="model_version.version", default=None)
    caseNumber = serializers.CharField(source="business_key")
    processInstanceId = serializers.UUIDField(source="process_instance_id")
    revision = serializers.IntegerField()
    data = serializers.JSONField()
    created = DateTimeField()
    updated = DateTimeField()


class RevisionSerializer(serializers.Serializer):
    revision = serializers.IntegerField()
    dataModelVersion = serializers.IntegerField(source="model_version.version", default=None)
    changedFields = serializers.JSONField(source="changed_fields")
    actor = serializers.CharField()
    processInstanceId = serializers.UUIDField(source="process_instance_id")
    data = serializers.JSONField()
    created = DateTimeField()
