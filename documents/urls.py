"""Dashboard pages of documents (names in the "dashboard" namespace)."""

from django.urls import path

from documents import views

urlpatterns = [
    path("documents/", views.DocumentList.as_view(), name="document-list"),
    path("documents/request/", views.DocumentRequest.as_view(), name="document-request"),
]
