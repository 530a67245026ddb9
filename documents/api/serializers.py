from rest_framework import serializers
from rest_framework.reverse import reverse

from documents.models import Document, GenerationRequest, OutputFormat
from eximee.api.serializers import DateTimeField


class DataRecordReferenceSerializer(serializers.Serializer):
    model = serializers.CharField(max_length=100)
    id = serializers.UUIDField()


class GenerationRequestCreateSerializer(serializers.Serializer):
    templateCode = serializers.CharField(max_length=100)
    templateVersion = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    outputFormat = serializers.ChoiceField(choices=OutputFormat.values, required=False, allow_null=True)
    data = serializers.DictField(required=False)
    dataRecord = DataRecordReferenceSerializer(required=False)
    caseNumber = serializers.CharField(max_length=200, required=False)
    fileName = serializers.CharField(max_length=150, required=False, allow_blank=True)

    SOURCES = ("data", "dataRecord", "caseNumber")

    def validate(self, attrs):
        given = [name for name in self.SOURCES if name in attrs]
        if len(given) != 1:
            raise serializers.ValidationError(
                {name: "Give exactly one of data, dataRecord, caseNumber." for name in (given or self.SOURCES)})
        return attrs


class _FromTemplateSerializer(serializers.ModelSerializer):
    """Fields a request and its document share: the template version and the case or instance."""

    templateCode = serializers.CharField(source="template.code")
    templateVersion = serializers.IntegerField(source="template.version")
    businessKey = serializers.CharField(source="business_key")
    processInstanceId = serializers.UUIDField(source="process_instance_id")
    createdAt = DateTimeField(source="created")


class GenerationRequestSerializer(_FromTemplateSerializer):
    outputFormat = serializers.CharField(source="output_format")
    dataSource = serializers.CharField(source="source")
    dataReference = serializers.CharField(source="source_reference")
    fileName = serializers.CharField(source="file_name")
    documentId = serializers.UUIDField(source="document_id")
    documentUrl = serializers.SerializerMethodField()
    requestedBy = serializers.CharField(source="requested_by")
    startedAt = DateTimeField(source="started_at")
    finishedAt = DateTimeField(source="finished_at")

    class Meta:
        model = GenerationRequest
        fields = ["id", "status", "error", "templateCode", "templateVersion", "outputFormat", "dataSource",
                  "dataReference", "fileName", "businessKey", "processInstanceId", "attempts", "documentId",
                  "documentUrl", "requestedBy", "createdAt", "startedAt", "finishedAt"]

    def get_documentUrl(self, request) -> str | None:
        if request.document_id is None:
            return None
        return reverse("v1:document-content", kwargs={"document_id": request.document_id},
                       request=self.context.get("request"))


class DocumentSerializer(_FromTemplateSerializer):
    fileName = serializers.CharField(source="file_name")
    contentType = serializers.CharField(source="content_type")
    pageCount = serializers.IntegerField(source="page_count")
    retainUntil = DateTimeField(source="retain_until")
    contentDeletedAt = DateTimeField(source="content_deleted_at")
    contentUrl = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "fileName", "contentType", "size", "sha256", "pageCount", "templateCode", "templateVersion",
                  "businessKey", "processInstanceId", "createdAt", "retainUntil", "contentDeletedAt", "contentUrl"]

    def get_contentUrl(self, document) -> str:
        return reverse("v1:document-content", kwargs={"document_id": document.pk},
                       request=self.context.get("request"))
