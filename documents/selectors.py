"""Reads of templates, generation requests and documents."""

from eximee.errors import NotFound

from .models import Document, DocumentTemplate, GenerationRequest


def published_template(code, version=None, *, pointer="/templateCode"):
    """The given published version of a template, or its latest published one."""
    versions = DocumentTemplate.objects.filter(code=code, status=DocumentTemplate.Status.PUBLISHED)
    found = versions.filter(version=version).first() if version is not None else versions.order_by("-version").first()
    if found is None:
        wanted = f"published version {version}" if version is not None else "published version"
        raise NotFound(f"Document template '{code}' has no {wanted}.",
                       errors=[{"pointer": pointer, "detail": f"no published template '{code}'"}])
    return found


def generation_request(request_id):
    found = GenerationRequest.objects.select_related("template", "document").filter(pk=request_id).first()
    if found is None:
        raise NotFound(f"No document generation request {request_id}.")
    return found


def document(document_id):
    found = Document.objects.select_related("template").filter(pk=document_id).first()
    if found is None:
        raise NotFound(f"No document {document_id}.")
    return found

