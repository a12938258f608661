"""Pages of a JSON list (reports, events): `page` and `page_size`."""

from django.utils.translation import gettext as _

from geo.errors import QueryError
from geo.numbers import whole_number

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


def page_of(queryset, params):
    """(total count, the rows of the page, page number, page size)."""
    page = _positive(params, "page", 1, maximum=MAX_PAGE)
    size = _positive(params, "page_size", PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    total = queryset.count()
    rows = list(queryset[(page - 1) * size : page * size])
    return total, rows, page, size


def _positive(params, name, default, maximum):
    raw = params.get(name, "")
    if not raw:
        return default
    value = whole_number(raw, 1, maximum)
    if value is None:
        raise QueryError(name, _("ожидается целое число от 1 до %d") % maximum)
    return value


def schemas():
    """The OpenAPI schemas of `page` and `page_size`: what `page_of` takes."""
    return {
        "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    }
