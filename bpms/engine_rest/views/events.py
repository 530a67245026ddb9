"""/message and /signal."""

from rest_framework.response import Response

from bpms.api import messages as v1
from bpms.models import ProcessInstance
from bpms.services import messages as services, signals
from bpms.services.variables import parse_camunda_variables
from eximee import roles
from eximee.errors import Conflict, InvalidRequest, NotFound

from ..common import EngineRestView, MismatchingMessageCorrelation, body_of, no_content
from ..dto import instance_dto
from ..variables import instance_variables

PUBLISHERS = (roles.EVENT_PUBLISHER,)


class CorrelateMessage(EngineRestView):
    """204; with resultEnabled 200 and what was triggered. No match, or several with all=false: 400."""

    required_roles = {"POST": PUBLISHERS}

    def post(self, request, **kwargs):
        body = body_of(request)
        for unsupported in ("localCorrelationKeys", "processVariablesLocal"):
            if body.get(unsupported):
                raise InvalidRequest(f"{unsupported} is not supported by this engine.",
                                     errors=[{"pointer": f"/{unsupported}", "detail": "not supported"}])
        data = v1.valid(v1.MessageSerializer, {key: value for key, value in body.items()
                                               if key in ("messageName", "businessKey", "processInstanceId", "all")
                                               and value is not None})
        try:
            results = services.correlate(
                data["messageName"], business_key=data["businessKey"], process_instance_id=data["processInstanceId"],
                correlation_keys=parse_camunda_variables(body.get("correlationKeys"), "/correlationKeys"),
                variables=parse_camunda_variables(body.get("processVariables"), "/processVariables"),
                all=data["all"], actor=request.user.get_username())
        except NotFound as exc:
            if not data["all"]:
                raise MismatchingMessageCorrelation(f"Cannot correlate message '{data['messageName']}': "
                                                    f"{exc.detail}") from exc
            results = []
        except Conflict as exc:
            raise MismatchingMessageCorrelation(f"Cannot correlate message '{data['messageName']}': "
                                                f"{exc.detail}") from exc
        if body.get("resultEnabled") is not True:
            return no_content()
        return Response([self.result(request, result, body.get("variablesInResultEnabled") is True)
                         for result in results])

    @staticmethod
    def result(request, result, with_variables):
        instance = ProcessInstance.objects.get(id=result["processInstanceId"])
        started = result["resultType"] == "ProcessDefinition"
        body = {
            "resultType": result["resultType"],
            "processInstance": instance_dto(instance, request.build_absolute_uri("/engine-rest")) if started else None,
            "execution": None if started else {"id": str(instance.id), "processInstanceId": str(instance.id),
                                               "ended": instance.state != ProcessInstance.ACTIVE, "tenantId": None},
        }
        if with_variables:
            body["variables"] = instance_variables(instance.id)
        return body


class ThrowSignal(EngineRestView):
    """204 once every waiting instance and signal start event was reached."""

    required_roles = {"POST": PUBLISHERS}

    def post(self, request, **kwargs):
        body = body_of(request)
        if body.get("executionId"):
            raise InvalidRequest("Signalling a single execution is not supported.",
                                 errors=[{"pointer": "/executionId", "detail": "not supported"}])
        signals.broadcast(body.get("name"), variables=parse_camunda_variables(body.get("variables")),
                          actor=request.user.get_username())
        return no_content()
