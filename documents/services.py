"""State changes of the document generator: templates (draft -> published), generation requests
(queued -> running -> done | failed) and the documents they produce.

A render runs outside any transaction (it may take seconds) under a lease: claiming a request
sets `lease_expires_at` beyond the Celery hard time limit, so a request still `running` after its
lease belongs to a worker that died. `recover_lost_renders` (Celery beat) re-queues such requests
until DOCUMENTS_MAX_ATTEMPTS renders have been started, then fails them. Only the holder of the
current attempt may finish a request, so a late duplicate never overwrites a newer outcome."""

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from datamodel import selectors as datamodel_selectors
from datamodel.services import validate_data
from eximee import outbox, timeline
from eximee.errors import Conflict, NotFound, RuleViolation

from . import rendering, selectors
from .models import Document, DocumentTemplate, GenerationRequest, OutputFormat, TemplateAsset

logger = logging.getLogger(__name__)

RENDER_TASK = "documents.render"
# Between the Celery hard time limit and the lease's end, so a live render is never taken over.
LEASE_MARGIN = timedelta(seconds=30)
HARD_LIMIT_MARGIN = 10


def hard_time_limit():
    return settings.DOCUMENTS_RENDER_TIME_LIMIT + HARD_LIMIT_MARGIN


# --- Templates ---------------------------------------------------------------------------------

def _source_size(template):
    if template.output_format == OutputFormat.DOCX:
        return template.docx_file.size if template.docx_file else 0
    return len(template.body.encode()) + len(template.stylesheet.encode())


def template_problems(template):
    """What makes a template unusable, as [{"pointer", "detail"}] (empty when fine)."""
    problems = []
    limit = settings.DOCUMENTS_MAX_TEMPLATE_BYTES
    if _source_size(template) > limit:
        problems.append({"pointer": "/body", "detail": f"the template is larger than {limit} bytes"})
    if template.output_format == OutputFormat.DOCX:
        if not template.docx_file:
            problems.append({"pointer": "/docxFile", "detail": "a DOCX template needs a Word file"})
    elif not template.body.strip():
        problems.append({"pointer": "/body", "detail": "a PDF template needs an HTML body"})
    else:
        try:
            rendering.check_syntax(template.body)
        except rendering.RenderError as exc:
            problems.append({"pointer": "/body", "detail": str(exc)})
    if template.data_model_name:
        try:
            validate_data(template.data_model_name, template.data_model_version, template.sample_data,
                          pointer_prefix="/sampleData")
        except RuleViolation as exc:
            problems.extend(exc.errors or [{"pointer": "/dataModelName", "detail": exc.detail}])
    return problems


def _next_version(code):
    return (DocumentTemplate.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0) + 1


def save_draft(template, *, actor):
    """Create or change a draft; published versions never change."""
    with transaction.atomic():
        if template.pk and DocumentTemplate.objects.filter(
                pk=template.pk, status=DocumentTemplate.Status.PUBLISHED).exists():
            raise Conflict(f"Template {template} is published and cannot change; create a new version.")
        if not template.version:
            template.version = _next_version(template.code)
            template.created_by = actor
        template.status = DocumentTemplate.Status.DRAFT
        template.save()
    return template


def create_template(*, code, name, output_format=OutputFormat.PDF, body="", stylesheet="", docx_content=None,
                    sample_data=None, data_model_name="", data_model_version=None, assets=None, actor=""):
    """A new draft version of `code`; `assets` maps relative paths to bytes."""
    with transaction.atomic():
        template = DocumentTemplate(code=code, name=name, output_format=output_format, body=body,
                                    stylesheet=stylesheet, sample_data=sample_data or {},
                                    data_model_name=data_model_name, data_model_version=data_model_version)
        if docx_content is not None:
            template.docx_file.save(f"{code}.docx", ContentFile(docx_content), save=False)
        save_draft(template, actor=actor)
        for path, content in (assets or {}).items():
            asset = TemplateAsset(template=template, path=path)
            asset.file.save(path.rsplit("/", 1)[-1], ContentFile(content), save=False)
            asset.save()
    return template


