"""Pages of the events list: `page` and `page_size`."""

from django.utils.translation import gettext as _

from geo.errors import QueryError
from geo.numbers import whole_number

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


def page_of(queryset, params):
    """(total count, the rows of the page, page number, page size)."""
    page = _positive(params, "page", 1, MAX_PAGE)
    size = _positive(params, "page_size", PAGE_SIZE, MAX_PAGE_SIZE)
    total = queryset.count()
    return total, list(queryset[(page - 1) * size : page * size]), page, size


def _positive(params, name, default, maximum):
    raw = params.get(name, "")
    if not raw:
        return default
    value = whole_number(raw, 1, maximum)
    if value is None:
        raise QueryError(name, _("ожидается целое число от 1 до %d") % maximum)
    return value


SCHEMAS = {
    "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
}
