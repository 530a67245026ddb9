"""The frame of the operational dashboard: role checks for its views, the navigation, the
overview page and the small helpers every dashboard page shares.

Dashboard views declare who may open them exactly like API views do (eximee/permissions.py):

    class CaseList(DashboardView, TemplateView):
        required_roles = {"GET": (roles.CASE_READER,)}

An anonymous visitor is sent to the login page; a signed-in user without the role gets a 403
page. Actions call the same service functions as the API, so the rules live in one place."""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from bpms.filtersets import UserTaskFilter, with_due_state
from bpms.models import Incident, ProcessInstance, UserTask
from bpms.selectors.tasks import sees_all_tasks, visible_tasks
from cases.models import Case
from eximee import roles
from eximee.errors import DomainError
from eximee.permissions import PUBLIC, declared_roles
from eximee.roles import has_any_role


def may_open(user, view_class, method="GET"):
    """True when `user` may call `view_class` with `method` under its `required_roles`."""
    allowed = declared_roles(view_class, method)
    if allowed == PUBLIC:
        return True
    if allowed is None or not user.is_authenticated:
        return False
    return has_any_role(user, *allowed)


class DashboardView(View):
    """Base of every dashboard view: enforces `required_roles`, renders htmx partials, and turns
    domain errors raised by services into a message instead of a 500."""

    required_roles = None
    partial_template_name = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated and declared_roles(self, request.method) != PUBLIC:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not may_open(request.user, type(self), request.method):
            return render(request, "eximee/forbidden.html", status=403)
        try:
            return super().dispatch(request, *args, **kwargs)
        except DjangoPermissionDenied:
            return render(request, "eximee/forbidden.html", status=403)

    # Rendered instead of template_name when htmx targets the element with this id.
    partial_target = "results"

    def get_template_names(self):
        if self.partial_template_name and self.request.htmx and self.request.htmx.target == self.partial_target:
            return [self.partial_template_name]
        return super().get_template_names()

    @property
    def actor(self):
        return self.request.user.get_username()

    def back_to(self, fallback):
        """Where to go after an action: the page that posted it when it is one of ours."""
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(target, {self.request.get_host()},
                                                      require_https=self.request.is_secure()):
            return target
        return fallback

    def perform(self, action, success, fallback, *, failure=None):
        """Runs a service call; reports its outcome as a message and redirects (post/redirect/get)
        to `fallback`, or after an error to `failure` when given.

        Domain errors (409 conflict, 422 rule violation, ...) become an error message carrying
        the service's own explanation, so the dashboard never invents a second wording."""
        try:
            result = action()
        except DomainError as exc:
            self.request.audit_outcome = exc.slug  # the redirect alone would be audited as a success
            messages.error(self.request, describe_error(exc))
            return redirect(self.back_to(failure or fallback))
        messages.success(self.request, success(result) if callable(success) else success)
        return redirect(self.back_to(fallback))


class ListPage(DashboardView, TemplateView):
    """A filtered, sortable, paginated list: `filterset_class` (django-filter) over
    `get_queryset()`, shown with `table_class` (django-tables2). An htmx request (the filter form,
    a sort or page link) gets only the results part back."""

    template_name = "eximee/list.html"
    partial_template_name = "eximee/partials/results.html"
    filterset_class = None
    table_class = None
    title = ""
    empty_text = "Nothing matches these filters."

    def get_queryset(self):
        raise NotImplementedError

    def get_filterset(self):
        filterset = self.filterset_class(self.request.GET or None, queryset=self.get_queryset(),
                                         request=self.request)
        style_form(filterset.form)
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else (
            filterset.queryset if not filterset.is_bound else filterset.queryset.none())
        table = self.table_class(rows, request=self.request)
        RequestConfig(self.request, paginate={"per_page": settings.DASHBOARD_PAGE_SIZE}).configure(table)
        context.update(filterset=filterset, table=table, title=self.title, empty_text=self.empty_text,
                       results_template=self.partial_template_name)
        return context


# Attributes of every dashboard table. The results area boosts its links through htmx (sorting and
# paging swap only the results); links in rows lead to other pages and must load them whole.
TABLE_ATTRS = {"class": "table table-sm table-hover align-middle", "tbody": {"hx-boost": "false"}}


def style_form(form):
    """Bootstrap classes on a form's widgets, and aria-invalid on fields with errors."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
        if form.is_bound and name in form.errors:
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["class"] += " is-invalid"
    return form


def describe_error(exc):
    details = [f"{item['pointer']}: {item['detail']}" if item.get("pointer") else item["detail"]
               for item in exc.errors or []]
    return " ".join([str(exc.detail), *details])


# --- Navigation ----------------------------------------------------------------------------------
# (label, url name): shown to a user only when they may open that page.
NAVIGATION = (
    ("Overview", "dashboard:overview"),
    ("Tasks", "dashboard:task-list"),
    ("Processes", "dashboard:definition-list"),
    ("Instances", "dashboard:instance-list"),
    ("Incidents", "dashboard:incident-list"),
    ("Cases", "dashboard:case-list"),
    ("Documents", "dashboard:document-list"),
    ("Events", "dashboard:event-list"),
    ("Data models", "dashboard:datamodel-list"),
    ("Configuration", "dashboard:configuration"),
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation(request):
    """Template context: the pages this user may open, derived from the views' own role rules."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for label, name in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # that app's pages are not mounted (yet)
        view_class = getattr(resolve(url).func, "view_class", None)
        if view_class and may_open(user, view_class):
            active = request.path == url if url == "/" else request.path.startswith(url)
            items.append(NavItem(label, url, active))
    return {"navigation": items, "user_roles": sorted(roles.roles_of(user))}


