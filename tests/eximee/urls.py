"""A tiny API used only by the tests of the shared API conventions."""

from django.contrib.auth.models import Group
from django.urls import include, path
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from eximee import errors
from eximee.api.idempotency import idempotent
from eximee.permissions import PUBLIC


class GroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["id", "name"]


class GroupList(generics.ListAPIView):
    required_roles = {"GET": ("case-reader",)}
    serializer_class = GroupSerializer
    queryset = Group.objects.order_by("name", "id")


class GroupCreate(APIView):
    required_roles = {"POST": ("case-writer",)}

    @idempotent
    def post(self, request, version=None):
        serializer = GroupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = serializer.save()
        return Response(GroupSerializer(group).data, status=201, headers={"Location": f"/groups/{group.id}"})


class AlwaysThrottled(BaseThrottle):
    def allow_request(self, request, view):
        return False

    def wait(self):
        return 7


class Failing(APIView):
    required_roles = PUBLIC
    raises = {
        "conflict": errors.Conflict("Task is already claimed by someone else."),
        "precondition": errors.PreconditionFailed("Version 3 is stale; current is 4."),
        "rule": errors.RuleViolation("Amount exceeds limit.", errors=[{"pointer": "/amount", "detail": "max 10"}]),
        "missing": errors.NotFound("No case 42."),
        "crash": ZeroDivisionError("boom"),
    }

    def get(self, request, kind, version=None):
        raise self.raises[kind]


class Throttled(APIView):
    required_roles = PUBLIC
    throttle_classes = [AlwaysThrottled]

    def get(self, request, version=None):
        return Response({})


class Undeclared(APIView):
    def get(self, request, version=None):
        return Response({"secret": True})


v1 = [
    path("groups/", GroupList.as_view()),
    path("groups/create", GroupCreate.as_view()),
    path("fail/<str:kind>", Failing.as_view()),
    path("throttled", Throttled.as_view()),
    path("undeclared", Undeclared.as_view()),
]

urlpatterns = [path("v1/", include((v1, "v1"), namespace="v1"))]

handler404 = "eximee.api.problems.page_not_found"
handler500 = "eximee.api.problems.server_error"
