from eximee.errors import NotFound

from .models import DEFAULT_PROFILE, MASK, ConfigProperty


def merged_properties(application, profile):
    """The application's properties for a profile: its own over the default profile's, by key.
    An unknown profile of a known application gets the defaults; an unknown application is 404."""
    rows = ConfigProperty.objects.filter(application=application, profile__in={DEFAULT_PROFILE, profile})
    merged = {}
    for row in sorted(rows, key=lambda r: r.profile != DEFAULT_PROFILE):
        merged[row.key] = row
    if not merged:
        raise NotFound(f"No configuration for application '{application}'.")
    return [merged[key] for key in sorted(merged)]


def configuration_view(application, profile, *, show_secrets):
    properties = merged_properties(application, profile)
    entries = [{"key": p.key, "type": p.value_type, "secret": p.secret, "profile": p.profile,
                "value": p.typed_value() if show_secrets or not p.secret else MASK} for p in properties]
    return {"application": application, "profile": profile,
            "properties": {entry["key"]: entry["value"] for entry in entries}, "entries": entries}
