"""The items query parameters of OGC API – Features that are not a layer's own:
`limit`, `offset`, `bbox-crs`, `crs`, `datetime`, `f`. Each refusal names the
parameter (QueryError), like the layers' filters do."""

import datetime as dt

from django.db.models import DateTimeField
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from geo.errors import QueryError
from geo.numbers import whole_number

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
MAX_OFFSET = 2**31 - 1
# Parameters the edge reads itself; every other one goes to the layer's `select`,
# which refuses those it does not know.
OWN = ("limit", "offset", "bbox-crs", "crs", "datetime", "f")


def limit(params):
    raw = params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    number = whole_number(raw, 1, MAX_LIMIT)
    if number is None:
        raise QueryError(
            "limit",
            _("ожидается целое число от 1 до %(max)d") % {"max": MAX_LIMIT},
        )
    return number


def offset(params):
    raw = params.get("offset")
    if raw is None:
        return 0
    number = whole_number(raw, 0, MAX_OFFSET)
    if number is None:
        raise QueryError("offset", _("ожидается целое неотрицательное число"))
    return number


def crs(params):
    """Only CRS84 is served (Part 2 is not implemented); asking for it is allowed."""
    raw = params.get("crs")
    if raw is not None and raw != CRS84:
        raise QueryError("crs", _("поддерживается только %s") % CRS84)


def bbox_in_crs84(params):
    """The `bbox` as lon,lat text: EPSG:4326 by its definition lists latitude first."""
    bbox_crs = params.get("bbox-crs", CRS84)
    if bbox_crs not in (CRS84, EPSG4326):
        raise QueryError(
            "bbox-crs", _("поддерживаются: %s") % ", ".join((CRS84, EPSG4326))
        )
    bbox = params.get("bbox")
    if bbox is None or bbox_crs == CRS84:
        return bbox
    parts = bbox.split(",")
    if len(parts) != 4:
        return bbox  # the layer's bbox check names what is wrong with it
    minlat, minlon, maxlat, maxlon = parts
    return ",".join((minlon, minlat, maxlon, maxlat))


def _instant(text):
    """An end of a `datetime` interval: None when open, else a date or a datetime."""
    if text in ("", ".."):
        return None
    try:
        # A bare date is a day, not its midnight (fromisoformat would take it so).
        value = parse_datetime(text) if "T" in text.upper() else parse_date(text)
    except ValueError:
        value = None
    if value is None:
        raise QueryError(
            "datetime",
            _("«%s» — ожидается дата или время по RFC 3339 или интервал «начало/конец»")
            % text,
        )
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise QueryError("datetime", _("у времени «%s» нет часового пояса") % text)
        try:
            # In UTC, so that the ends compare; an offset may carry it past year 9999.
            value = value.astimezone(dt.UTC)
        except OverflowError:
            raise QueryError(
                "datetime", _("«%s» — вне допустимых дат") % text
            ) from None
    return value


def select_datetime(layer, queryset, raw):
    """`?datetime=` on the layer's declared date field: an instant or an interval
    (`a/b`, `../b`, `a/..`). A date selects the whole day of a date-time."""
    if layer.datetime_field is None:
        raise QueryError("datetime", _("у объектов слоя «%s» нет даты") % layer.name)
    if "/" in raw:
        start_text, end_text = raw.split("/", 1)
        start, end = _instant(start_text), _instant(end_text)
        if start is None and end is None:
            return queryset
    else:
        start = end = _instant(raw)
        if start is None:
            raise QueryError("datetime", _("ожидается дата, время или интервал"))
    name = layer.datetime_field
    field = queryset.model._meta.get_field(name.split("__")[0])
    is_datetime = isinstance(field, DateTimeField)

    def bound(value, op):
        if isinstance(value, dt.datetime):
            return ({f"{name}__{op}": value if is_datetime else value.date()},)
        return ({f"{name}__date__{op}" if is_datetime else f"{name}__{op}": value},)

    if start is not None and end is not None and _key(start) > _key(end):
        raise QueryError("datetime", _("начало интервала позже его конца"))
    if start is not None:
        (lookup,) = bound(start, "gte")
        queryset = queryset.filter(**lookup)
    if end is not None:
        (lookup,) = bound(end, "lte")
        queryset = queryset.filter(**lookup)
    return queryset


def _key(value):
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
