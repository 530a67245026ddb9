"""JSON request parsing with bounds: body size and nesting depth.

DRF reads the request stream itself, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE never applies to
JSON bodies; and Python's json module answers a deeply nested document with RecursionError.
Both would be a 500 or unbounded memory for what is a caller's mistake; so would a NUL character,
which PostgreSQL refuses to store."""

import json

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from eximee.errors import PayloadTooLarge

MAX_JSON_DEPTH = 64


def _unstorable(value, limit):
    """Why the parsed document cannot be accepted, or None. PostgreSQL cannot store NUL
    characters in text or jsonb, so they are refused here rather than failing at the insert."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return f"JSON nesting deeper than {limit} levels."
        if isinstance(node, dict):
            if any("\x00" in key for key in node):
                return "JSON object keys must not contain NUL (\\u0000) characters."
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
        elif isinstance(node, str) and "\x00" in node:
            return "JSON strings must not contain NUL (\\u0000) characters."
    return None


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
        problem = _unstorable(data, MAX_JSON_DEPTH)
        if problem:
            raise ParseError(problem)
        return data
