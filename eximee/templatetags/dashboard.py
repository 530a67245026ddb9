"""Template filters of the dashboard."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.filter
def pretty_json(value):
    """Indented JSON of user data, keys as they were written (never renamed or sorted)."""
    return json.dumps(value, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)


@register.filter
def state_badge(state):
    """The Bootstrap colour of a state badge."""
    return {"active": "primary", "created": "primary", "open": "danger", "completed": "success",
            "succeeded": "success", "done": "success", "resolved": "success", "queued": "secondary", "running": "info",
            "failed": "danger", "cancelled": "secondary", "deleted": "secondary"}.get(str(state), "secondary")