def publish_template(template_id, *, actor):
    """Freeze a draft. It must be valid and render its own sample data, so a published template is
    known to work with data of the shape it declares."""
    with transaction.atomic():
        template = DocumentTemplate.objects.select_for_update().filter(pk=template_id).first()
        if template is None:
            raise NotFound(f"No document template {template_id}.")
        if template.is_published:
            raise Conflict(f"Template {template.code} v{template.version} is already published.")
        problems = template_problems(template)
        if problems:
            raise RuleViolation(f"Template {template.code} v{template.version} cannot be published.", errors=problems)
        try:
            rendering.render(template, template.sample_data)
        except rendering.RenderError as exc:
            raise RuleViolation(f"The template does not render its sample data: {exc}",
                                errors=[{"pointer": "/sampleData", "detail": str(exc)}]) from exc
        template.status = DocumentTemplate.Status.PUBLISHED
        template.published_at = timezone.now()
        template.save(update_fields=["status", "published_at", "updated"])
    return template


def new_draft_version(template_id, *, actor):
    """A draft copy (assets included) of any version, to change and publish as the next version."""
    with transaction.atomic():
        source = DocumentTemplate.objects.get(pk=template_id)
        docx = None
        if source.docx_file:
            with source.docx_file.open("rb") as handle:
                docx = handle.read()
        assets = {}
        for asset in source.assets.all():
            with asset.file.open("rb") as handle:
                assets[asset.path] = handle.read()
        return create_template(
            code=source.code, name=source.name, output_format=source.output_format, body=source.body,
            stylesheet=source.stylesheet, docx_content=docx, sample_data=source.sample_data,
            data_model_name=source.data_model_name, data_model_version=source.data_model_version,
            assets=assets, actor=actor)


# --- Generation requests -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Data:
    source: str
    reference: str
    data: dict
    business_key: str | None = None
    process_instance_id: object = None


def _resolve_data(template, *, data=None, data_record=None, case_number=None, process_instance_id=None):
    """The data to render, frozen now so the document shows what was valid when it was asked for."""
    Source = GenerationRequest.Source
    if data is not None:
        resolved = _Data(Source.DATA, "", data)
    elif data_record is not None:
        try:
            record = datamodel_selectors.record(data_record["model"], data_record["id"])
        except NotFound as exc:
            raise RuleViolation(exc.detail, errors=[{"pointer": "/dataRecord", "detail": exc.detail}]) from exc
        resolved = _Data(Source.DATA_RECORD, f"{record.pk}@{record.revision}", record.data,
                         record.business_key, record.process_instance_id)
    elif case_number is not None:
        found = datamodel_selectors.business_data_for(business_key=case_number)
        if found is None:
            raise RuleViolation(f"Case {case_number} has no business data.",
                                errors=[{"pointer": "/caseNumber", "detail": "no business data for this case"}])
        resolved = _Data(Source.CASE, case_number, found, case_number)
    else:
        found = datamodel_selectors.business_data_for(process_instance_id=process_instance_id)
        if found is None:
            raise RuleViolation(f"Process instance {process_instance_id} has no business data.")
        resolved = _Data(Source.PROCESS, str(process_instance_id), found, None, process_instance_id)

    pointer = "/" + ("data" if resolved.source == Source.DATA else resolved.source)
    if not isinstance(resolved.data, dict):
        raise RuleViolation("The data must be a JSON object.", errors=[{"pointer": pointer, "detail": "not an object"}])
    size = len(json.dumps(resolved.data, default=str).encode())
    if size > settings.DOCUMENTS_MAX_DATA_BYTES:
        raise RuleViolation(f"The data is {size} bytes, more than the limit of {settings.DOCUMENTS_MAX_DATA_BYTES}.",
                            errors=[{"pointer": pointer, "detail": "too large"}])
    if resolved.source == Source.DATA and template.data_model_name:
        validate_data(template.data_model_name, template.data_model_version, resolved.data, pointer_prefix="/data")
    return resolved


_UNSAFE_FILE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def _file_name(requested, template, business_key, extension):
    stem = requested or (f"{template.code}-{business_key}" if business_key else template.code)
    stem = _UNSAFE_FILE_NAME.sub("_", stem).strip(" .")[:150] or template.code
    return stem if stem.lower().endswith(f".{extension}") else f"{stem}.{extension}"


