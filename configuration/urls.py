"""Dashboard page of the configuration (name in the "dashboard" namespace)."""

from django.urls import path

from configuration import views

urlpatterns = [
    path("configuration/", views.ConfigurationPage.as_view(), name="configuration"),
]
