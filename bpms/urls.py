"""Dashboard pages of the process engine (names in the "dashboard" namespace)."""

from django.urls import path

from bpms import views

urlpatterns = [
    path("instances/", views.InstanceList.as_view(), name="instance-list"),
    path("instances/<uuid:pk>/", views.InstanceDetail.as_view(), name="instance-detail"),
]
