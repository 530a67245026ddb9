"""Every API view declares who may call it; a view that declares nothing is denied.

    required_roles = {"GET": (CASE_READER,), "POST": (CASE_WRITER,)}
    required_roles = {"*": (OPERATOR,)}           # every method
    required_roles = PUBLIC                       # health, schema

For viewsets the key may also be an action name ("list", "retrieve", "complete"), which wins over
the method. `admin` passes every check. Object-level rules (a task-worker only sees their tasks)
live in services and selectors, not here.
"""

from rest_framework.permissions import BasePermission

from .roles import has_any_role

PUBLIC = "public"


def declared_roles(view, method):
    rules = getattr(view, "required_roles", None)
    if rules is None or rules == PUBLIC:
        return rules
    action = getattr(view, "action", None)
    # HEAD and OPTIONS read what GET reads; they need no rule of their own.
    method = "GET" if method in ("HEAD", "OPTIONS") else method
    for key in (action, method, "*"):
        if key and key in rules:
            return rules[key]
    return None


class RoleRequired(BasePermission):
    def has_permission(self, request, view):
        roles = declared_roles(view, request.method)
        if roles == PUBLIC:
            return True
        if roles is None:
            return False
        if not request.user or not request.user.is_authenticated:
            return False
        return has_any_role(request.user, *roles)
