from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from eximee import health
from eximee.permissions import PUBLIC


class _Public:
    required_roles = PUBLIC


# The API is versioned by URL namespace ("v1"); every app mounts its api/urls.py under it.
v1_patterns = [
    path("schema/", type("SchemaView", (_Public, SpectacularAPIView), {}).as_view(), name="schema"),
    path("docs/", type("SwaggerView", (_Public, SpectacularSwaggerView), {}).as_view(url_name="v1:schema"),
         name="swagger-ui"),
    path("redoc/", type("RedocView", (_Public, SpectacularRedocView), {}).as_view(url_name="v1:schema"),
         name="redoc"),
    path("", include("eximee.api.urls")),
    path("", include("bpms.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("datamodel.api.urls")),
    path("", include("configuration.api.urls")),
    path("", include("documents.api.urls")),
]

urlpatterns = [
    path("v1/", include((v1_patterns, "v1"), namespace="v1")),
    path("engine-rest/", include(("bpms.engine_rest.urls", "engine-rest"), namespace="engine-rest")),
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("admin/", admin.site.urls),
    path("auth/", include("eximee.auth_urls")),
    path("", include("eximee.dashboard_urls")),
    path("", include("django_prometheus.urls")),
]

handler400 = "eximee.api.problems.bad_request"
handler403 = "eximee.api.problems.permission_denied"
handler404 = "eximee.api.problems.page_not_found"
handler500 = "eximee.api.problems.server_error"
