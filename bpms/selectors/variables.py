from bpms.models import ProcessVariable


def variables_of_instance(instance_id):
    return dict(ProcessVariable.objects.filter(process_instance_id=instance_id).values_list("name", "value"))


def typed_variables_of_instance(instance_id):
    return {name: {"value": value, "type": type_} for name, type_, value in
            ProcessVariable.objects.filter(process_instance_id=instance_id).values_list("name", "type", "value")}


def variables_for_instances(instance_ids):
    """{instance id: {name: value}} for many instances in one query (lists with includeVariables)."""
    found = {str(i): {} for i in instance_ids}
    for instance_id, name, value in ProcessVariable.objects.filter(process_instance_id__in=instance_ids).values_list(
            "process_instance_id", "name", "value"):
        found[str(instance_id)][name] = value
    return found
