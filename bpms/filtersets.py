"""Filters of the dashboard's bpms lists (the API has its own query parameters in bpms/api)."""

import django_filters
from django import forms

from bpms.models import Incident, ProcessDefinition, ProcessInstance


def process_key_choices():
    keys = ProcessDefinition.objects.order_by("key").values_list("key", flat=True).distinct()
    return [(key, key) for key in keys]


class DateInput(forms.DateInput):
    input_type = "date"


YES_NO_ANY = [("", "any"), ("true", "yes"), ("false", "no")]


class ProcessInstanceFilter(django_filters.FilterSet):
    process = django_filters.ChoiceFilter(field_name="process_definition_key", label="Process",
                                          choices=process_key_choices)
    state = django_filters.ChoiceFilter(choices=ProcessInstance.STATES, empty_label="any")
    business_key = django_filters.CharFilter(lookup_expr="icontains", label="Business key")
    incident = django_filters.BooleanFilter(field_name="has_incident", label="Has an open incident",
                                            widget=forms.Select(choices=YES_NO_ANY))
    suspended = django_filters.BooleanFilter(widget=forms.Select(choices=YES_NO_ANY))
    started_after = django_filters.DateFilter(field_name="started_at", lookup_expr="date__gte",
                                              label="Started on or after", widget=DateInput)
    started_before = django_filters.DateFilter(field_name="started_at", lookup_expr="date__lte",
                                               label="Started on or before", widget=DateInput)

    class Meta:
        model = ProcessInstance
        fields = []


class IncidentFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(field_name="resolved_at", lookup_expr="isnull", label="Open",
                                        widget=forms.Select(choices=YES_NO_ANY))
    process = django_filters.ChoiceFilter(field_name="process_definition_key", label="Process",
                                          choices=process_key_choices)
    type = django_filters.ChoiceFilter(choices=Incident.TYPES, empty_label="any")
    activity = django_filters.CharFilter(field_name="activity_id", label="Activity id")
    business_key = django_filters.CharFilter(lookup_expr="icontains", label="Business key")
    message = django_filters.CharFilter(lookup_expr="icontains", label="Error message contains")
    process_instance = django_filters.UUIDFilter(field_name="process_instance_id", label="Process instance id")
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte",
                                              label="Created on or after", widget=DateInput)
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte",
                                               label="Created on or before", widget=DateInput)

    class Meta:
        model = Incident
        fields = []
