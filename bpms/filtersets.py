"""Filters of the dashboard's bpms lists (the API has its own query parameters in bpms/api)."""

import django_filters
from django import forms
from django.utils import timezone

from bpms.models import Incident, ProcessDefinition, ProcessInstance, UserTask


def process_key_choices():
    keys = ProcessDefinition.objects.order_by("key").values_list("key", flat=True).distinct()
    return [(key, key) for key in keys]


class DateInput(forms.DateInput):
    input_type = "date"


YES_NO_ANY = [("", "any"), ("true", "yes"), ("false", "no")]


class ProcessInstanceFilter(django_filters.FilterSet):
    process = django_filters.ChoiceFilter(field_name="process_definition_key", label="Process",
                                          choices=process_key_choices, empty_label="any")
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
                                          choices=process_key_choices, empty_label="any")
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


class UserTaskFilter(django_filters.FilterSet):
    """Filters of the task list; `view` (mine, groups, all) is the tab and is applied by the view."""

    DUE_STATES = [("overdue", "overdue"), ("today", "due today"), ("later", "due later"), ("none", "no due date")]

    process = django_filters.ChoiceFilter(field_name="process_definition_key", label="Process",
                                          choices=process_key_choices, empty_label="any")
    business_key = django_filters.CharFilter(lookup_expr="icontains", label="Business key")
    name = django_filters.CharFilter(lookup_expr="icontains", label="Task name")
    candidate_group = django_filters.CharFilter(field_name="candidate_groups", lookup_expr="contains",
                                                label="Candidate group", method="filter_candidate_group")
    priority = django_filters.NumberFilter(label="Priority")
    due = django_filters.ChoiceFilter(choices=DUE_STATES, label="Due", method="filter_due", empty_label="any")
    due_after = django_filters.DateFilter(field_name="due_at", lookup_expr="date__gte", label="Due on or after",
                                          widget=DateInput)
    due_before = django_filters.DateFilter(field_name="due_at", lookup_expr="date__lte", label="Due on or before",
                                           widget=DateInput)
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte",
                                              label="Created on or after", widget=DateInput)
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte",
                                               label="Created on or before", widget=DateInput)

    class Meta:
        model = UserTask
        fields = []

    def filter_candidate_group(self, queryset, name, value):
        return queryset.filter(candidate_groups__contains=[value])

    def filter_due(self, queryset, name, value):
        return with_due_state(queryset, value)


def with_due_state(tasks, state):
    """Tasks overdue, due later today, due after today, or without a due date."""
    now = timezone.now()
    end_of_today = end_of_day(now)
    return {
        "overdue": lambda: tasks.filter(due_at__lt=now),
        "today": lambda: tasks.filter(due_at__gte=now, due_at__lte=end_of_today),
        "later": lambda: tasks.filter(due_at__gt=end_of_today),
        "none": lambda: tasks.filter(due_at__isnull=True),
    }[state]()


def end_of_day(moment):
    return timezone.localtime(moment).replace(hour=23, minute=59, second=59, microsecond=999999)
