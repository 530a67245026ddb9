"""Dashboard pages of the process engine: tasks, process definitions, instances, incidents.

Reads come from bpms selectors/models; every action calls the same service the API calls."""

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from bpms.filtersets import ProcessInstanceFilter
from bpms.models import ProcessInstance
from bpms.tables import ProcessInstanceTable
from datamodel.selectors import business_data_for
from eximee import roles, timeline
from eximee.dashboard import DashboardView, ListPage

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
    return {"completed": sorted(set(finished)), "active": sorted(set(instance.active_activity_ids)),
            "incidents": {}}
