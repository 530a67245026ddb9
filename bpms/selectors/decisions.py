"""Reads of deployed DMN decisions."""

from bpms.models import DecisionDefinition


def definitions(*, id=None, key=None, version=None, latest_only=False):
    """Deployed versions (or only each key's latest), by key, newest version first."""
    found = DecisionDefinition.objects.order_by("key", "-version", "id")
    if latest_only:
        found = found.filter(id__in=DecisionDefinition.objects.order_by("key", "-version").distinct("key").values("id"))
    for lookup, value in (("id", id), ("key", key), ("version", version)):
        if value is not None:
            found = found.filter(**{lookup: value})
    return found
