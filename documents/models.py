import uuid

from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


def document_storage():
    # A callable, so the storage (file system here, S3 in production) is chosen by settings at run
    # time and never frozen into a migration.
    return storages["documents"]


class OutputFormat(models.TextChoices):
    PDF = "pdf", "PDF (HTML + CSS, WeasyPrint)"
    DOCX = "docx", "DOCX (Word template, docxtpl)"


CONTENT_TYPES = {
    OutputFormat.PDF: "application/pdf",
    OutputFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class DocumentTemplate(models.Model):
    """One version of a template. Versions of one code are separate rows; a published version
    never changes, so a document can always be traced to the exact template that produced it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(max_length=100)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    output_format = models.CharField(max_length=10, choices=OutputFormat.choices, default=OutputFormat.PDF)
    data_model_name = models.CharField(max_length=100, blank=True, default="",
                                       help_text="Business data model the data must satisfy (optional).")
    data_model_version = models.PositiveIntegerField(null=True, blank=True,
                                                     help_text="Empty: the latest published version.")
    sample_data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    body = models.TextField(blank=True, default="", help_text="PDF templates: the HTML (Jinja).")
    stylesheet = models.TextField(blank=True, default="", help_text="PDF templates: CSS applied to the HTML.")
    docx_file = models.FileField(upload_to="document-templates/docx/", blank=True,
                                 help_text="DOCX templates: a Word file with Jinja tags.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=150, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="document_template_code_version")]

    def __str__(self):
        return f"{self.code} v{self.version} ({self.status})"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class TemplateAsset(models.Model):
    """An image, font or stylesheet the template may load by its relative path, e.g.
    `<img src="logo.png">`; the only files a render can read."""

    template = models.ForeignKey(DocumentTemplate, on_delete=models.CASCADE, related_name="assets")
    path = models.CharField(max_length=200, help_text="Relative path used in the template, e.g. img/logo.png")
    file = models.FileField(upload_to="document-templates/assets/")
    content_type = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["template", "path"], name="template_asset_path")]

    def __str__(self):
        return self.path


class Document(models.Model):
    """A generated file and what it was generated from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(storage=document_storage, upload_to="documents/%Y/%m/", max_length=300)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    template = models.ForeignKey(DocumentTemplate, on_delete=models.PROTECT, related_name="documents")
    business_key = models.CharField(max_length=200, null=True, blank=True, db_index=True)
    process_instance_id = models.UUIDField(null=True, blank=True)
    created_by = models.CharField(max_length=150, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    retain_until = models.DateTimeField(db_index=True)
    content_deleted_at = models.DateTimeField(null=True, blank=True,
                                              help_text="When the file was deleted at the end of its retention.")

    class Meta:
        ordering = ["-created", "id"]

    def __str__(self):
        return self.file_name


class GenerationRequest(models.Model):
    """A request to render one document. The data is resolved and frozen when the request is
    accepted, so what the worker renders is what the caller was told was valid."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        DATA = "data", "Data in the request"
        DATA_RECORD = "dataRecord", "Data-model record"
        CASE = "caseNumber", "Business data of a case"
        PROCESS = "process", "Business data of a process instance"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    template = models.ForeignKey(DocumentTemplate, on_delete=models.PROTECT, related_name="generation_requests")
    output_format = models.CharField(max_length=10, choices=OutputFormat.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    source_reference = models.CharField(max_length=200, blank=True, default="",
                                        help_text="Record id, case number or process instance id the data came from.")
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    file_name = models.CharField(max_length=200)
    business_key = models.CharField(max_length=200, null=True, blank=True, db_index=True)
    process_instance_id = models.UUIDField(null=True, blank=True)
    service_task_id = models.CharField(max_length=100, null=True, blank=True,
                                       help_text="Set when a process's service task asked for the document.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    lease_expires_at = models.DateTimeField(null=True, blank=True,
                                            help_text="A running render not finished by then is presumed lost.")
    document = models.OneToOneField(Document, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="generation_request")
    requested_by = models.CharField(max_length=150, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "id"]
        indexes = [
            models.Index(fields=["lease_expires_at"], name="generation_running_lease",
                         condition=models.Q(status="running")),
        ]
        constraints = [
            # One live request per service task (a re-run finds it); a failed one may be retried
            # by a new request, so the failure stays on record.
            models.UniqueConstraint(fields=["service_task_id"], name="generation_per_service_task",
                                    condition=models.Q(service_task_id__isnull=False) & ~models.Q(status="failed")),
        ]

    def __str__(self):
        return f"{self.template.code} -> {self.file_name} ({self.status})"
