"""Camunda's variable format `{value, type, valueInfo}` for what the facade returns. Input goes
through bpms.services.variables.parse_camunda_variables, like every other variable input."""

import json

from bpms.engine.embedded.variables import stored, type_of
from bpms.selectors.variables import typed_variables_of_instance


def typed_value(value, type_=None):
    """A stored value as Camunda shows it: Json values serialized as text, like Camunda's Spin JSON."""
    type_ = type_ or type_of(value)
    if type_ == "Json":
        return {"value": json.dumps(value), "type": "Json", "valueInfo": {}}
    return {"value": value, "type": type_, "valueInfo": {}}


def variables_map(values):
    """{name: plain value} -> {name: {value, type, valueInfo}}; a datetime as a Date in Camunda's format."""
    return {name: typed_value(stored(value), type_of(value)) for name, value in values.items()}


def instance_variables(instance_id):
    return {name: typed_value(variable["value"], variable["type"])
            for name, variable in typed_variables_of_instance(instance_id).items()}


def variable_instance_dto(row):
    """GET /history/variable-instance: one variable of one instance, running or ended."""
    instance = row.process_instance
    value = typed_value(row.value, row.type)
    return {
        "id": str(row.id), "name": row.name, "type": value["type"], "value": value["value"],
        "valueInfo": value["valueInfo"], "processDefinitionKey": instance.process_definition_key,
        "processDefinitionId": str(instance.definition_id), "processInstanceId": str(instance.id),
        "executionId": str(instance.id), "activityInstanceId": str(instance.id), "taskId": None,
        "caseDefinitionKey": None, "caseDefinitionId": None, "caseInstanceId": None, "caseExecutionId": None,
        "tenantId": None, "errorMessage": None, "state": "CREATED", "createTime": None, "removalTime": None,
        "rootProcessInstanceId": str(instance.id),
    }

