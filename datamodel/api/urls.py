from django.urls import path

from . import views

urlpatterns = [
    path("data-models", views.DataModelList.as_view(), name="data-model-list"),
    path("data-models/<slug:name>", views.DataModelDetail.as_view(), name="data-model-detail"),
    path("data-models/<slug:name>/versions/<int:version>/structure", views.DataModelStructure.as_view(),
         name="data-model-structure"),
    path("data-models/<slug:name>/records", views.DataRecordList.as_view(), name="data-record-list"),
    path("data-models/<slug:name>/records/<uuid:record_id>", views.DataRecordDetail.as_view(),
         name="data-record-detail"),
    path("data-models/<slug:name>/records/<uuid:record_id>/revisions", views.DataRecordRevisions.as_view(),
         name="data-record-revisions"),
]
