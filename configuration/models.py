"""Read-only configuration for applications: typed properties per application and profile, where
the `default` profile holds what every other profile inherits."""

import json
import math
import re

from django.core.exceptions import ValidationError
from django.db import models

DEFAULT_PROFILE = "default"
MASK = "******"
_INTEGER = re.compile(r"^[+-]?\d+$")


def mask_secret(value):
    """For the audit trail (django-auditlog mask_callable): a secret's change is recorded, its value never."""
    return MASK


def parse_value(value_type, text):
    """The typed value of a property's text; ValueError when the text is not of the type."""
    if value_type == ConfigProperty.STRING:
        return text
    if value_type == ConfigProperty.NUMBER:
        number = int(text) if _INTEGER.match(text.strip()) else float(text)
        if isinstance(number, float) and not math.isfinite(number):
            raise ValueError("not a finite number")
        return number
    if value_type == ConfigProperty.BOOLEAN:
        lowered = text.strip().lower()
        if lowered not in ("true", "false"):
            raise ValueError("must be true or false")
        return lowered == "true"
    return json.loads(text)


class ConfigProperty(models.Model):
    STRING = "string"
    NUMBER = "number"
    BOOLEAN = "boolean"
    JSON = "json"
    TYPES = [(STRING, "String"), (NUMBER, "Number"), (BOOLEAN, "Boolean"), (JSON, "JSON")]

    application = models.SlugField(max_length=100)
    profile = models.SlugField(max_length=100, default=DEFAULT_PROFILE,
                               help_text=f"'{DEFAULT_PROFILE}' applies to every profile that does not override it.")
    key = models.CharField(max_length=200)
    value_type = models.CharField(max_length=10, choices=TYPES, default=STRING)
    value = models.TextField(blank=True, default="")
    secret = models.BooleanField(default=False, help_text="Shown only to callers with role config-secret-reader.")
    # Kept apart from `value` so the audit trail can mask secrets and nothing else.
    secret_value = models.TextField(blank=True, default="")
    description = models.CharField(max_length=500, blank=True, default="")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "profile", "key"]
        verbose_name_plural = "config properties"
        constraints = [
            models.UniqueConstraint(fields=["application", "profile", "key"], name="config_property_unique"),
            models.CheckConstraint(condition=models.Q(secret=True) | models.Q(secret_value=""),
                                   name="config_secret_value_only_for_secrets"),
            models.CheckConstraint(condition=models.Q(secret=False) | models.Q(value=""),
                                   name="config_no_plain_value_for_secrets"),
        ]

    def __str__(self):
        return f"{self.application}/{self.profile}: {self.key}"

    @property
    def text(self):
        return self.secret_value if self.secret else self.value

    def typed_value(self):
        return parse_value(self.value_type, self.text)

    def clean(self):
        try:
            self.typed_value()
        except ValueError as exc:
            raise ValidationError({"value": f"Not a valid {self.value_type}: {exc}"}) from None
