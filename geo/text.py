"""Residents' text as PostgreSQL can store it and UTF-8 can carry it."""

import re

from django.utils.translation import gettext as _

from .errors import Refused

# NUL cannot be stored in a PostgreSQL text; a lone surrogate (a JSON body may send
# "\ud800") cannot be encoded in UTF-8, neither for the database nor in a response.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(field, value):
    """`value` as stripped text, or Refused naming `field`: a JSON object or list is
    no text, and NUL and lone surrogates have no place in one."""
    if isinstance(value, (dict, list)):
        raise Refused(field, _("ожидается текст"))
    text = "" if value is None else str(value).strip()
    if "\x00" in text:
        raise Refused(field, _("недопустимый символ NUL"))
    if UNSTORABLE.search(text):
        raise Refused(field, _("недопустимый символ: одиночный суррогат UTF-16"))
    return text


def without_unstorable(text):
    """The text with NUL and lone surrogates dropped (for staff comments, which are
    taken as they come)."""
    return UNSTORABLE.sub("", text)
