"""JSON request parsing with bounds: body size and nesting depth.

DRF reads the request stream itself, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE never applies to
JSON bodies; and Python's json module answers a deeply nested document with RecursionError.
Both would be a 500 or unbounded memory for what is a caller's mistake."""

import json

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from eximee.errors import PayloadTooLarge

MAX_JSON_DEPTH = 64


def _depth_exceeds(value, limit):
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return False


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
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(f"JSON nesting deeper than {MAX_JSON_DEPTH} levels.")
        return data
