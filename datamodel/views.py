"""Read-only dashboard pages of the application data models: versions and their field structure."""

from django.http import Http404
from django.views.generic import TemplateView

from datamodel import selectors
from datamodel.structure import flatten
from eximee import roles
from eximee.dashboard import DashboardView
from eximee.errors import NotFound

READERS = {"GET": (roles.DATAMODEL_READER,)}


class DataModelList(DashboardView, TemplateView):
    template_name = "datamodel/datamodel_list.html"
    required_roles = READERS

    def get_context_data(self, **kwargs):
        return super().get_context_data(models=selectors.data_models(), **kwargs)


class DataModelDetail(DashboardView, TemplateView):
    template_name = "datamodel/datamodel_detail.html"
    required_roles = READERS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            model = selectors.data_model(self.kwargs["name"])
        except NotFound:
            raise Http404("No such data model.") from None
        versions = list(model.versions.order_by("-version"))
        wanted = self.request.GET.get("version")
        current = next((v for v in versions if str(v.version) == wanted), versions[0] if versions else None)
        context.update(model=model, versions=versions, current=current,
                       fields=flatten(current.schema) if current else [],
                       record_count=selectors.records(model.name).count())
        return context
