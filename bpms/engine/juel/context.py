"""What an expression can see: variables by name, and `execution`."""

from .coercion import type_name
from .errors import JuelEvaluationError, UnknownVariable
from .members import JuelObject, Method


def _variable_name(value):
    if type(value) is not str:
        raise JuelEvaluationError(f"a variable name must be a String, not {type_name(value)}")
    return value


class ExecutionFacade(JuelObject):
    """`execution` in an expression: Camunda's DelegateExecution reduced to what models use.
    setVariable writes into the dict it was given."""

    juel_name = "execution"

    def __init__(self, variables: dict, *, id=None, process_instance_id=None, business_key=None,
                 activity_id=None, local_scope=None):
        """local_scope: what setVariableLocal/getVariableLocal act on, an object with
        `declare(name)` (called before a local is written) and `names()`; without one there is
        only the process scope."""
        self.variables = variables
        self.id = id
        self.process_instance_id = process_instance_id
        self.business_key = business_key
        self.activity_id = activity_id
        self.local_scope = local_scope

    def get_variable(self, name):
        return self.variables.get(_variable_name(name))

    def set_variable(self, name, value):
        self.variables[_variable_name(name)] = value

    def set_variable_local(self, name, value):
        if self.local_scope is not None:
            self.local_scope.declare(_variable_name(name))
        self.set_variable(name, value)

    def get_variable_local(self, name):
        if self.local_scope is not None and _variable_name(name) not in self.local_scope.names():
            return None
        return self.get_variable(name)

    def has_variable(self, name):
        return _variable_name(name) in self.variables

    def copy_of_variables(self):
        # A copy, as Camunda's getVariables() returns: reading must not become a way to write.
        return dict(self.variables)

    properties = {
        "id": lambda execution: execution.id,
        "processInstanceId": lambda execution: execution.process_instance_id,
        "businessKey": lambda execution: execution.business_key,
        "processBusinessKey": lambda execution: execution.business_key,
        "activityId": lambda execution: execution.activity_id,
        "currentActivityId": lambda execution: execution.activity_id,
        "variables": copy_of_variables,
    }
    methods = {
        "getVariable": Method(get_variable, (1,)),
        "setVariable": Method(set_variable, (2,)),
        "setVariableLocal": Method(set_variable_local, (2,)),
        "getVariableLocal": Method(get_variable_local, (1,)),
        "hasVariable": Method(has_variable, (1,)),
        # Bean getters: getId(), getBusinessKey(), getVariables(), ...
        **{"get" + name[0].upper() + name[1:]: Method(getter, (0,)) for name, getter in properties.items()},
    }


class TaskFacade(ExecutionFacade):
    """`task` in a task listener's expression: Camunda's DelegateTask reduced to what models use.
    Its variables are its execution's; setAssignee is kept for the task row the engine writes."""

    juel_name = "task"

    def __init__(self, variables: dict, *, name="", task_definition_key=None, assignee=None, execution=None, **kwargs):
        super().__init__(variables, **kwargs)
        self.name = name
        self.task_definition_key = task_definition_key
        self.assignee = assignee
        self.execution = execution

    def set_assignee(self, user_id):
        self.assignee = None if user_id is None else str(user_id)

    properties = {
        **ExecutionFacade.properties,
        "name": lambda task: task.name,
        "taskDefinitionKey": lambda task: task.task_definition_key,
        "assignee": lambda task: task.assignee,
        "execution": lambda task: task.execution,
    }
    methods = {
        **ExecutionFacade.methods,
        "setAssignee": Method(set_assignee, (1,)),
        **{"get" + name[0].upper() + name[1:]: Method(getter, (0,))
           for name, getter in properties.items() if name not in ExecutionFacade.properties},
    }


class Context:
    """What an expression can see. Subclass (override `resolve`) or instantiate with a dict.
    Without an explicit dict, the variables are the execution's."""

    def __init__(self, variables: dict | None = None, execution: ExecutionFacade | None = None,
                 task: TaskFacade | None = None):
        if variables is None:
            variables = execution.variables if execution is not None else {}
        self.variables = variables
        self.execution = execution
        self.task = task

    def resolve(self, name: str) -> object:
        if name == "execution" and self.execution is not None:
            return self.execution
        if name == "task" and self.task is not None:
            return self.task
        try:
            return self.variables[name]
        except KeyError:
            raise UnknownVariable(name) from None