def _create_request(template, output_format, resolved, *, file_name=None, service_task_id=None,
                    business_key=None, process_instance_id=None, actor=""):
    requested_format = output_format or template.output_format
    if requested_format != template.output_format:
        raise RuleViolation(
            f"Template {template.code} v{template.version} produces {template.output_format}, not {requested_format}.",
            errors=[{"pointer": "/outputFormat", "detail": f"must be {template.output_format}"}])
    request = GenerationRequest.objects.create(
        template=template, output_format=template.output_format, source=resolved.source,
        source_reference=resolved.reference, data=resolved.data,
        file_name=_file_name(file_name, template, business_key or resolved.business_key, template.output_format),
        business_key=business_key or resolved.business_key,
        process_instance_id=process_instance_id or resolved.process_instance_id,
        service_task_id=service_task_id, requested_by=actor)
    timeline.record("document.requested", f"Document {request.file_name} requested from template "
                    f"{template.code} v{template.version}", business_key=request.business_key,
                    process_instance_id=request.process_instance_id, actor=actor,
                    data={"generationRequestId": str(request.pk), "templateCode": template.code,
                          "templateVersion": template.version})
    return request


def request_generation(*, template_code, template_version=None, output_format=None, data=None, data_record=None,
                       case_number=None, file_name=None, actor=""):
    """Accept a request and queue its render; give exactly one of data, data_record, case_number."""
    with transaction.atomic():
        template = selectors.published_template(template_code, template_version)
        resolved = _resolve_data(template, data=data, data_record=data_record, case_number=case_number)
        request = _create_request(template, output_format, resolved, file_name=file_name, actor=actor)
        outbox.enqueue(RENDER_TASK, str(request.pk))
    return request


def generate_for_service_task(*, service_task_id, template_code, template_version=None, output_format=None,
                              data=None, case_number=None, business_key=None, process_instance_id=None,
                              file_name=None, actor=""):
    """Render now, in the calling worker, once per service task: a re-run returns the document
    already made; a re-run after a failure tries again with a new request (the template may have
    a new published version by then)."""
    with transaction.atomic():
        request = (GenerationRequest.objects.select_for_update()
                   .filter(service_task_id=service_task_id)
                   .exclude(status=GenerationRequest.Status.FAILED).first())
        if request is None:
            template = selectors.published_template(template_code, template_version)
            if data is None and case_number is None and business_key:
                case_number = business_key
            resolved = _resolve_data(template, data=data, case_number=case_number,
                                     process_instance_id=process_instance_id)
            request = _create_request(template, output_format, resolved, file_name=file_name,
                                      service_task_id=service_task_id, business_key=business_key,
                                      process_instance_id=process_instance_id, actor=actor)
    render_generation_request(request.pk)
    return selectors.generation_request(request.pk)


# --- Rendering ---------------------------------------------------------------------------------

def _claim(request_id):
    """Take the request for this worker, or None if it is finished or another live worker has it."""
    now = timezone.now()
    Status = GenerationRequest.Status
    with transaction.atomic():
        request = (GenerationRequest.objects.select_for_update(of=("self",)).select_related("template")
                   .filter(pk=request_id).first())
        if request is None or request.status in (Status.DONE, Status.FAILED):
            return None
        if request.status == Status.RUNNING:
            if request.lease_expires_at > now:
                return None
            if request.attempts >= settings.DOCUMENTS_MAX_ATTEMPTS:
                _mark_failed(request, _lost_reason(request))
                return None
        request.status = Status.RUNNING
        request.attempts += 1
        request.started_at = now
        request.lease_expires_at = now + timedelta(seconds=hard_time_limit()) + LEASE_MARGIN
        request.save(update_fields=["status", "attempts", "started_at", "lease_expires_at"])
    return request


def render_generation_request(request_id):
    """Render a queued request and record the outcome. Safe to call more than once or from
    several workers: one holds the request, the others return at once."""
    request = _claim(request_id)
    if request is None:
        return
    try:
        rendered = rendering.render(request.template, request.data)
    except rendering.RenderError as exc:
        reason = str(exc)
    except SoftTimeLimitExceeded:
        reason = f"The render took longer than {settings.DOCUMENTS_RENDER_TIME_LIMIT} s and was stopped."
    except Exception as exc:
        logger.exception("document render failed", extra={"generation_request": str(request_id)})
        reason = f"The render failed unexpectedly: {type(exc).__name__}: {exc}"
    else:
        _store(request, rendered)
        return
    _fail(request, reason)


