"""/process-definition: list, read by key or id, BPMN XML, start an instance; /decision-definition:
list, evaluate by key or id; /deployment/create."""

from django.utils import timezone
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from bpms.api.common import valid
from bpms.api.deployments import READERS
from bpms.api.serializers import DeploymentRequestSerializer
from bpms.selectors import decisions as decision_selectors, instances as selectors
from bpms.services import decisions, deployments, instances as services
from bpms.services.variables import parse_camunda_variables
from eximee import roles
from eximee.errors import InvalidRequest, NotFound

from ..common import EngineRestView, ListView, body_of, boolean_param, format_date, integer_param, known_id
from ..dto import decision_dto, definition_dto, instance_dto
from ..variables import instance_variables, variables_map


def definition_of(key=None, definition_id=None):
    if definition_id is not None:
        found = selectors.definitions(id=known_id(definition_id, "Process definition")).first()
        if found is None:
            raise NotFound(f"No matching definition with id {definition_id}")
        return found
    found = selectors.definitions(key=key).first()
    if found is None:
        raise NotFound(f"No matching process definition with key: {key} and no tenant-id")
    return found


class DefinitionList(ListView):
    dto = staticmethod(definition_dto)
    required_roles = {"GET": READERS}
    sorts = {"key": "key", "name": "name", "version": "version", "id": "id", "deploymentId": "deployment_id"}

    def rows(self, request, params):
        return selectors.definitions(
            key=params.get("key"), key_like=(params.get("keyLike") or "").strip("%") or None,
            name=params.get("name"), name_like=(params.get("nameLike") or "").strip("%") or None,
            version=integer_param(params, "version", minimum=1), latest_only=bool(boolean_param(params, "latestVersion")))


class DefinitionDetail(EngineRestView):
    required_roles = {"GET": READERS}

    def get(self, request, key=None, definition_id=None, **kwargs):
        return Response(definition_dto(definition_of(key, definition_id)))


class DefinitionXml(EngineRestView):
    required_roles = {"GET": READERS}

    def get(self, request, key=None, definition_id=None, **kwargs):
        definition = definition_of(key, definition_id)
        return Response({"id": str(definition.id), "bpmn20Xml": definition.bpmn_xml})


class StartInstance(EngineRestView):
    """200 with the new instance (and its variables with withVariablesInReturn)."""

    required_roles = {"POST": (roles.PROCESS_STARTER,)}

    def post(self, request, key=None, definition_id=None, **kwargs):
        body = body_of(request)
        for unsupported in ("startInstructions", "caseInstanceId"):
            if body.get(unsupported):
                raise InvalidRequest(f"{unsupported} is not supported by this engine.",
                                     errors=[{"pointer": f"/{unsupported}", "detail": "not supported"}])
        business_key = body.get("businessKey")
        if business_key is not None and not isinstance(business_key, str):
            raise InvalidRequest("businessKey must be a string.", errors=[{"pointer": "/businessKey", "detail": "string"}])
        definition = definition_of(key, definition_id)
        instance = services.start_process_instance(
            process_definition_key=definition.key, version=definition.version, business_key=business_key,
            variables=parse_camunda_variables(body.get("variables")), actor=request.user.get_username())
        variables = instance_variables(instance.id) if body.get("withVariablesInReturn") is True else None
        return Response(instance_dto(instance, request.build_absolute_uri("/engine-rest"), variables))


class CreateDeployment(EngineRestView):
    """POST /deployment/create (multipart: deployment-name and the files) -> 200 with the
    deployment and its process definitions by id."""

    required_roles = {"POST": (roles.DEPLOYER,)}
    parser_classes = [MultiPartParser]

    def post(self, request, **kwargs):
        files = [upload for name in request.FILES for upload in request.FILES.getlist(name)]
        data = valid(DeploymentRequestSerializer, {"name": request.data.get("deployment-name"), "files": files})
        result = deployments.deploy(name=data["name"], files=[(f.name, f.read()) for f in data["files"]],
                                    actor=request.user.get_username())
        deployed = selectors.definitions().filter(id__in=[d.id for d in result.definitions])
        return Response({
            "links": [], "id": result.id, "name": result.name, "source": request.data.get("deployment-source"),
            "deploymentTime": format_date(timezone.now()), "tenantId": None,
            "deployedProcessDefinitions": {str(d.id): definition_dto(d) for d in deployed},
            "deployedCaseDefinitions": None,
            "deployedDecisionDefinitions": {str(d.id): decision_dto(d) for d in decision_selectors.definitions().filter(
                id__in=[d.id for d in result.decisions])} or None,
            "deployedDecisionRequirementsDefinitions": None,
        })


class DecisionDefinitionList(ListView):
    dto = staticmethod(decision_dto)
    required_roles = {"GET": READERS}
    sorts = {"key": "key", "name": "name", "version": "version", "id": "id", "deploymentId": "deployment_id"}

    def rows(self, request, params):
        return decision_selectors.definitions(key=params.get("key"), version=integer_param(params, "version", minimum=1),
                                              latest_only=bool(boolean_param(params, "latestVersion")))


class EvaluateDecision(EngineRestView):
    """POST /decision-definition/key/{key}/evaluate (the latest version) or /decision-definition/{id}/evaluate
    {variables} -> [{output name: {value, type, valueInfo}}], one per matched rule."""

    required_roles = {"POST": (roles.PROCESS_STARTER,)}

    def post(self, request, key=None, definition_id=None, **kwargs):
        version = None
        if definition_id is not None:
            found = decision_selectors.definitions(id=known_id(definition_id, "Decision definition")).first()
            if found is None:
                raise NotFound(f"Decision definition with id '{definition_id}' does not exist.")
            key, version = found.key, found.version
        results = decisions.evaluate(key=key, version=version,
                                     variables=parse_camunda_variables(body_of(request).get("variables")))
        return Response([variables_map(result) for result in results])
