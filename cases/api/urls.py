from django.urls import path

from . import views

urlpatterns = [
    path("cases", views.CaseList.as_view(), name="case-list"),
    path("cases/<uuid:case_id>", views.CaseDetail.as_view(), name="case-detail"),
    path("cases/<uuid:case_id>/status", views.CaseStatus.as_view(), name="case-status"),
    path("cases/<uuid:case_id>/history", views.CaseHistory.as_view(), name="case-history"),
    path("events", views.EventList.as_view(), name="event-list"),
    path("events/<uuid:event_id>", views.EventDetail.as_view(), name="event-detail"),
]
