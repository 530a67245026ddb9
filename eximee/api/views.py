import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from eximee import roles
from eximee.api.filters import IsoDateTimeFilter
from eximee.api.serializers import AuditEntrySerializer
from eximee.models import AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter()
    clientId = django_filters.CharFilter(field_name="client_id")
    operation = django_filters.CharFilter()
    outcome = django_filters.CharFilter()
    requestId = django_filters.CharFilter(field_name="request_id")
    # A target is a path: a prefix finds everything under a resource (/v1/cases/<id>).
    target = django_filters.CharFilter(lookup_expr="startswith")
    occurredAfter = IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurredBefore = IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")

    class Meta:
        model = AuditEntry
        fields = []


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail, newest first; read-only (it is append-only everywhere)."""

    required_roles = {"*": (roles.AUDITOR,)}
    serializer_class = AuditEntrySerializer
    queryset = AuditEntry.objects.order_by("-occurred_at", "-id")
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditEntryFilter
