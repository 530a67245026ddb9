from django import forms
from django.contrib import admin

from .models import MASK, ConfigProperty


class ConfigPropertyForm(forms.ModelForm):
    """One value box for both kinds: a secret is stored apart (so the audit trail masks it) and is
    never shown back; leaving the box empty keeps the current secret."""

    value = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            help_text="A secret's value is not shown; leave empty to keep it.")

    class Meta:
        model = ConfigProperty
        fields = ["application", "profile", "key", "value_type", "value", "secret", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.secret:
            self.initial["value"] = ""

    def clean(self):
        cleaned = super().clean()
        entered = cleaned.get("value", "")
        if cleaned.get("secret"):
            kept = self.instance.text if self.instance.pk else ""
            self.instance.secret_value = entered or kept
            cleaned["value"] = ""
        else:
            # A property that stops being secret needs its value entered again.
            self.instance.secret_value = ""
        return cleaned


@admin.register(ConfigProperty)
class ConfigPropertyAdmin(admin.ModelAdmin):
    form = ConfigPropertyForm
    list_display = ["application", "profile", "key", "value_type", "shown_value", "secret", "updated"]
    list_filter = ["application", "profile", "value_type", "secret"]
    search_fields = ["application", "key", "description"]

    @admin.display(description="value")
    def shown_value(self, obj):
        return MASK if obj.secret else obj.value[:80]
