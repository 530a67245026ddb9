"""Every API endpoint that exists, with the roles it declares: the source of the role matrix in
docs/security.md (`python manage.py security_matrix`) and of the test that walks every URL."""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from eximee.permissions import PUBLIC, declared_roles

API_PREFIXES = ("v1/", "engine-rest/")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SAMPLE_BY_CONVERTER = {"uuid": str(uuid.UUID(int=1)), "int": "1", "slug": "sample", "str": "sample",
                       "path": "sample"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    route: str  # "/v1/cases/<uuid:case_id>"
    view: str  # "cases.api.views.CaseDetail" (+ ".action" for viewsets)
    roles: tuple | str | None  # PUBLIC, the roles, or None: not declared (denied)

    @property
    def sample_path(self):
        """A concrete path for this route (placeholders filled with plausible values)."""
        def fill(match):
            return SAMPLE_BY_CONVERTER.get(match.group(1) or "str", "sample")
        return re.sub(r"<(?:(\w+):)?\w+>", fill, self.route)

    @property
    def roles_text(self):
        if self.roles == PUBLIC:
            return "public"
        if self.roles is None:
            return "NOT DECLARED"
        return ", ".join(sorted(self.roles))


def _route_text(pattern):
    text = str(pattern.pattern)
    if text.startswith("^"):  # regex patterns from routers: named groups become placeholders
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text.lstrip("^").rstrip("$"))
    return text


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + _route_text(pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + _route_text(pattern), pattern.callback


def _view_endpoints(route, callback):
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:  # a plain function view: it cannot declare roles
        yield Endpoint("*", route, f"{callback.__module__}.{callback.__name__}", None)
        return
    name = f"{view_class.__module__}.{view_class.__name__}"
    actions = getattr(callback, "actions", None)
    if actions:  # a viewset: one endpoint per mapped method, checked under its action name
        for method, action in actions.items():
            if method.upper() not in METHODS:  # DRF maps HEAD onto GET's action itself
                continue
            view = view_class(action=action)
            yield Endpoint(method.upper(), route, f"{name}.{action}", declared_roles(view, method.upper()))
        return
    view = view_class()
    for method in METHODS:
        if hasattr(view_class, method.lower()):
            yield Endpoint(method, route, name, declared_roles(view, method))


def api_endpoints(urlconf=None):
    """All endpoints under the API prefixes, sorted by route and method."""
    found = set()
    for route, callback in _walk(get_resolver(urlconf).url_patterns):
        if route.startswith(API_PREFIXES):
            found.update(_view_endpoints("/" + route, callback))
    return sorted(found, key=lambda e: (e.route, METHODS.index(e.method) if e.method in METHODS else -1))


TABLE_HEADER = "| Method | Path | Roles (admin always passes) | View |\n| --- | --- | --- | --- |"


def matrix_markdown(urlconf=None):
    rows = [f"| {e.method} | `{e.route}` | {e.roles_text} | `{e.view}` |" for e in api_endpoints(urlconf)]
    return "\n".join([TABLE_HEADER, *rows])


def parse_matrix(markdown):
    """{(method, route): roles_text} from the table matrix_markdown() wrote."""
    rows = {}
    for line in markdown.splitlines():
        match = re.match(r"^\| (\w+|\*) \| `([^`]+)` \| ([^|]+) \| `[^`]+` \|$", line.strip())
        if match:
            rows[(match.group(1), match.group(2))] = match.group(3).strip()
    return rows
