"""Dashboard pages of cases and events (names in the "dashboard" namespace)."""

from django.urls import path

from cases import views

urlpatterns = [
    path("cases/", views.CaseList.as_view(), name="case-list"),
    path("cases/<uuid:pk>/", views.CaseDetail.as_view(), name="case-detail"),
    path("events/", views.EventList.as_view(), name="event-list"),
    path("events/<uuid:pk>/", views.EventDetail.as_view(), name="event-detail"),
]
