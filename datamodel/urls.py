"""Dashboard pages of data models (names in the "dashboard" namespace)."""

from django.urls import path

from datamodel import views

urlpatterns = [
    path("data-models/", views.DataModelList.as_view(), name="datamodel-list"),
    path("data-models/<slug:name>/", views.DataModelDetail.as_view(), name="datamodel-detail"),
]
