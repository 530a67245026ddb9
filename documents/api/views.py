import base64

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from documents import selectors, services
from eximee import audit, roles
from eximee.api.idempotency import idempotent
from eximee.errors import NotFound

from .serializers import DocumentSerializer, GenerationRequestCreateSerializer, GenerationRequestSerializer

DOCUMENT_ROLES = (roles.DOCUMENT_REQUESTER,)


class GenerationRequestCreate(APIView):
    required_roles = {"POST": DOCUMENT_ROLES}

    @extend_schema(request=GenerationRequestCreateSerializer, responses={202: GenerationRequestSerializer})
    @idempotent
    def post(self, request, **kwargs):
        payload = GenerationRequestCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        body = payload.validated_data
        generation = services.request_generation(
            template_code=body["templateCode"], template_version=body.get("templateVersion"),
            output_format=body.get("outputFormat"), data=body.get("data"), data_record=body.get("dataRecord"),
            case_number=body.get("caseNumber"), file_name=body.get("fileName") or None,
            actor=request.user.get_username())
        location = reverse("v1:document-generation-request", kwargs={"request_id": generation.pk}, request=request)
        return Response(GenerationRequestSerializer(generation, context={"request": request}).data, status=202,
                        headers={"Location": location})


class GenerationRequestDetail(APIView):
    required_roles = {"GET": DOCUMENT_ROLES}

    @extend_schema(responses=GenerationRequestSerializer)
    def get(self, request, request_id, **kwargs):
        generation = selectors.generation_request(request_id)
        return Response(GenerationRequestSerializer(generation, context={"request": request}).data)


class DocumentDetail(APIView):
    required_roles = {"GET": DOCUMENT_ROLES}

    @extend_schema(responses=DocumentSerializer)
    def get(self, request, document_id, **kwargs):
        document = selectors.document(document_id)
        return Response(DocumentSerializer(document, context={"request": request}).data)


class DocumentContent(APIView):
    required_roles = {"GET": DOCUMENT_ROLES}

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, document_id, **kwargs):
        document = selectors.document(document_id)
        if document.content_deleted_at is not None:
            raise NotFound(f"The content of document {document_id} was deleted at the end of its retention "
                           f"({document.content_deleted_at:%Y-%m-%d}).")
        response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name,
                                content_type=document.content_type)
        response["Content-Length"] = str(document.size)
        response["ETag"] = f'"{document.sha256}"'
        response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(document.sha256)).decode()}:"
        response["X-Checksum-SHA256"] = document.sha256
        response["Cache-Control"] = "private, no-store"
        # The middleware audits the request; this entry names the document and its checksum so a
        # leak can be traced to the exact file.
        audit.record("document.downloaded", f"document:{document.pk}", request=request,
                     details={"fileName": document.file_name, "sha256": document.sha256,
                              "businessKey": document.business_key})
        return response