def _current_attempt(request):
    """The request locked, if `request` (as claimed) still holds it; else None."""
    current = GenerationRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != GenerationRequest.Status.RUNNING or current.attempts != request.attempts:
        return None
    return current


def _store(request, rendered):
    now = timezone.now()
    document = Document(
        template=request.template, file_name=request.file_name, content_type=rendered.content_type,
        size=len(rendered.content), sha256=hashlib.sha256(rendered.content).hexdigest(),
        page_count=rendered.page_count, business_key=request.business_key,
        process_instance_id=request.process_instance_id, created_by=request.requested_by,
        retain_until=now + timedelta(days=settings.DOCUMENTS_RETENTION_DAYS))
    document.file.save(f"{document.id}.{rendered.extension}", ContentFile(rendered.content), save=False)
    try:
        with transaction.atomic():
            current = _current_attempt(request)
            if current is not None:
                document.save()
                current.document = document
                current.status = GenerationRequest.Status.DONE
                current.finished_at = now
                current.lease_expires_at = None
                current.save(update_fields=["document", "status", "finished_at", "lease_expires_at"])
                timeline.record("document.generated", f"Document {document.file_name} generated "
                                f"({document.size} bytes)", business_key=document.business_key,
                                process_instance_id=document.process_instance_id, actor=request.requested_by,
                                data={"documentId": str(document.pk), "generationRequestId": str(request.pk),
                                      "templateCode": request.template.code,
                                      "templateVersion": request.template.version, "sha256": document.sha256})
    except BaseException:
        document.file.delete(save=False)
        raise
    if current is None:  # another attempt took over meanwhile; its outcome stands
        document.file.delete(save=False)


def _mark_failed(request, reason):
    request.status = GenerationRequest.Status.FAILED
    request.error = reason
    request.finished_at = timezone.now()
    request.lease_expires_at = None
    request.save(update_fields=["status", "error", "finished_at", "lease_expires_at"])
    timeline.record("document.failed", f"Document {request.file_name} failed: {reason}",
                    business_key=request.business_key, process_instance_id=request.process_instance_id,
                    actor=request.requested_by,
                    data={"generationRequestId": str(request.pk), "error": reason})


def _fail(request, reason):
    with transaction.atomic():
        current = _current_attempt(request)
        if current is not None:
            _mark_failed(current, reason)


def _lost_reason(request):
    return (f"The worker rendering this document stopped {request.attempts} times without finishing "
            "(killed or lost); giving up.")


def recover_lost_renders(now=None, batch_size=500):
    """Re-queue renders whose worker died (lease expired), or fail them after the last attempt.
    Returns (requeued, failed)."""
    now = now or timezone.now()
    requeued = failed = 0
    with transaction.atomic():
        lost = (GenerationRequest.objects.select_for_update(skip_locked=True)
                .filter(status=GenerationRequest.Status.RUNNING, lease_expires_at__lt=now)
                .order_by("lease_expires_at", "id")[:batch_size])
        for request in lost:
            if request.attempts >= settings.DOCUMENTS_MAX_ATTEMPTS:
                _mark_failed(request, _lost_reason(request))
                failed += 1
            else:
                request.status = GenerationRequest.Status.QUEUED
                request.lease_expires_at = None
                request.save(update_fields=["status", "lease_expires_at"])
                outbox.enqueue(RENDER_TASK, str(request.pk))
                requeued += 1
    return requeued, failed


def purge_expired_documents(now=None, batch_size=500):
    """Delete the files of documents past their retention; the metadata stays for traceability."""
    now = now or timezone.now()
    purged = 0
    expired = Document.objects.filter(retain_until__lt=now, content_deleted_at__isnull=True).order_by("retain_until", "id")
    for document_id in list(expired.values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            document = Document.objects.select_for_update(skip_locked=True).filter(
                pk=document_id, content_deleted_at__isnull=True).first()
            if document is None:
                continue
            document.file.storage.delete(document.file.name)
            document.content_deleted_at = now
            document.save(update_fields=["content_deleted_at"])
            purged += 1
    return purged
