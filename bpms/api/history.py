from rest_framework.views import APIView

from bpms.selectors import history as selectors
from eximee import roles

from .common import pages_of, paginated
from .instances import inline_variables
from .serializers import ActivityInstanceSerializer, HistoricTaskSerializer, InstanceSerializer, VariableChangeSerializer

HISTORY_READERS = (roles.AUDITOR, roles.OPERATOR)


class _HistoryView(APIView):
    required_roles = {"GET": HISTORY_READERS}
    extend = None

    def get(self, request, **kwargs):
        return paginated(self, request, self.query(request.query_params), self.serializer_class, self.extend)


@pages_of(InstanceSerializer)
class HistoricInstancesView(_HistoryView):
    query = staticmethod(selectors.process_instances)
    serializer_class = InstanceSerializer

    def get(self, request, **kwargs):
        self.extend = inline_variables if request.query_params.get("includeVariables") == "true" else None
        return super().get(request, **kwargs)


@pages_of(ActivityInstanceSerializer)
class HistoricActivitiesView(_HistoryView):
    query = staticmethod(selectors.activity_instances)
    serializer_class = ActivityInstanceSerializer


@pages_of(HistoricTaskSerializer)
class HistoricTasksView(_HistoryView):
    query = staticmethod(selectors.tasks)
    serializer_class = HistoricTaskSerializer


@pages_of(VariableChangeSerializer)
class HistoricVariablesView(_HistoryView):
    query = staticmethod(selectors.variable_changes)
    serializer_class = VariableChangeSerializer
