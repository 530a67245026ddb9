"""A schema's flattened field list: what integrators read instead of walking JSON Schema."""

from eximee.errors import json_pointer

ARRAY_ITEM = "*"  # stands for every index of an array in a field path: /collaterals/*/value


def _resolve(schema, root, seen):
    """Follows local references ("#/$defs/address"); remote ones are left as they are."""
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#"):
        ref = schema["$ref"]
        if ref in seen:
            return {}, seen
        seen = seen | {ref}
        target = root
        for part in ref[1:].split("/")[1:]:
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema, seen


def _type(schema):
    kind = schema.get("type")
    if kind is None:
        if "properties" in schema:
            return "object"
        if "items" in schema:
            return "array"
        if "enum" in schema or "const" in schema:
            return "enum"
        return "any"
    return "|".join(kind) if isinstance(kind, list) else kind


def _walk(schema, root, path, required, seen, out):
    schema, seen = _resolve(schema, root, seen)
    if not isinstance(schema, dict):
        return
    if path:
        field = {"path": json_pointer(path), "type": _type(schema), "title": schema.get("title", path[-1]),
                 "required": required}
        for key in ("description", "format", "enum", "default", "minimum", "maximum", "maxLength", "pattern"):
            if key in schema:
                field[key] = schema[key]
        out.append(field)
    required_names = set(schema.get("required", []))
    for name, child in (schema.get("properties") or {}).items():
        _walk(child, root, [*path, name], name in required_names, seen, out)
    if isinstance(schema.get("items"), dict):
        _walk(schema["items"], root, [*path, ARRAY_ITEM], False, seen, out)


def flatten(schema):
    """[{path, type, title, required, ...}] for every property, nested objects and array items
    included, in schema order."""
    out = []
    _walk(schema, schema, [], False, frozenset(), out)
    return out
