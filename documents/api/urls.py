from django.urls import path

from . import views

urlpatterns = [
    path("documents/generation-requests", views.GenerationRequestCreate.as_view(),
         name="document-generation-requests"),
    path("documents/generation-requests/<uuid:request_id>", views.GenerationRequestDetail.as_view(),
         name="document-generation-request"),
    path("documents/<uuid:document_id>", views.DocumentDetail.as_view(), name="document"),
    path("documents/<uuid:document_id>/content", views.DocumentContent.as_view(), name="document-content"),
]
