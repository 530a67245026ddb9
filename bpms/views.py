"""Dashboard pages of the process engine: tasks, process definitions, instances, incidents.

Reads come from bpms selectors/models; every action calls the same service the API calls."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from bpms.filtersets import IncidentFilter, ProcessInstanceFilter
from bpms.models import Incident, ProcessInstance
from bpms.services import incidents
from bpms.tables import IncidentTable, ProcessInstanceTable
from datamodel.selectors import business_data_for
from eximee import roles, timeline
from eximee.dashboard import DashboardView, ListPage, may_open, style_form
from eximee.errors import DomainError

OPERATORS = (roles.OPERATOR,)


class InstanceList(ListPage):
    required_roles = {"GET": OPERATORS}
    title = "Process instances"
    filterset_class = ProcessInstanceFilter
    table_class = ProcessInstanceTable
    empty_text = "No process instances match these filters."

    def get_queryset(self):
        return ProcessInstance.objects.select_related("definition").order_by("-started_at", "id")


class InstanceDetail(DashboardView, TemplateView):
    """An instance with its diagram (completed, active and failing activities marked) and tabs for
    variables, tasks, incidents, called instances and the timeline."""

    template_name = "bpms/instance_detail.html"
    required_roles = {"GET": OPERATORS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instance = get_object_or_404(ProcessInstance.objects.select_related("definition", "parent"),
                                     pk=self.kwargs["pk"])
        context.update(
            instance=instance,
            diagram_xml=instance.definition.bpmn_xml,
            diagram_marks=diagram_marks(instance),
            variables=instance.variables.order_by("name"),
            tasks=instance.tasks.order_by("-created_at", "id"),
            children=instance.children.order_by("-started_at", "id"),
            incidents=instance.incidents.order_by("-created_at", "id"),
            timeline=timeline.for_process_instance(instance.pk),
            business_data=business_data_for(business_key=instance.business_key,
                                            process_instance_id=instance.pk),
        )
        return context


def diagram_marks(instance):
    """What the diagram highlights: activities finished, activities holding a token now, and open
    incidents per activity."""
    finished = instance.activity_instances.filter(ended_at__isnull=False, canceled=False) \
        .values_list("activity_id", flat=True).distinct()
    failing = instance.incidents.filter(resolved_at__isnull=True).values_list("activity_id") \
        .annotate(n=Count("id")).order_by()
    return {"completed": sorted(set(finished)), "active": sorted(set(instance.active_activity_ids)),
            "incidents": dict(failing)}


class IncidentList(ListPage):
    template_name = "bpms/incident_list.html"
    partial_template_name = "bpms/partials/incident_results.html"
    required_roles = {"GET": (roles.OPERATOR, roles.AUDITOR)}
    title = "Incidents"
    filterset_class = IncidentFilter
    table_class = IncidentTable
    empty_text = "No incidents match these filters."

    def get_queryset(self):
        return Incident.objects.select_related("process_instance").order_by("-created_at", "id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_act=may_open(self.request.user, IncidentRetryBulk, "POST"), **kwargs)


class IncidentDetail(DashboardView, TemplateView):
    template_name = "bpms/incident_detail.html"
    required_roles = {"GET": (roles.OPERATOR, roles.AUDITOR)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        incident = get_object_or_404(Incident, pk=self.kwargs["pk"])
        context.update(incident=incident, can_act=may_open(self.request.user, IncidentRetry, "POST"),
                       annotation_form=style_form(AnnotationForm(initial={"annotation": incident.annotation})))
        return context


class AnnotationForm(forms.Form):
    annotation = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000,
                                 help_text="A note for other operators, e.g. what was done about it.")


class IncidentRetry(DashboardView):
    required_roles = {"POST": OPERATORS}

    def post(self, request, pk):
        return self.perform(lambda: incidents.retry(pk, retries=1, actor=self.actor),
                            "The incident was retried: its job runs again.",
                            reverse("dashboard:incident-detail", args=[pk]))


class IncidentRetryBulk(DashboardView):
    """Retries every selected incident, each in its own transaction, and says how many worked."""

    required_roles = {"POST": OPERATORS}

    def post(self, request):
        selected = request.POST.getlist("incident")
        failures = []
        for incident_id in selected:
            try:
                incidents.retry(incident_id, retries=1, actor=self.actor)
            except (DomainError, DjangoValidationError) as exc:
                failures.append(f"{incident_id[:8]}: {getattr(exc, 'detail', exc)}")
        succeeded = len(selected) - len(failures)
        if not selected:
            messages.warning(request, "Select the incidents to retry first.")
        elif failures:
            messages.warning(request, f"Retried {succeeded} of {len(selected)} incidents. Not retried: "
                                      + "; ".join(failures))
        else:
            messages.success(request, f"Retried {succeeded} of {len(selected)} incidents.")
        return redirect(self.back_to(reverse("dashboard:incident-list")))


class IncidentAnnotate(DashboardView):
    required_roles = {"POST": OPERATORS}

    def post(self, request, pk):
        form = AnnotationForm(request.POST)
        fallback = reverse("dashboard:incident-detail", args=[pk])
        if not form.is_valid():
            messages.error(request, "The annotation is too long (at most 4000 characters).")
            return redirect(fallback)
        return self.perform(lambda: incidents.annotate(pk, annotation=form.cleaned_data["annotation"],
                                                       actor=self.actor),
                            "The annotation was saved.", fallback)
