"""Types of process variables as the API shows them (Camunda's names)."""

INT_MIN, INT_MAX = -(2 ** 31), 2 ** 31 - 1


def type_of(value):
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer" if INT_MIN <= value <= INT_MAX else "Long"
    if isinstance(value, float):
        return "Double"
    if isinstance(value, str):
        return "String"
    return "Json"
