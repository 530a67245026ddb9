from django.urls import path

from . import views

urlpatterns = [
    path("configuration/<slug:application>/<slug:profile>", views.ConfigurationDetail.as_view(),
         name="configuration-detail"),
]
