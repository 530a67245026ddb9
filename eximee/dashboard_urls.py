"""Dashboard pages, mounted at the site root. Each app adds its pages in <app>/urls.py; their names
share the "dashboard" namespace (reverse as "dashboard:<name>")."""

from django.urls import include, path

from eximee.dashboard import Overview

app_name = "dashboard"

urlpatterns = [
    path("", Overview.as_view(), name="overview"),
    path("", include("bpms.urls")),
    path("", include("cases.urls")),
    path("", include("documents.urls")),
    path("", include("datamodel.urls")),
    path("", include("configuration.urls")),
]
