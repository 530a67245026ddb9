import django_filters

from eximee.api.filters import IsoDateTimeFilter

from .models import Case, DomainEvent


class CaseFilter(django_filters.FilterSet):
    caseNumber = django_filters.CharFilter(field_name="case_number")
    type = django_filters.CharFilter(field_name="case_type__name")
    status = django_filters.CharFilter(field_name="status")
    updatedAfter = IsoDateTimeFilter(field_name="updated", lookup_expr="gte")
    updatedBefore = IsoDateTimeFilter(field_name="updated", lookup_expr="lt")

    class Meta:
        model = Case
        fields = []


class EventFilter(django_filters.FilterSet):
    type = django_filters.CharFilter(field_name="event_type")
    source = django_filters.CharFilter(field_name="source")
    caseNumber = django_filters.CharFilter(field_name="case_number")
    outcome = django_filters.ChoiceFilter(field_name="outcome", choices=DomainEvent.OUTCOMES)

    class Meta:
        model = DomainEvent
        fields = []
