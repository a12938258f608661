"""JSON from clients, with a size and a depth limit.

Python's json module recurses once per nesting level: 3,000 levels of `[` raise
RecursionError, which no parser catches (DRF's JSONParser turns only ValueError into
a 400), and a structure a little below the interpreter's limit can still overflow
whatever walks it later (validation, JSONB adaptation). No request of ours needs
more than a few levels (a report's `answers` is an object of texts or lists of
texts), so anything deeper than MAX_DEPTH is refused, and so is a body larger than
MAX_BYTES: Django's DATA_UPLOAD_MAX_MEMORY_SIZE covers forms, not a JSON body that
DRF reads from the stream (docs/architecture.md, "Refusing what cannot be served")."""

import json

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils.json import strict_constant

from geo.errors import Refused

MAX_BYTES = 256 * 1024
MAX_DEPTH = 16


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"


class BoundedJSONParser(JSONParser):
    """DRF's JSONParser (strict: no NaN or Infinity) with the limits above; a
    refusal is a ParseError (400) or BodyTooLarge (413), both about the body. A view
    that takes larger bodies (a drawn boundary) uses a subclass with its own
    `max_bytes`."""

    max_bytes = MAX_BYTES

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        raw = stream.read(self.max_bytes + 1)
        if len(raw) > self.max_bytes:
            raise BodyTooLarge(too_large(self.max_bytes))
        try:
            return loads(raw.decode(encoding), max_bytes=self.max_bytes)
        except (UnicodeDecodeError, ValueError) as error:
            raise ParseError(str(error)) from None


def loads(text, field="body", *, max_bytes=MAX_BYTES):
    """The JSON value of `text`, or ValueError (a Refused naming `field`) saying why:
    not JSON, longer than `max_bytes`, or nested deeper than MAX_DEPTH."""
    if len(text) > max_bytes:
        raise Refused(field, too_large(max_bytes))
    try:
        value = json.loads(text, parse_constant=strict_constant)
    except RecursionError:
        raise Refused(field, too_deep()) from None
    except ValueError as error:
        raise Refused(field, _("неверный JSON: %s") % error) from None
    if depth_over(value, MAX_DEPTH):
        raise Refused(field, too_deep())
    return value


def depth_over(value, limit):
    """Whether lists and objects nest in `value` more than `limit` levels deep
    (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in item)
    return False


def too_deep():
    return _("JSON вложен слишком глубоко: не больше %d уровней") % MAX_DEPTH


def too_large(limit=MAX_BYTES):
    return _("JSON больше %d КБ") % (limit // 1024)
