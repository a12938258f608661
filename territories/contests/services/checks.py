"""Checks of what an applicant typed, before the database is asked."""

from django.utils.translation import gettext as _

from geo.errors import Refused
from geo.numbers import whole_number
from geo.text import storable_text

MAX_TITLE = 200
MAX_DESCRIPTION = 4000
MAX_DISPLAY_NAME = 100


def text(data, field, limit, *, required=False):
    value = storable_text(field, data.get(field))
    if required and not value:
        raise Refused(field, _("заполните это поле"))
    if len(value) > limit:
        raise Refused(field, _("не длиннее %d знаков") % limit)
    return value


def identifier(data, field, *, required=True):
    """A row's id given as a JSON number or digits; None when absent and optional."""
    raw = data.get(field)
    if raw in (None, "") and not required:
        return None
    if isinstance(raw, bool):
        raw = None
    number = whole_number(str(raw).strip(), 1) if raw not in (None, "") else None
    if number is None:
        raise Refused(field, _("укажите номер (целое число)"))
    return number


def choice(data, field, choices):
    value = data.get(field)
    if value not in choices.values:
        raise Refused(
            field, _("ожидается одно из значений: %s") % ", ".join(choices.values)
        )
    return choices(value)
