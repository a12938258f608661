"""Numbers on the boundary pages as the scripts write them (static/boundaries/
format.js): grouped by the request's locale, Russian with a narrow no-break space."""

from django import template
from django.utils.formats import number_format

register = template.Library()

NARROW_NBSP = "\u202f"


def grouped(value, decimals=None):
    text = number_format(value, decimal_pos=decimals, force_grouping=True)
    return text.replace("\xa0", NARROW_NBSP).replace(" ", NARROW_NBSP)


@register.filter
def count(value):
    """A whole number: 2 478."""
    return "—" if value is None else grouped(int(value))


@register.filter
def hectares(area_m2):
    """An area in m² as hectares with one decimal: 21,0."""
    return "—" if area_m2 is None else grouped(area_m2 / 10_000, 1)


@register.filter
def square_metres(area_m2):
    return "—" if area_m2 is None else grouped(round(area_m2))
