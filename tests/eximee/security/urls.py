"""The real URLs plus probes: one endpoint per domain role (a class of endpoints only that role
may call), a whoami, and a model change, for the security tests."""

from django.contrib.auth.models import Group
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from eximee import roles
from eximee.permissions import PUBLIC
from eximee.urls import urlpatterns as real_urlpatterns


class WhoAmI(APIView):
    required_roles = {"GET": roles.ALL_ROLES}

    def get(self, request, **kwargs):
        return Response({"user": request.user.get_username(), "roles": sorted(roles.roles_of(request.user)),
                         "clientId": request.auth.get("client_id") if isinstance(request.auth, dict) else None})


class CreateGroup(APIView):
    """A plain model change through the API, for django-auditlog's actor."""

    required_roles = {"POST": (roles.OPERATOR,)}

    def post(self, request, **kwargs):
        group = Group.objects.create(name=request.data["name"])
        return Response({"id": group.id}, status=201)


class Public(APIView):
    required_roles = PUBLIC

    def get(self, request, **kwargs):
        return Response({})


class Limited(APIView):
    required_roles = {"GET": roles.ALL_ROLES}
    rate_limit_class = "probe.limited"

    def get(self, request, **kwargs):
        return Response({})


def role_probe(role):
    return type(f"Probe_{role.replace('-', '_')}", (APIView,), {
        "required_roles": {"*": (role,)},
        "get": lambda self, request, **kwargs: Response({"role": role}),
        "post": lambda self, request, **kwargs: Response({"role": role}),
    }).as_view()


probes = [
    path("whoami", WhoAmI.as_view()),
    path("groups", CreateGroup.as_view()),
    path("limited", Limited.as_view()),
    path("public", Public.as_view()),
    *[path(f"role/{role}", role_probe(role)) for role in roles.ALL_ROLES],
]

urlpatterns = [path("probe/", include(probes)), *real_urlpatterns]

handler403 = "eximee.api.problems.permission_denied"
handler404 = "eximee.api.problems.page_not_found"
handler500 = "eximee.api.problems.server_error"
