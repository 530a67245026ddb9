"""Dashboard forms of the process engine. A task's form is generated from its camunda:formData; the
rules (required, ranges, lengths, enum values) are checked by the engine when the task completes,
and the errors it reports are put next to their fields, so both the API and the dashboard obey
exactly the same checks."""

from django import forms

FIELD_TYPES = {
    "string": lambda **kw: forms.CharField(strip=False, **kw),
    "long": lambda **kw: forms.IntegerField(**kw),
    "boolean": lambda **kw: forms.BooleanField(**kw),
    "date": lambda **kw: forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **kw),
}


def _html_hints(constraints):
    """Browser hints only (the form is sent with novalidate; the engine decides)."""
    hints = {}
    for name, attr in (("min", "min"), ("max", "max"), ("minlength", "minlength"), ("maxlength", "maxlength")):
        if constraints.get(name) is not None:
            hints[attr] = constraints[name]
    if "required" in constraints:
        hints["aria-required"] = "true"
    return hints


class TaskForm(forms.Form):
    """Fields from the task's formData, pre-filled with default values or current variables."""

    def __init__(self, form_fields, *args, current_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_fields = form_fields
        current_values = current_values or {}
        for spec in form_fields:
            constraints = {c["name"]: c.get("config") for c in spec.get("validation", [])}
            kind = spec.get("type") or "string"
            options = {"label": spec.get("label") or spec["id"], "required": False,
                       "disabled": "readonly" in constraints,
                       "initial": current_values.get(spec["id"], spec.get("defaultValue"))}
            if kind == "enum":
                field = forms.ChoiceField(choices=[("", "—")] + [(v["id"], v["name"] or v["id"])
                                                                 for v in spec.get("values", [])], **options)
            else:
                field = FIELD_TYPES.get(kind, FIELD_TYPES["string"])(**options)
            field.widget.attrs.update(_html_hints(constraints))
            field.required_by_model = "required" in constraints
            self.fields[spec["id"]] = field

    def variables(self):
        """The submitted values as process variables; empty fields are left out so the engine
        reports a missing required value itself."""
        values = {}
        for name, field in self.fields.items():
            if field.disabled:
                continue
            value = self.cleaned_data.get(name)
            if isinstance(field, forms.BooleanField):
                values[name] = bool(value)
            elif value not in (None, ""):
                values[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return values

    def add_service_errors(self, errors, pointer_prefix="/variables/"):
        """Puts the engine's [{pointer, detail}] errors next to their fields; returns the rest."""
        unplaced = []
        for error in errors:
            name = error.get("pointer", "").removeprefix(pointer_prefix)
            if name in self.fields:
                self.add_error(name, error["detail"])
            else:
                unplaced.append(error)
        return unplaced


class AssignForm(forms.Form):
    user_id = forms.CharField(label="Assign to (user name)", max_length=150)


class DelegateForm(forms.Form):
    """Shown beside AssignForm, hence its prefix (two fields named user_id would share an id)."""

    prefix = "delegate"
    user_id = forms.CharField(label="Delegate to (user name)", max_length=150,
                              help_text="They work on it and resolve it; then it comes back to its owner.")


class CancelForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=500, required=False)


class VariableForm(forms.Form):
    name = forms.CharField(label="Name", max_length=255)
    value = forms.JSONField(label="Value (JSON)", required=False,
                            help_text='JSON: "text", 42, true, {"a": 1}, null')
    delete = forms.BooleanField(label="Delete this variable", required=False)


class StartForm(forms.Form):
    business_key = forms.CharField(label="Business key", max_length=200, required=False,
                                   help_text="e.g. the case number; processes of one case share its business data.")
    variables = forms.JSONField(label="Process variables (JSON object)", required=False,
                                widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
                                help_text='e.g. {"amount": 25000} or typed: {"amount": {"value": 25000, "type": "Long"}}')
    business_data = forms.JSONField(label="Business data (JSON object)", required=False,
                                    widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
                                    help_text="Validated against the process's data model, if it declares one.")

    def add_service_errors(self, errors):
        """Puts errors whose pointer starts with a field's JSON name under that field."""
        unplaced = []
        for error in errors:
            pointer = error.get("pointer", "")
            field = next((name for prefix, name in (("/variables", "variables"), ("/businessData", "business_data"),
                                                     ("/businessKey", "business_key")) if pointer.startswith(prefix)),
                         None)
            if field:
                self.add_error(field, f"{pointer}: {error['detail']}")
            else:
                unplaced.append(error)
        return unplaced
