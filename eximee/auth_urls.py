"""Dashboard sign-in and sign-out, mounted under /auth/ (the OIDC callback is /auth/oidc/callback/)."""

from django.urls import include, path
from mozilla_django_oidc import urls as oidc_urls

from eximee.dashboard_login import LogoutView, SignInView

# authenticate/ and callback/ of mozilla-django-oidc; its logout/ is replaced by ours (which also
# ends the session at the provider)
oidc_patterns = [pattern for pattern in oidc_urls.urlpatterns if pattern.name != "oidc_logout"]

urlpatterns = [
    path("login/", SignInView.as_view(), name="auth-login"),
    path("logout/", LogoutView.as_view(), name="auth-logout"),
    path("oidc/", include(oidc_patterns)),
]
