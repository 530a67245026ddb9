"""Types of process variables as the API shows them (Camunda's names), and their stored form."""

from datetime import datetime, timezone

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
    if isinstance(value, datetime):
        return "Date"
    return "Json"


def stored(value):
    """The JSON form of a variable's value in our tables and the API: a Date in UTC as Camunda's
    REST API writes dates (2026-11-27T17:42:42.657+0000), so stored dates also sort as text."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
            f"{value.microsecond // 1000:03d}+0000"
    return value
