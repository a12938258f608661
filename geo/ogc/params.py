"""The items query parameters of OGC API – Features that are not a layer's own:
`limit`, `offset`, `bbox-crs`, `crs`, `datetime`, `filter`, `filter-lang`,
`filter-crs`, `f`. Each refusal names the
parameter (QueryError), like the layers' filters do."""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Polygon
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
OWN += ("filter", "filter-lang", "filter-crs")


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


@dataclass(frozen=True)
class CRS:
    """A CRS the features can be served in (OGC API – Features Part 2): its URI, the
    SRID PostGIS transforms to, and whether the axes are latitude first."""

    uri: str
    srid: int
    flip: bool = False


def storage_crs():
    """The metric CRS the rows are stored in (settings.GIS_SRID, UTM 48N)."""
    return f"http://www.opengis.net/def/crs/EPSG/0/{settings.GIS_SRID}"


def supported():
    """{uri: CRS}, CRS84 first: the default, and what GeoJSON means by itself."""
    return {
        CRS84: CRS(CRS84, 4326),
        EPSG4326: CRS(EPSG4326, 4326, flip=True),
        storage_crs(): CRS(storage_crs(), settings.GIS_SRID),
    }


def one_of(params, name):
    uri = params.get(name, CRS84)
    found = supported().get(uri)
    if found is None:
        raise QueryError(name, _("поддерживаются: %s") % ", ".join(supported()))
    return found


def crs(params):
    """The CRS of the response's coordinates (`crs=`)."""
    return one_of(params, "crs")


def bbox(params):
    """(bbox text in lon,lat for the layer's own `select`, or None; a polygon in the
    storage CRS to intersect, or None): a metric box is not a lon/lat rectangle, so
    it is applied as it is, not through the layer's WGS 84 bbox."""
    bbox_crs = one_of(params, "bbox-crs")
    text = params.get("bbox")
    if text is None or bbox_crs.uri == CRS84:
        return text, None
    parts = text.split(",")
    if len(parts) != 4:
        return text, None  # the layer's bbox check names what is wrong with it
    if bbox_crs.flip:
        minlat, minlon, maxlat, maxlon = parts
        return ",".join((minlon, minlat, maxlon, maxlat)), None
    try:
        box = [float(part) for part in parts]
    except ValueError:
        raise QueryError("bbox", _("все четыре значения должны быть числами")) from None
    if not all(map(math.isfinite, box)) or box[0] >= box[2] or box[1] >= box[3]:
        raise QueryError(
            "bbox", _("минимальные значения должны быть меньше максимальных")
        )
    polygon = Polygon.from_bbox(box)
    polygon.srid = bbox_crs.srid
    return None, polygon


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
