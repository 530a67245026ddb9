"""Query-parameter filters shared by the list endpoints."""

from datetime import timezone

import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import IsoDateTimeField


class _UtcIsoDateTimeField(IsoDateTimeField):
    """RFC 3339 accepts any UTC offset up to ±23:59, PostgreSQL only up to ±15:59 (a larger one
    was a 500): compare in UTC. A moment that has no UTC form (year 1 minus an offset) is invalid."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(timezone.utc)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _UtcIsoDateTimeField