# --- Overview charts: small server-rendered SVGs, every bar a link to the filtered list --------------
CHART_BAR_HEIGHT = 22
CHART_WIDTH = 320
CHART_LABEL_WIDTH = 130


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    url: str
    y: int
    width: int
    css_class: str = ""


def bar_chart(rows, *, css_class=""):
    """rows: [(label, value, url)] -> bars scaled to the chart width (largest = full width)."""
    rows = list(rows)
    largest = max((value for _, value, _ in rows), default=0) or 1
    room = CHART_WIDTH - CHART_LABEL_WIDTH - 40
    bars = [Bar(label, value, url, index * CHART_BAR_HEIGHT, max(2, round(room * value / largest)) if value else 0,
                css_class)
            for index, (label, value, url) in enumerate(rows)]
    return {"bars": bars, "height": max(1, len(bars)) * CHART_BAR_HEIGHT, "width": CHART_WIDTH,
            "label_width": CHART_LABEL_WIDTH}


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    url: str
    x: int
    y: int
    height: int


def column_chart(rows, *, height=90, column_width=18, gap=4):
    """rows: [(label, value, url)] left to right -> columns scaled to the chart height."""
    rows = list(rows)
    largest = max((value for _, value, _ in rows), default=0) or 1
    columns = []
    for index, (label, value, url) in enumerate(rows):
        bar = max(2, round(height * value / largest)) if value else 0
        columns.append(Column(label, value, url, index * (column_width + gap), height - bar, bar))
    return {"columns": columns, "height": height, "column_width": column_width,
            "width": max(1, len(columns)) * (column_width + gap), "total": sum(c.value for c in columns)}


def with_query(name, **params):
    """The URL of a list page with its filters set, for links from charts and other pages."""
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


class Overview(DashboardView, TemplateView):
    """The landing page: what needs attention now, each figure linking to its filtered list."""

    template_name = "eximee/overview.html"
    required_roles = {"GET": (roles.TASK_WORKER, roles.TASK_MANAGER, roles.OPERATOR, roles.CASE_READER,
                              roles.AUDITOR)}
    INCIDENT_DAYS = 14

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if has_any_role(user, roles.TASK_WORKER, roles.TASK_MANAGER):
            context["tasks_by_group"], context["tasks_by_due"] = self.task_charts()
        if has_any_role(user, roles.OPERATOR):
            context["instances_by_process"] = self.instance_chart()
            context["incidents_by_day"] = self.incident_chart()
        if has_any_role(user, roles.CASE_READER):
            context["cases_by_status"] = self.case_chart()
        return context

    def task_charts(self):
        open_tasks = visible_tasks(self.request.user).filter(state=UserTask.CREATED)
        by_group = {}
        for groups, count in open_tasks.values_list("candidate_groups").annotate(n=Count("id")).order_by():
            for group in groups or ["(no group)"]:
                by_group[group] = by_group.get(group, 0) + count
        view = "all" if sees_all_tasks(self.request.user) else "groups"
        groups = bar_chart((group, count, with_query("dashboard:task-list", view=view, candidate_group=group)
                            if group != "(no group)" else with_query("dashboard:task-list", view=view))
                           for group, count in sorted(by_group.items(), key=lambda item: (-item[1], item[0])))
        return groups, bar_chart((label, with_due_state(open_tasks, key).count(),
                                  with_query("dashboard:task-list", view=view, due=key))
                                 for key, label in UserTaskFilter.DUE_STATES)

    def case_chart(self):
        rows = Case.objects.values_list("case_type__name", "status").annotate(n=Count("id")) \
            .order_by("case_type__name", "status")
        return bar_chart((f"{case_type} · {status}", count,
                          with_query("dashboard:case-list", type=case_type, status=status))
                         for case_type, status, count in rows)

    def instance_chart(self):
        rows = (ProcessInstance.objects.filter(parent__isnull=True)
                .values_list("process_definition_key", "state").annotate(n=Count("id"))
                .order_by("process_definition_key", "state"))
        return bar_chart((f"{key} · {state}", count,
                          with_query("dashboard:instance-list", process=key, state=state))
                         for key, state, count in rows)

    def incident_chart(self):
        today = timezone.localdate()
        first = today - timedelta(days=self.INCIDENT_DAYS - 1)
        created = Incident.objects.filter(created_at__date__gte=first) \
            .values_list("created_at__date").annotate(n=Count("id")).order_by()
        per_day = dict(created)
        days = [first + timedelta(days=offset) for offset in range(self.INCIDENT_DAYS)]
        return column_chart((day.strftime("%d %b"), per_day.get(day, 0),
                             with_query("dashboard:incident-list", created_after=day.isoformat(),
                                        created_before=day.isoformat()))
                            for day in days)
