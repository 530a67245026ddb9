"""JSON request parsing with bounds: body size and nesting depth.

DRF reads the request stream itself, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE never applies to
JSON bodies; and Python's json module answers a deeply nested document with RecursionError.
Both would be a 500 or unbounded memory for what is a caller's mistake; so would a NUL character,
which PostgreSQL refuses to store."""

import json

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from eximee.errors import InvalidRequest, PayloadTooLarge, json_pointer

MAX_JSON_DEPTH = 64


def _check(value, limit):
    """Refuses what cannot be accepted: nesting beyond `limit`, and NUL characters, which
    PostgreSQL cannot store in text or jsonb (the insert would fail later as a 500)."""
    stack = [(value, ())]
    while stack:
        node, path = stack.pop()
        if len(path) >= limit:
            raise ParseError(f"JSON nesting deeper than {limit} levels.")
        if isinstance(node, dict):
            for key, child in node.items():
                if "\x00" in key:
                    raise _nul(path + (key,))
                stack.append((child, path + (key,)))
        elif isinstance(node, list):
            stack.extend((child, path + (index,)) for index, child in enumerate(node))
        elif isinstance(node, str) and "\x00" in node:
            raise _nul(path)


def _nul(path):
    pointer = json_pointer(path)
    return InvalidRequest(f"{pointer or '/'}: contains a NUL (\\u0000) character.",
                          errors=[{"pointer": pointer, "detail": "contains a NUL character"}])


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise PayloadTooLarge(f"The request body exceeds {limit} bytes.")
        try:
            data = json.loads(body.decode(parser_context.get("encoding", "utf-8") if parser_context else "utf-8"))
        except RecursionError:
            raise ParseError(f"JSON nesting deeper than {MAX_JSON_DEPTH} levels.") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        _check(data, MAX_JSON_DEPTH)
        return data
