import hashlib
import json

from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from eximee import roles

from ..selectors import configuration_view
from .serializers import ConfigurationSerializer


def etag_of(body):
    return '"' + hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32] + '"'


def matches(if_none_match, tag):
    if if_none_match is None:
        return False
    given = [value.strip().removeprefix("W/") for value in if_none_match.split(",")]
    return "*" in given or tag in given


class ConfigurationDetail(GenericAPIView):
    """The merged configuration of an application for a profile (profile over default). Read-only:
    administrators change it in the admin, so every other method is 405. Send the ETag back in
    If-None-Match to get 304 while nothing changed."""

    # Every method is declared so that writes by readers reach DRF's 405 instead of a 403.
    required_roles = {"*": (roles.CONFIG_READER,)}
    serializer_class = ConfigurationSerializer

    def get(self, request, application, profile, **kwargs):
        body = configuration_view(application, profile,
                                  show_secrets=roles.has_any_role(request.user, roles.CONFIG_SECRET_READER))
        tag = etag_of(body)
        # The representation differs by role (masked or not), so shared caches must not keep it.
        headers = {"ETag": tag, "Cache-Control": "private, no-cache", "Vary": "Authorization, Cookie"}
        if matches(request.headers.get("If-None-Match"), tag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(body, headers=headers)
