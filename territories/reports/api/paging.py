"""Pages of the report list: `page` and `page_size`."""

from django.utils.translation import gettext as _

from geo.errors import QueryError

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def page_of(queryset, params):
    """(total count, the rows of the page, page number, page size)."""
    page = _positive(params, "page", 1, maximum=100_000)
    size = _positive(params, "page_size", PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    total = queryset.count()
    rows = list(queryset[(page - 1) * size : page * size])
    return total, rows, page, size


def _positive(params, name, default, maximum):
    raw = params.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= maximum:
        raise QueryError(name, _("ожидается целое число от 1 до %d") % maximum)
    return value
