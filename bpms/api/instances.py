from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from bpms.selectors import history, instances as selectors
from bpms.selectors.variables import typed_variables, typed_variables_of_instance, variables_for_instances
from bpms.services import instances as services
from bpms.services.variables import parse_variables
from eximee import roles
from eximee.api.idempotency import idempotent

from .common import pages_of, paginated, represent, valid
from .serializers import (
    CancelSerializer,
    InstanceSerializer,
    StartInstanceSerializer,
    TimelineEventSerializer,
    UserTaskSerializer,
    VariablesPatchSerializer,
)

READERS = (roles.PROCESS_STARTER, roles.OPERATOR, roles.AUDITOR, roles.TASK_MANAGER)


def instance_body(instance):
    instance = selectors.with_details(instance)
    body = represent(InstanceSerializer, instance)
    body["processVariables"] = typed_variables((v.name, v.type, v.value) for v in instance.variable_rows)
    body["businessData"] = instance.business_data
    body["openTasks"] = represent(UserTaskSerializer, instance.open_tasks, many=True)
    body["childInstanceIds"] = [str(child.id) for child in instance.child_rows]
    return body


def inline_variables(rows, items):
    from datamodel.selectors import business_data_for_instances
    variables = variables_for_instances([row.id for row in rows])
    data = business_data_for_instances([(row.id, row.business_key) for row in rows])
    for row, item in zip(rows, items):
        item["processVariables"] = variables[str(row.id)]
        item["businessData"] = data.get(str(row.id), data.get(row.id))


@pages_of(InstanceSerializer)
class ProcessInstancesView(APIView):
    required_roles = {"GET": READERS, "POST": (roles.PROCESS_STARTER,)}

    @extend_schema(request=StartInstanceSerializer, responses={201: InstanceSerializer})
    @idempotent
    def post(self, request, **kwargs):
        data = valid(StartInstanceSerializer, request.data)
        instance = services.start_process_instance(
            process_definition_key=data["processDefinitionKey"], version=data.get("version"),
            business_key=data.get("businessKey"), variables=parse_variables(data.get("processVariables")),
            business_data=data.get("businessData"), start_activity_id=data.get("startActivityId"),
            actor=request.user.username)
        return Response(instance_body(instance), status=201)

    def get(self, request, **kwargs):
        extend = inline_variables if request.query_params.get("includeVariables") == "true" else None
        return paginated(self, request, selectors.list_instances(request.query_params), InstanceSerializer, extend)


class ProcessInstanceView(APIView):
    required_roles = {"GET": READERS, "DELETE": (roles.OPERATOR,)}

    @extend_schema(responses=InstanceSerializer)
    def get(self, request, instance_id, **kwargs):
        return Response(instance_body(selectors.instance(instance_id)))

    @extend_schema(request=CancelSerializer, responses=InstanceSerializer)
    def delete(self, request, instance_id, **kwargs):
        data = valid(CancelSerializer, request.data or {})
        services.cancel(instance_id, reason=data.get("reason", ""), actor=request.user.username)
        return Response(instance_body(selectors.instance(instance_id)))


class SuspendView(APIView):
    required_roles = {"POST": (roles.OPERATOR,)}
    operation = staticmethod(services.suspend)

    @extend_schema(request=None, responses=InstanceSerializer)
    def post(self, request, instance_id, **kwargs):
        self.operation(instance_id, actor=request.user.username)
        return Response(instance_body(selectors.instance(instance_id)))


class ActivateView(SuspendView):
    operation = staticmethod(services.activate)


class VariableView(APIView):
    required_roles = {"PUT": (roles.OPERATOR,)}

    @extend_schema(request=OpenApiTypes.ANY, responses=OpenApiTypes.OBJECT)
    def put(self, request, instance_id, name, **kwargs):
        value = parse_variables({name: request.data}, pointer="")[name]
        services.modify_variables(instance_id, modifications={name: value}, deletions=[], actor=request.user.username)
        return Response(typed_variables_of_instance(instance_id))


class VariablesView(APIView):
    required_roles = {"GET": READERS, "PATCH": (roles.OPERATOR,)}

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, instance_id, **kwargs):
        selectors.instance(instance_id)
        return Response(typed_variables_of_instance(instance_id))

    @extend_schema(request=VariablesPatchSerializer, responses=OpenApiTypes.OBJECT)
    def patch(self, request, instance_id, **kwargs):
        data = valid(VariablesPatchSerializer, request.data)
        services.modify_variables(instance_id, modifications=parse_variables(data.get("modifications"), "/modifications"),
                                  deletions=data.get("deletions", []), actor=request.user.username)
        return Response(typed_variables_of_instance(instance_id))


@pages_of(TimelineEventSerializer)
class TimelineView(APIView):
    required_roles = {"GET": (roles.OPERATOR, roles.AUDITOR, roles.PROCESS_STARTER, roles.TASK_MANAGER)}

    def get(self, request, instance_id, **kwargs):
        selectors.instance(instance_id)
        return paginated(self, request, history.instance_timeline(instance_id), TimelineEventSerializer)
