"""Dashboard sign-in: OpenID Connect authorization code flow with PKCE (mozilla-django-oidc), the
optional local login of the demo, and logout.

The provider's endpoints are discovered from OIDC_ISSUER (the same discovery the API's token
check uses), only when someone actually signs in. People get the same Django user and the same
domain roles as their bearer tokens would give them (eximee.auth)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import LoginView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django_ratelimit.decorators import ratelimit
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from eximee import errors
from eximee.auth import InvalidToken, groups_from_claims, issuer, mirror_groups, username_from_claims

# mozilla-django-oidc setting -> key of the provider's discovery document
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def oidc_setting(attr, *default):
    if attr in _DISCOVERED and not getattr(settings, attr, None):
        return issuer().endpoint(_DISCOVERED[attr])
    return import_from_settings(attr, *default)


class DashboardOIDCBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # The parent resolves every endpoint here, and Django builds a backend for each
        # session request (get_user): discovery waits until a sign-in needs it (properties below).
        self.UserModel = get_user_model()

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=username_from_claims(claims))

    def create_user(self, claims):
        user = self.UserModel(username=username_from_claims(claims), email=claims.get("email") or "")
        user.set_unusable_password()
        user.save()
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        if user.has_usable_password():
            raise SuspiciousOperation("The provider's user name collides with a local account.")
        mirror_groups(user, groups_from_claims(claims))
        return user

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except InvalidToken:
            return None


class OIDCLoginStart(OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs):
        # The parent discovers the endpoint here, where an unreachable provider could not be
        # answered with a page; the property below defers it into get().
        View.__init__(self, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    OIDC_OP_AUTH_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT"))

    def get(self, request):
        try:
            return super().get(request)
        except errors.ServiceUnavailable:
            messages.error(request, "The sign-in service cannot be reached; try again in a moment.")
            return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))


def provider_logout_url(request):
    """Where to send someone after logging them out here: the provider's end-session endpoint
    (so the single sign-on session ends too) when they came through it."""
    id_token = request.session.get("oidc_id_token")
    back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    try:
        end_session = issuer().metadata.get("end_session_endpoint") if id_token and settings.OIDC_ISSUER else None
    except errors.ServiceUnavailable:  # the session here still ends
        end_session = None
    if not end_session:
        return back
    return f"{end_session}?{urlencode({'id_token_hint': id_token, 'post_logout_redirect_uri': back})}"


class LogoutView(View):
    """POST only (a link or an image must not log anyone out)."""

    http_method_names = ["post"]

    def post(self, request):
        target = provider_logout_url(request)
        request.audit_actor = request.user  # the audit entry is written after the logout
        auth.logout(request)
        return HttpResponseRedirect(target)


def _local_login_rate(group, request):
    return settings.LOCAL_LOGIN_RATE


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
@method_decorator(ratelimit(key="ip", rate=_local_login_rate, method="POST", block=True), name="post")
class SignInView(LoginView):
    """The sign-in page: "Sign in with your organisation" (OIDC) and, only when DEMO_LOCAL_LOGIN
    is on, a local user name and password form."""

    template_name = "registration/login.html"

    def post(self, request, *args, **kwargs):
        if not settings.DEMO_LOCAL_LOGIN:
            raise Http404("Local login is disabled.")
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        self.request.audit_outcome = "invalid-credentials"
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "local_login": settings.DEMO_LOCAL_LOGIN,
                "oidc_login": bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)}
