"""Dashboard pages of the process engine: tasks, process definitions, instances, incidents.

Reads come from bpms selectors/models; every action calls the same service the API calls."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from bpms.engine import get_engine
from bpms.filtersets import IncidentFilter, ProcessInstanceFilter, UserTaskFilter
from bpms.models import Incident, ProcessDefinition, ProcessInstance, UserTask
from bpms.selectors import instances as instance_selectors
from bpms.selectors import tasks as task_selectors
from bpms.forms import AssignForm, CancelForm, DelegateForm, StartForm, TaskForm, VariableForm
from bpms.services import incidents
from bpms.services import instances as instance_services
from bpms.services.variables import parse_variables
from bpms.services import tasks as task_services
from bpms.tables import IncidentTable, ProcessInstanceTable, UserTaskTable
from datamodel.selectors import business_data_for
from eximee import roles, timeline
from eximee.dashboard import DashboardView, ListPage, describe_error, may_open, style_form
from eximee.errors import DomainError, InvalidRequest, NotFound, RuleViolation

OPERATORS = (roles.OPERATOR,)
# Who reads instances and definitions: the same roles as in the API (bpms/api/instances.py).
INSTANCE_READERS = (roles.PROCESS_STARTER, roles.OPERATOR, roles.AUDITOR, roles.TASK_MANAGER)


class InstanceList(ListPage):
    required_roles = {"GET": INSTANCE_READERS}
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
    required_roles = {"GET": INSTANCE_READERS}

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
            task_links=may_open(self.request.user, TaskDetail),
            can_operate=may_open(self.request.user, InstanceAction, "POST"),
            cancel_form=style_form(CancelForm()),
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
        return self.perform(lambda: get_engine().retry_incident(pk, retries=1, actor=self.actor),
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
                get_engine().retry_incident(incident_id, retries=1, actor=self.actor)
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


# --- Tasks ----------------------------------------------------------------------------------------
TASK_READERS = (roles.TASK_WORKER, roles.TASK_MANAGER, roles.OPERATOR, roles.AUDITOR)
TASK_WORKERS = (roles.TASK_WORKER, roles.TASK_MANAGER)


class TaskList(ListPage):
    """Open tasks in three views (tabs): mine, my groups', all (for those who see every task)."""

    template_name = "bpms/task_list.html"
    partial_template_name = "bpms/partials/task_results.html"
    required_roles = {"GET": TASK_READERS}
    title = "Tasks"
    filterset_class = UserTaskFilter
    table_class = UserTaskTable
    empty_text = "No open tasks match these filters."

    def views(self):
        user = self.request.user
        views = {"mine": Q(assignee=user.username),
                 "groups": Q(candidate_groups__overlap=task_selectors.groups_of(user) or [""]) |
                           Q(candidate_users__contains=[user.username])}
        if task_selectors.sees_all_tasks(user):
            views["all"] = Q()
        return views

    def current_view(self):
        views = self.views()
        chosen = self.request.GET.get("view")
        return chosen if chosen in views else next(iter(views))

    def get_queryset(self):
        open_tasks = task_selectors.visible_tasks(self.request.user).filter(state=UserTask.CREATED)
        return open_tasks.filter(self.views()[self.current_view()]).order_by("-created_at", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # How many tasks each tab holds under the same filters, so a switch never surprises.
        filterset = context["filterset"]
        open_tasks = task_selectors.visible_tasks(self.request.user).filter(state=UserTask.CREATED)
        filtered = UserTaskFilter(filterset.data, queryset=open_tasks, request=self.request)
        rows = filtered.qs if not filterset.is_bound or filterset.is_valid() else open_tasks.none()
        labels = {"mine": "My tasks", "groups": "My groups' tasks", "all": "All tasks"}
        query = self.request.GET.copy()
        tabs = []
        for key, condition in self.views().items():
            query["view"] = key
            query.pop("page", None)
            tabs.append({"key": key, "label": labels[key], "count": rows.filter(condition).count(),
                         "url": f"{self.request.path}?{query.urlencode()}", "active": key == self.current_view()})
        context.update(tabs=tabs, current_view=self.current_view())
        return context


class TaskDetail(DashboardView, TemplateView):
    """A task with its process and business data, its form (POST completes it), history and diagram."""

    template_name = "bpms/task_detail.html"
    required_roles = {"GET": TASK_READERS, "POST": TASK_WORKERS}

    def task(self):
        try:
            return task_selectors.task_for(self.request.user, self.kwargs["pk"])
        except NotFound:
            raise Http404("No such task.") from None

    def get_context_data(self, task=None, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        task = task or self.task()
        instance = task.process_instance
        variables = dict(instance.variables.values_list("name", "value"))
        user = self.request.user
        can_work = task.state == UserTask.CREATED and may_open(user, TaskDetail, "POST")
        is_mine = task.assignee == user.username
        manages = roles.has_any_role(user, roles.TASK_MANAGER)
        context.update(
            task=task, instance=instance, variables=variables,
            form=style_form(form or TaskForm(task.form_fields, current_values=variables)),
            business_data=business_data_for(business_key=instance.business_key, process_instance_id=instance.pk),
            history=timeline.for_process_instance(instance.pk).filter(kind__startswith="task."),
            diagram_xml=instance.definition.bpmn_xml,
            diagram_marks={"active": [task.task_definition_key], "completed": [], "incidents": {}},
            can_work=can_work, is_mine=is_mine, manages=manages,
            # the same rule as bpms.services.tasks.delegate: a task held by someone else is theirs
            may_delegate=can_work and (not task.assignee or is_mine or manages),
            delegated=task.delegation_state == "pending",
            assign_form=style_form(AssignForm()),
            delegate_form=style_form(DelegateForm()),
            instance_link=may_open(user, InstanceDetail),
        )
        return context

    def post(self, request, pk):
        task = self.task()
        form = TaskForm(task.form_fields, request.POST)
        if form.is_valid():
            try:
                task_services.complete(request.user, pk, variables=form.variables())
            except RuleViolation as exc:
                unplaced = form.add_service_errors(exc.errors)
                messages.error(request, describe_error(RuleViolation(exc.detail, errors=unplaced))
                               if unplaced else "The task was not completed: correct the marked fields.")
                request.audit_outcome = exc.slug
            except DomainError as exc:
                messages.error(request, describe_error(exc))
                request.audit_outcome = exc.slug
                return redirect(reverse("dashboard:task-detail", args=[pk]))
            else:
                messages.success(request, f"Task “{task.name or task.task_definition_key}” completed.")
                return redirect(reverse("dashboard:task-list"))
        else:
            messages.error(request, "The task was not completed: correct the marked fields.")
        return self.render_to_response(self.get_context_data(task=task, form=form), status=422)


class TaskAction(DashboardView):
    """Claim, unclaim, assign, delegate, resolve: one POST each, calling bpms.services.tasks like
    the API does."""

    required_roles = {"POST": TASK_WORKERS}
    # An action that hands the task to someone else ends on the task list: its actor may not
    # see the task any more.
    hands_over = False

    def post(self, request, pk):
        detail = reverse("dashboard:task-detail", args=[pk])
        done = reverse("dashboard:task-list") if self.hands_over else detail
        return self.perform(lambda: self.act(request, pk), self.success, done, failure=detail)


class TaskClaim(TaskAction):
    success = "You claimed the task: it is in your tasks now."

    def act(self, request, pk):
        return task_services.claim(request.user, pk)


class TaskUnclaim(TaskAction):
    success = "The task was returned to its candidates."

    def act(self, request, pk):
        return task_services.unclaim(request.user, pk)


class TaskAssign(TaskAction):
    def act(self, request, pk):
        form = AssignForm(request.POST)
        if not form.is_valid():
            raise InvalidRequest("Enter the user name to assign the task to.")
        self.assignee = form.cleaned_data["user_id"]
        return task_services.set_assignee(request.user, pk, self.assignee)

    def success(self, result):
        return f"The task was assigned to {self.assignee}."


class TaskDelegate(TaskAction):
    hands_over = True

    def act(self, request, pk):
        form = DelegateForm(request.POST)
        if not form.is_valid():
            raise InvalidRequest("Enter the user name to delegate the task to.")
        return task_services.delegate(request.user, pk, form.cleaned_data["user_id"])

    def success(self, result):
        return f"The task was delegated to {result.assignee}; it comes back to {result.owner} once resolved."


class TaskResolve(TaskAction):
    """The delegate's answer: the form's values go to the instance and the task back to its owner,
    who completes it."""

    hands_over = True

    def act(self, request, pk):
        form = TaskForm(task_selectors.task_for(request.user, pk).form_fields, request.POST)
        if not form.is_valid():
            raise form_problem("The task was not resolved.", form, "/variables/")
        return task_services.resolve(request.user, pk, form.variables())

    def success(self, result):
        return f"The task was resolved and returned to {result.assignee}."


def form_problem(message, form, pointer_prefix="/"):
    """A form's errors as the InvalidRequest a service would raise, for DashboardView.perform."""
    return InvalidRequest(message, errors=[{"pointer": f"{pointer_prefix}{name}", "detail": " ".join(errors)}
                                           for name, errors in form.errors.items()])


# --- Instance actions (operators) -----------------------------------------------------------------
class InstanceAction(DashboardView):
    required_roles = {"POST": OPERATORS}

    def post(self, request, pk):
        return self.perform(lambda: self.act(request, pk), self.success,
                            reverse("dashboard:instance-detail", args=[pk]))


class InstanceCancel(InstanceAction):
    success = "The instance was cancelled."

    def act(self, request, pk):
        form = CancelForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        return instance_services.cancel(pk, reason=reason or f"Cancelled by {self.actor}", actor=self.actor)


class InstanceSuspend(InstanceAction):
    success = "The instance was suspended: nothing runs until it is activated."

    def act(self, request, pk):
        return instance_services.suspend(pk, actor=self.actor)


class InstanceActivate(InstanceAction):
    success = "The instance was activated."

    def act(self, request, pk):
        return instance_services.activate(pk, actor=self.actor)


class InstanceVariable(InstanceAction):
    """Sets (or deletes) one process variable; the value is JSON, so types stay as they were meant."""

    def act(self, request, pk):
        form = VariableForm(request.POST)
        if not form.is_valid():
            raise form_problem("The variable was not changed.", form)
        name = self.name = form.cleaned_data["name"]
        self.deleted = form.cleaned_data["delete"]
        if self.deleted:
            return instance_services.modify_variables(pk, modifications={}, deletions=[name], actor=self.actor)
        return instance_services.modify_variables(pk, modifications={name: form.cleaned_data["value"]},
                                                  deletions=[], actor=self.actor)

    def success(self, result):
        return f"Variable {self.name} {'deleted' if self.deleted else 'saved'}."


# --- Process definitions and starting instances -----------------------------------------------------
DEFINITION_READERS = (roles.DEPLOYER, roles.PROCESS_STARTER, roles.OPERATOR, roles.AUDITOR, roles.TASK_MANAGER)


class DefinitionList(DashboardView, TemplateView):
    """Every deployed process (latest version first) with its versions and instance counts."""

    template_name = "bpms/definition_list.html"
    required_roles = {"GET": DEFINITION_READERS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = {}
        for key, state, n in ProcessInstance.objects.values_list("process_definition_key", "state") \
                .annotate(n=Count("id")).order_by():
            counts.setdefault(key, {})[state] = n
        versions = dict(ProcessDefinition.objects.values_list("key").annotate(n=Count("id")).order_by())
        definitions = instance_selectors.latest_definitions(QueryDict())
        context["definitions"] = [
            {"definition": d, "versions": versions.get(d.key, 0), "active": counts.get(d.key, {}).get("active", 0),
             "completed": counts.get(d.key, {}).get("completed", 0),
             "cancelled": counts.get(d.key, {}).get("cancelled", 0)}
            for d in definitions]
        context["can_start"] = may_open(self.request.user, DefinitionDetail, "POST")
        return context


class DefinitionDetail(DashboardView, TemplateView):
    """One process: its versions, its diagram, and (POST) a form that starts an instance."""

    template_name = "bpms/definition_detail.html"
    required_roles = {"GET": DEFINITION_READERS, "POST": (roles.PROCESS_STARTER,)}

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            versions = list(instance_selectors.definition_versions(self.kwargs["key"]))
        except NotFound:
            raise Http404("No such process.") from None
        counts = dict(ProcessInstance.objects.filter(process_definition_key=self.kwargs["key"])
                      .values_list("definition_id").annotate(n=Count("id")).order_by())
        context.update(definition=versions[0], versions=[(v, counts.get(v.id, 0)) for v in versions],
                       form=style_form(form or StartForm()), diagram_xml=versions[0].bpmn_xml,
                       can_start=may_open(self.request.user, DefinitionDetail, "POST"))
        return context

    def post(self, request, key):
        form = StartForm(request.POST)
        if form.is_valid():
            try:
                instance = instance_services.start_process_instance(
                    process_definition_key=key, business_key=form.cleaned_data["business_key"] or None,
                    variables=parse_variables(form.cleaned_data["variables"] or {}, "/variables"),
                    business_data=form.cleaned_data["business_data"], actor=self.actor)
            except DomainError as exc:
                unplaced = form.add_service_errors(exc.errors)
                messages.error(request, describe_error(type(exc)(exc.detail, errors=unplaced)))
                request.audit_outcome = exc.slug
            else:
                messages.success(request, f"Started {key} ({str(instance.pk)[:8]}).")
                if may_open(request.user, InstanceDetail):
                    return redirect("dashboard:instance-detail", pk=instance.pk)
                return redirect("dashboard:task-list")
        return self.render_to_response(self.get_context_data(form=form), status=422)
