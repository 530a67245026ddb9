from django.contrib.postgres.expressions import ArraySubquery
from django.db.models.functions import JSONObject

from bpms.models import ProcessVariable


def variables_of_instance(instance_id):
    return dict(ProcessVariable.objects.filter(process_instance_id=instance_id).values_list("name", "value"))


def typed_variables(rows):
    """{name: {"value", "type"}}, as the API shows variables, of (name, type, value) rows."""
    return {name: {"value": value, "type": type_} for name, type_, value in rows}


def variable_rows(instance_ref):
    """The variables of the instance `instance_ref` (an OuterRef) as one column of the outer query:
    [{"name", "type", "value"}] by name, for typed_variables."""
    return ArraySubquery(ProcessVariable.objects.filter(process_instance_id=instance_ref).order_by("name").values(
        row=JSONObject(name="name", type="type", value="value")))


def typed_variables_of_instance(instance_id):
    return typed_variables(
        ProcessVariable.objects.filter(process_instance_id=instance_id).values_list("name", "type", "value"))


def variables_for_instances(instance_ids):
    """{instance id: {name: value}} for many instances in one query (lists with includeVariables)."""
    found = {str(i): {} for i in instance_ids}
    for instance_id, name, value in ProcessVariable.objects.filter(process_instance_id__in=instance_ids).values_list(
            "process_instance_id", "name", "value"):
        found[str(instance_id)][name] = value
    return found


def search(*, process_instance_ids=None, name=None, name_like=None):
    """Current variables of instances, running or ended, with their instance."""
    found = ProcessVariable.objects.select_related("process_instance")
    if process_instance_ids is not None:
        found = found.filter(process_instance_id__in=process_instance_ids)
    if name is not None:
        found = found.filter(name=name)
    if name_like is not None:
        found = found.filter(name__icontains=name_like)
    return found.order_by("process_instance_id", "name", "id")
