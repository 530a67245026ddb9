"""Dashboard pages of cases and external events. Reads use cases.selectors; a status change
calls cases.services.cases.change_status with the version the page showed (stale -> message)."""

import django_filters
from django import forms
from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView

from bpms.models import ProcessInstance
from bpms.views import InstanceDetail
from cases import filtersets
from cases.models import Case, CaseType
from cases.selectors import cases as case_selectors
from cases.selectors import events as event_selectors
from cases.services import cases as case_services
from cases.tables import CaseTable, EventTable
from datamodel.selectors import business_data_for
from documents.models import GenerationRequest
from documents.views import DocumentList
from eximee import roles
from eximee.dashboard import DashboardView, ListPage, may_open, style_form
from eximee.errors import NotFound

CASE_READERS = (roles.CASE_READER,)
EVENT_READERS = (roles.CASE_READER, roles.AUDITOR)


def case_type_choices():
    return [(name, name) for name in CaseType.objects.order_by("name").values_list("name", flat=True)]


class CaseFilter(filtersets.CaseFilter):
    """The API's case filters, with labels and choices for people."""

    caseNumber = django_filters.CharFilter(field_name="case_number", lookup_expr="icontains", label="Case number")
    type = django_filters.ChoiceFilter(field_name="case_type__name", label="Type", choices=case_type_choices,
                                      empty_label="any")
    status = django_filters.CharFilter(field_name="status", label="Status")
    updatedAfter = django_filters.DateFilter(field_name="updated", lookup_expr="date__gte", label="Updated on or after",
                                             widget=forms.DateInput(attrs={"type": "date"}))
    updatedBefore = django_filters.DateFilter(field_name="updated", lookup_expr="date__lte",
                                              label="Updated on or before", widget=forms.DateInput(attrs={"type": "date"}))


class EventFilter(filtersets.EventFilter):
    type = django_filters.CharFilter(field_name="event_type", label="Event type")
    caseNumber = django_filters.CharFilter(field_name="case_number", label="Case number")


class CaseList(ListPage):
    required_roles = {"GET": CASE_READERS}
    title = "Cases"
    filterset_class = CaseFilter
    table_class = CaseTable
    empty_text = "No cases match these filters."

    def get_queryset(self):
        return case_selectors.cases()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="New status")
    reason = forms.CharField(label="Reason", max_length=1000, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, allowed, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(status, status) for status in allowed]


class CaseDetail(DashboardView, TemplateView):
    """A case: status, attributes, business data, processes, documents and its history."""

    template_name = "cases/case_detail.html"
    required_roles = {"GET": CASE_READERS, "POST": (roles.CASE_WRITER,)}

    def case(self):
        try:
            return case_selectors.case(self.kwargs["pk"])
        except NotFound:
            raise Http404("No such case.") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.case()
        allowed = case.case_type.allowed_from(case.status)
        user = self.request.user
        context.update(
            case=case,
            history=case_selectors.case_history(case),
            business_data=business_data_for(business_key=case.case_number),
            instances=ProcessInstance.objects.filter(business_key=case.case_number).order_by("-started_at", "id"),
            documents=GenerationRequest.objects.filter(business_key=case.case_number).select_related("document")
            .order_by("-created", "id") if may_open(user, DocumentList) else None,
            status_form=style_form(StatusForm(allowed, initial={"version": case.version})) if allowed else None,
            can_change=may_open(user, CaseDetail, "POST"),
            instance_links=may_open(user, InstanceDetail),
        )
        return context

    def post(self, request, pk):
        """The transition rules and the staleness check are the service's: the form only carries
        what the user chose and the version they saw."""
        case = self.case()
        status = request.POST.get("status", "")
        version = request.POST.get("version", "")
        return self.perform(lambda: case_services.change_status(
            case_id=case.pk, status=status, reason=request.POST.get("reason", "")[:1000], actor=self.actor,
            expected_version=int(version) if version.isdigit() else case.version),
            f"The case is now {status}.", reverse("dashboard:case-detail", args=[pk]))


class EventList(ListPage):
    required_roles = {"GET": EVENT_READERS}
    title = "Events"
    filterset_class = EventFilter
    table_class = EventTable
    empty_text = "No events match these filters."

    def get_queryset(self):
        return event_selectors.events()


class EventDetail(DashboardView, TemplateView):
    template_name = "cases/event_detail.html"
    required_roles = {"GET": EVENT_READERS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            context["event"] = event_selectors.event(self.kwargs["pk"])
        except NotFound:
            raise Http404("No such event.") from None
        context["case"] = Case.objects.filter(case_number=context["event"].case_number).first()
        return context

