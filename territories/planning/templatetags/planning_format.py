"""Numbers on the planner's pages as their scripts write them (static/planning/
format.js): grouped by the request's locale, Russian with a narrow no-break space."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def grouped(value, decimals=None):
    text = number_format(value, decimal_pos=decimals, force_grouping=True)
    return text.replace(NBSP, NARROW_NBSP).replace(" ", NARROW_NBSP)


def half_up(value, places):
    """Rounded as Intl.NumberFormat rounds in the browser (ICU): the float's shortest
    decimal form (repr: 20.65, not 20.6499…), ties away from zero; so the page's
    script and the report print the same digits."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@register.filter
def count(value):
    """A whole number: 2 478."""
    return "—" if value is None else grouped(int(half_up(value, 0)))


@register.filter
def square_metres(value):
    return count(value)


# How a language writes a per cent (as Intl.NumberFormat's style "percent").
PERCENT = {"en": "{}%"}


@register.filter
def share(value):
    """A share 0…1 as per cent with one decimal: 62,3 % (English: 62.3%)."""
    if value is None:
        return "—"
    if isinstance(value, float):
        value = Decimal(repr(value))  # the written form, as Intl scales it
    language = (get_language() or "ru").split("-")[0]
    written = grouped(half_up(value * 100, 1), 1)
    return PERCENT.get(language, "{}" + NBSP + "%").format(written)
