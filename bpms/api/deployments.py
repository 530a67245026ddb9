from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from bpms.selectors import instances as selectors
from bpms.services import deployments
from eximee import roles

from .common import pages_of, paginated, valid
from .serializers import DeploymentRequestSerializer, ProcessDefinitionSerializer

READERS = (roles.DEPLOYER, roles.PROCESS_STARTER, roles.OPERATOR, roles.AUDITOR, roles.TASK_MANAGER)


class DeploymentsView(APIView):
    required_roles = {"POST": (roles.DEPLOYER,)}
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": DeploymentRequestSerializer}, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, **kwargs):
        data = valid(DeploymentRequestSerializer,
                     {"name": request.data.get("name"), "files": request.FILES.getlist("files")})
        # Read no file past the size the service refuses: an upload of any size costs bounded memory.
        limit = settings.BPMS_MAX_RESOURCE_BYTES + 1
        result = deployments.deploy(name=data["name"], files=[(f.name, f.read(limit)) for f in data["files"]],
                                    actor=request.user.username)
        return Response({"id": result.id, "name": result.name,
                         "processDefinitions": [_deployed(d) for d in result.definitions],
                         "decisionDefinitions": [_deployed(d) for d in result.decisions]}, status=201)


def _deployed(definition):
    return {"id": definition.id, "key": definition.key, "version": definition.version, "name": definition.name}


@pages_of(ProcessDefinitionSerializer)
class ProcessDefinitionsView(APIView):
    required_roles = {"GET": READERS}

    def get(self, request, **kwargs):
        return paginated(self, request, selectors.latest_definitions(request.query_params), ProcessDefinitionSerializer)


@pages_of(ProcessDefinitionSerializer)
class ProcessDefinitionVersionsView(APIView):
    required_roles = {"GET": READERS}

    @extend_schema(operation_id="process_definition_versions_list")
    def get(self, request, key, **kwargs):
        return paginated(self, request, selectors.definition_versions(key), ProcessDefinitionSerializer)


class ProcessDefinitionXmlView(APIView):
    required_roles = {"GET": READERS}

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.STR})
    def get(self, request, key, version, **kwargs):
        definition = selectors.definition_version(key, version)
        return HttpResponse(definition.bpmn_xml, content_type="application/xml")
