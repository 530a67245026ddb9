"""Filters of the dashboard's document requests."""

import django_filters
from django import forms

from documents.models import GenerationRequest


class GenerationRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=GenerationRequest.Status.choices, empty_label="any")
    template = django_filters.CharFilter(field_name="template__code", label="Template code")
    business_key = django_filters.CharFilter(label="Case number / business key")
    requested_after = django_filters.DateFilter(field_name="created", lookup_expr="date__gte",
                                                label="Requested on or after",
                                                widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = GenerationRequest
        fields = []
