"""/process-instance: running instances, their variables, cancellation."""

from rest_framework.response import Response

from bpms.api.instances import READERS
from bpms.models import ProcessInstance
from bpms.selectors import instances as selectors
from bpms.services import instances as services
from bpms.services.variables import parse_camunda_variables
from eximee import roles
from eximee.errors import InvalidRequest, NotFound

from ..common import (
    EngineRestView,
    QueryListView,
    body_of,
    boolean_param,
    id_list,
    id_param,
    known_id,
    narrowed,
    no_content,
    translated,
)
from ..dto import instance_dto
from ..variables import instance_variables

OPERATORS = (roles.OPERATOR,)
SORTS = {"instanceId": "id", "definitionKey": "process_definition_key", "definitionId": "definition_id",
         "businessKey": "business_key"}


def variable_filters(params, name):
    """Camunda's variable filters: `name_op_value` strings (GET), or [{name, operator, value}] (POST)."""
    filters = []
    for item in params.getlist(name):
        if isinstance(item, dict):
            filters.append(f"{item.get('name')}_{item.get('operator')}_{item.get('value')}")
        else:
            filters.append(item)
    return filters


def running_instance(instance_id):
    instance = selectors.instance(known_id(instance_id, "Process instance"))
    if instance.state != ProcessInstance.ACTIVE:
        raise NotFound(f"Process instance with id {instance_id} does not exist")
    return instance


def instance_query(params, *, state):
    query = translated(params, {"processDefinitionKey": "processDefinitionKey", "businessKey": "businessKey",
                                "startedAfter": "startedAfter", "startedBefore": "startedBefore",
                                "endedAfter": "finishedAfter", "endedBefore": "finishedBefore"})
    if state:
        query["state"] = state
    query.setlist("variables", variable_filters(params, "variables"))
    rows = selectors.list_instances(query)
    ids = id_list(params, "processInstanceIds") or id_list(params, "processInstanceId")
    if ids is not None:
        rows = rows.filter(id__in=ids)
    return narrowed(rows, definition_id=id_param(params, "processDefinitionId", "Process definition"),
                    parent_id=id_param(params, "superProcessInstance", "Process instance"))


class InstanceList(QueryListView):
    required_roles = {"GET": READERS, "POST": READERS}
    sorts = SORTS

    def rows(self, request, params):
        state = "active"
        if boolean_param(params, "suspended"):
            state = "suspended"
        elif boolean_param(params, "withIncident"):
            state = "incident"
        return instance_query(params, state=state)

    def dto(self, row):
        return instance_dto(row, self.request.build_absolute_uri("/engine-rest"))


class InstanceDetail(EngineRestView):
    required_roles = {"GET": READERS, "DELETE": OPERATORS}

    def get(self, request, instance_id, **kwargs):
        return Response(instance_dto(running_instance(instance_id), request.build_absolute_uri("/engine-rest")))

    def delete(self, request, instance_id, **kwargs):
        instance = running_instance(instance_id)
        services.cancel(instance.id, reason=request.query_params.get("deleteReason", ""),
                        actor=request.user.get_username())
        return no_content()


class Suspension(EngineRestView):
    """PUT {suspended: true|false} -> 204."""

    required_roles = {"PUT": OPERATORS}

    def put(self, request, instance_id, **kwargs):
        instance = running_instance(instance_id)
        suspended = body_of(request).get("suspended")
        if not isinstance(suspended, bool):
            raise InvalidRequest("suspended must be true or false.", errors=[{"pointer": "/suspended", "detail": "boolean"}])
        (services.suspend if suspended else services.activate)(instance.id, actor=request.user.get_username())
        return no_content()


class InstanceVariables(EngineRestView):
    """GET all; POST {modifications, deletions} -> 204."""

    required_roles = {"GET": READERS, "POST": OPERATORS}

    def get(self, request, instance_id, **kwargs):
        return Response(instance_variables(running_instance(instance_id).id))

    def post(self, request, instance_id, **kwargs):
        instance = running_instance(instance_id)
        body = body_of(request)
        deletions = body.get("deletions") or []
        if not isinstance(deletions, list) or not all(isinstance(name, str) for name in deletions):
            raise InvalidRequest("deletions must be a list of variable names.",
                                 errors=[{"pointer": "/deletions", "detail": "list of strings"}])
        services.modify_variables(instance.id, modifications=parse_camunda_variables(body.get("modifications"),
                                                                                     "/modifications"),
                                  deletions=deletions, actor=request.user.get_username())
        return no_content()


class InstanceVariable(EngineRestView):
    required_roles = {"GET": READERS, "PUT": OPERATORS, "DELETE": OPERATORS}

    def get(self, request, instance_id, name, **kwargs):
        variables = instance_variables(running_instance(instance_id).id)
        if name not in variables:
            raise NotFound(f"process instance variable with name {name} does not exist")
        return Response(variables[name])

    def put(self, request, instance_id, name, **kwargs):
        instance = running_instance(instance_id)
        value = parse_camunda_variables({name: request.data}, pointer="")[name]
        services.modify_variables(instance.id, modifications={name: value}, deletions=[],
                                  actor=request.user.get_username())
        return no_content()

    def delete(self, request, instance_id, name, **kwargs):
        instance = running_instance(instance_id)
        services.modify_variables(instance.id, modifications={}, deletions=[name], actor=request.user.get_username())
        return no_content()
