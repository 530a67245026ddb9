import re

from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics, status
from rest_framework.response import Response

from eximee import roles
from eximee.api.idempotency import idempotent
from eximee.errors import PreconditionFailed

from .. import filtersets
from ..selectors import cases as case_selectors
from ..selectors import events as event_selectors
from ..services.cases import change_status, create_case
from ..services.events import receive_event
from .serializers import (CaseCreateSerializer, CaseSerializer, EventInSerializer, EventSerializer,
                          HistoryEntrySerializer, StatusChangeSerializer)

_ETAG = re.compile(r'^(?:W/)?"(\d+)"$')


def etag(case):
    return f'"{case.version}"'


def expected_version(request):
    """The case version named by If-Match; None when absent or "*". A tag that is no version of
    ours can match nothing, so it fails the precondition like a stale one."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    tags = [tag.strip() for tag in header.split(",")]
    matches = [_ETAG.match(tag) for tag in tags]
    if len(tags) != 1 or not matches[0]:
        raise PreconditionFailed("If-Match must carry the one ETag of the case as returned by the API.")
    return int(matches[0].group(1))


def case_response(case, status_code=status.HTTP_200_OK, headers=None):
    return Response(CaseSerializer(case).data, status=status_code, headers={"ETag": etag(case), **(headers or {})})


def actor_of(request):
    return request.user.get_username()


class CaseList(generics.ListCreateAPIView):
    required_roles = {"GET": (roles.CASE_READER,), "POST": (roles.CASE_WRITER,)}
    serializer_class = CaseSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filtersets.CaseFilter

    def get_queryset(self):
        return case_selectors.cases()

    def get_serializer_class(self):
        return CaseCreateSerializer if self.request.method == "POST" else CaseSerializer

    @idempotent
    def post(self, request, *args, **kwargs):
        given = CaseCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        case = create_case(case_number=data["caseNumber"], case_type=data["caseType"], status=data.get("status"),
                           reason=data["reason"], attributes=data["attributes"], actor=actor_of(request))
        location = reverse("v1:case-detail", kwargs={"case_id": case.id})
        return case_response(case, status.HTTP_201_CREATED, {"Location": location})


class CaseDetail(generics.GenericAPIView):
    required_roles = {"GET": (roles.CASE_READER,)}
    serializer_class = CaseSerializer

    def get(self, request, case_id, **kwargs):
        return case_response(case_selectors.case(case_id))


class CaseStatus(generics.GenericAPIView):
    """PUT {status, reason}; send the case's ETag in If-Match to be sure nobody changed it since."""

    required_roles = {"PUT": (roles.CASE_WRITER,)}
    serializer_class = StatusChangeSerializer

    def put(self, request, case_id, **kwargs):
        given = StatusChangeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = change_status(case_id=case_id, status=given.validated_data["status"],
                             reason=given.validated_data["reason"], actor=actor_of(request),
                             expected_version=expected_version(request))
        return case_response(case)


class CaseHistory(generics.ListAPIView):
    """The case's timeline across every app: status changes, processes, tasks, variables,
    incidents, documents, events; oldest first."""

    required_roles = {"GET": (roles.CASE_READER, roles.AUDITOR)}
    serializer_class = HistoryEntrySerializer

    def get_queryset(self):
        return case_selectors.case_history(case_selectors.case(self.kwargs["case_id"]))


class EventList(generics.ListCreateAPIView):
    """POST an event from an external domain; a repeat of (source, eventId) answers 200 with the
    first outcome and header Idempotent-Replayed: true."""

    required_roles = {"GET": (roles.CASE_READER, roles.AUDITOR), "POST": (roles.EVENT_PUBLISHER,)}
    serializer_class = EventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filtersets.EventFilter

    def get_queryset(self):
        return event_selectors.events()

    def get_serializer_class(self):
        return EventInSerializer if self.request.method == "POST" else EventSerializer

    def post(self, request, *args, **kwargs):
        given = EventInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        event, created = receive_event(
            event_type=data["eventType"], source=data["source"], event_id=data["eventId"],
            occurred_at=data["occurredAt"], correlation=data["correlation"], payload=data["payload"],
            actor=actor_of(request))
        headers = {"Location": reverse("v1:event-detail", kwargs={"event_id": event.id})}
        if not created:
            headers["Idempotent-Replayed"] = "true"
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
                        headers=headers)


class EventDetail(generics.GenericAPIView):
    required_roles = {"GET": (roles.CASE_READER, roles.AUDITOR)}
    serializer_class = EventSerializer

    def get(self, request, event_id, **kwargs):
        return Response(EventSerializer(event_selectors.event(event_id)).data)
