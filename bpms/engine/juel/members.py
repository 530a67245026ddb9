"""What expressions may read from values and call on them: explicit allow-lists. Nothing here
calls getattr on a value, so no expression can reach Python internals."""

import datetime
from typing import Callable, NamedTuple

from .coercion import JAVA_WHITESPACE, java_string, shown, to_long, to_string, type_name
from .errors import JuelEvaluationError


class Method(NamedTuple):
    function: Callable  # takes the target, then the evaluated arguments
    arities: tuple[int, ...]


def invoke(methods, owner, name, target, arguments):
    method = methods.get(name)
    if method is None:
        raise JuelEvaluationError(f"method '{name}' is not allowed on {owner} "
                                  f"(allowed: {', '.join(sorted(methods))})")
    if len(arguments) not in method.arities:
        counts = " or ".join(map(str, method.arities))
        raise JuelEvaluationError(f"method '{name}' of {owner} takes {counts} argument(s), "
                                  f"not {len(arguments)}")
    return method.function(target, *arguments)


class JuelObject:
    """A value that offers expressions the properties and methods it lists, and nothing else.
    `properties` maps a name to a getter taking the object; `methods` maps a name to a Method."""

    juel_name = "object"
    properties: dict[str, Callable] = {}
    methods: dict[str, Method] = {}

    def juel_property(self, name):
        getter = self.properties.get(name)
        if getter is None:
            raise JuelEvaluationError(f"{self.juel_name} has no property '{name}' "
                                      f"(available: {', '.join(sorted(self.properties))})")
        return getter(self)

    def juel_call(self, name, arguments):
        return invoke(self.methods, self.juel_name, name, self, arguments)


def get_property(base, key):
    """`base.key` and `base[key]`: EL gives null for a null base, a missing map key or a list
    index out of range (negative included; no Python wrap-around)."""
    if base is None or key is None:
        return None
    if isinstance(base, dict):
        try:
            return base.get(key)
        except TypeError:
            raise JuelEvaluationError(f"a {type_name(key)} cannot be used as a map key") from None
    if isinstance(base, (list, tuple)):
        index = _index(key)
        return base[index] if 0 <= index < len(base) else None
    if isinstance(base, JuelObject):
        return base.juel_property(to_string(key))
    raise JuelEvaluationError(f"cannot read property {shown(key)} of a {type_name(base)}")


def call_method(base, name, arguments):
    if isinstance(base, JuelObject):
        return base.juel_call(name, arguments)
    if base is None:
        raise JuelEvaluationError(f"cannot call method '{name}' on null")
    kind = type(base)
    if kind is str:
        methods = _TEXT_METHODS
    elif kind is list or kind is tuple:
        methods = _LIST_METHODS
    elif kind is dict:
        methods = _MAP_METHODS
    elif kind is datetime.datetime:
        methods = _DATE_METHODS
    else:
        methods = _VALUE_METHODS
    return invoke(methods, type_name(base), name, base, arguments)


def _index(key):
    try:
        return to_long(key)
    except JuelEvaluationError:
        raise JuelEvaluationError(f"a List index must be a number, not {shown(key)}") from None


def _java_equals(value, other):
    # Object.equals, no EL coercion: "1".equals(1) and (1).equals(1.0) are false in Java.
    return type(value) is type(other) and value == other


def _text_argument(method, value):
    if value is None:
        raise JuelEvaluationError(f"the argument of {method}() must not be null")
    return to_string(value)


def _equals_ignore_case(text, other):
    return other is not None and text.lower() == to_string(other).lower()


def _substring(text, begin, end=None):
    begin = to_long(begin)
    end = len(text) if end is None else to_long(end)
    if not 0 <= begin <= end <= len(text):
        raise JuelEvaluationError(f"substring({begin}, {end}) is out of range for a text of length {len(text)}")
    return text[begin:end]


def _list_get(items, index):
    position = _index(index)
    if not 0 <= position < len(items):
        raise JuelEvaluationError(f"get({position}) is out of range for a List of size {len(items)}")
    return items[position]


def _list_index_of(items, value):
    return next((position for position, item in enumerate(items) if _java_equals(item, value)), -1)


def _map_get(mapping, key):
    return get_property(mapping, key) if key is not None else None


def _contains_key(mapping, key):
    try:
        return key in mapping
    except TypeError:
        raise JuelEvaluationError(f"a {type_name(key)} cannot be used as a map key") from None


_VALUE_METHODS = {
    "equals": Method(_java_equals, (1,)),
    "toString": Method(java_string, (0,)),
}
_SIZED_METHODS = {
    **_VALUE_METHODS,
    "size": Method(len, (0,)),
    "isEmpty": Method(lambda value: len(value) == 0, (0,)),
}
_TEXT_METHODS = {
    **_SIZED_METHODS,
    "length": Method(len, (0,)),
    "equalsIgnoreCase": Method(_equals_ignore_case, (1,)),
    "contains": Method(lambda text, part: _text_argument("contains", part) in text, (1,)),
    "startsWith": Method(lambda text, part: text.startswith(_text_argument("startsWith", part)), (1,)),
    "endsWith": Method(lambda text, part: text.endswith(_text_argument("endsWith", part)), (1,)),
    "indexOf": Method(lambda text, part: text.find(_text_argument("indexOf", part)), (1,)),
    "concat": Method(lambda text, part: text + _text_argument("concat", part), (1,)),
    "substring": Method(_substring, (1, 2)),
    "toUpperCase": Method(str.upper, (0,)),
    "toLowerCase": Method(str.lower, (0,)),
    "trim": Method(lambda text: text.strip(JAVA_WHITESPACE), (0,)),
}
_LIST_METHODS = {
    **_SIZED_METHODS,
    "contains": Method(lambda items, value: _list_index_of(items, value) >= 0, (1,)),
    "indexOf": Method(_list_index_of, (1,)),
    "get": Method(_list_get, (1,)),
}
_MAP_METHODS = {
    **_SIZED_METHODS,
    "get": Method(_map_get, (1,)),
    "containsKey": Method(_contains_key, (1,)),
}


def _date_argument(method, value):
    if type(value) is not datetime.datetime:
        raise JuelEvaluationError(f"the argument of {method}() must be a Date, not {type_name(value)}")
    return value


# java.util.Date, as Date process variables appear in expressions.
_DATE_METHODS = {
    **_VALUE_METHODS,
    "before": Method(lambda date, other: date < _date_argument("before", other), (1,)),
    "after": Method(lambda date, other: date > _date_argument("after", other), (1,)),
    "compareTo": Method(lambda date, other: (date > _date_argument("compareTo", other)) - (date < other), (1,)),
    "getTime": Method(lambda date: round(date.timestamp() * 1000), (0,)),
}
