"""
The API's JSON parser: it refuses, naming where, what no database can store or no sane body holds.

Python's json module accepts strings that PostgreSQL and SQLite cannot keep (the NUL character,
and lone surrogates such as "\\ud800" that have no UTF-8 encoding) and nesting deep enough to
exhaust the interpreter's stack. Refusing them here, before any serializer or query sees them,
covers every field of every write endpoint, object keys included, in one place.
"""

import re

from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

# Editors' documents are objects of lists of strings: a few levels. Anything far deeper is an
# attack or a bug, and would only be refused field by field later.
MAX_DEPTH = 32
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _describe(character):
    if character == "\x00":
        return "the NUL character (U+0000)"
    return f"a lone surrogate (U+{ord(character):04X})"


def _printable(key):
    """Return an object key fit to be echoed back in an error, its unstorable characters escaped."""
    return UNSTORABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", key)


def _problems(document):
    """Yield (path, message) for every value or key that cannot be stored, without recursion."""
    pending = [(document, ())]
    while pending:
        value, path = pending.pop()
        if len(path) > MAX_DEPTH:
            yield path[:1], f"Nested deeper than {MAX_DEPTH} levels."
            continue
        if isinstance(value, str):
            if found := UNSTORABLE.search(value):
                yield path, f"Contains {_describe(found.group())}, which cannot be stored."
        elif isinstance(value, dict):
            for key, item in value.items():
                if found := UNSTORABLE.search(key):
                    message = f"The name contains {_describe(found.group())}."
                    yield (*path, _printable(key)), message
                else:
                    pending.append((item, (*path, key)))
        elif isinstance(value, list):
            pending.extend((item, (*path, str(index))) for index, item in enumerate(value))


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing unstorable characters and deep nesting as validation errors."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            document = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.") from None
        errors = {}
        for path, message in _problems(document):
            if not path:
                raise ParseError(message)
            node = errors
            for key in path[:-1]:
                node = node.setdefault(key, {})
                if not isinstance(node, dict):
                    break  # the value around it is already refused
            else:
                node.setdefault(path[-1], [message])
        if errors:
            raise ValidationError(errors)
        return document
