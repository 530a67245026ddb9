"""Read-only dashboard view of the configuration (merged per application and profile, secrets
masked unless the user holds config-secret-reader), from configuration.selectors like the API."""

from django.views.generic import TemplateView

from configuration.models import DEFAULT_PROFILE, ConfigProperty
from configuration.selectors import configuration_view
from eximee import roles
from eximee.dashboard import DashboardView
from eximee.errors import NotFound


class ConfigurationPage(DashboardView, TemplateView):
    template_name = "configuration/configuration.html"
    required_roles = {"GET": (roles.CONFIG_READER,)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pairs = ConfigProperty.objects.order_by("application", "profile").values_list("application", "profile").distinct()
        applications = {}
        for application, profile in pairs:
            applications.setdefault(application, [DEFAULT_PROFILE])
            if profile != DEFAULT_PROFILE:
                applications[application].append(profile)
        application = self.request.GET.get("application") or next(iter(applications), "")
        profile = self.request.GET.get("profile") or DEFAULT_PROFILE
        try:
            view = configuration_view(application, profile, show_secrets=roles.has_any_role(
                self.request.user, roles.CONFIG_SECRET_READER)) if application else None
        except NotFound:
            view = None
        context.update(applications=applications, application=application, profile=profile, view=view)
        return context
