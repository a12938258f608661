"""The public reports and the list's query parameters (status, category, territory,
bbox, since / age, sort, page)."""

from datetime import timedelta

from django.contrib.gis.db.models.functions import Transform
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.bbox import BBoxError, parse_bbox
from geo.dates import parse_moment
from geo.errors import Refused

from ..models import PUBLIC_STATUSES, ProblemReport, ReportUpdate

SORTS = {
    "-created_at": ("-created_at", "-pk"),
    "-support_count": ("-support_count", "-created_at", "-pk"),
}
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def public_reports():
    """Reports anyone may see, with what the public representation needs: names of
    the places instead of their geometry, the point in WGS 84, photos."""
    return (
        ProblemReport.objects.public()
        .select_related("category")
        .annotate(
            point=Transform("geom", 4326),
            territory_name=F("territory__name"),
            yard_name=F("yard__name"),
            building_address=F("building__address"),
            duplicate_status=F("duplicate_of__status"),
        )
        .prefetch_related("photos")
    )


def shown_original(report):
    """The id of the report a duplicate repeats, unless that one is hidden; for a
    `public_reports()` row."""
    if report.duplicate_status in (None, ProblemReport.Status.HIDDEN):
        return None
    return report.duplicate_of_id


def with_timeline(queryset):
    return queryset.prefetch_related(
        Prefetch("updates", queryset=ReportUpdate.objects.order_by("created_at", "pk"))
    )


def filter_reports(queryset, params):
    """The list narrowed and sorted by the query string; Refused names the parameter."""
    for name, apply in FILTERS.items():
        value = params.get(name, "").strip()
        if value:
            queryset = apply(queryset, value)
    sort = params.get("sort", "-created_at")
    if sort not in SORTS:
        raise Refused("sort", _("сортировка: %s") % " | ".join(SORTS))
    return queryset.order_by(*SORTS[sort])


def _status(queryset, value):
    codes = [code.strip() for code in value.split(",") if code.strip()]
    unknown = [code for code in codes if code not in PUBLIC_STATUSES]
    if unknown:
        raise Refused(
            "status",
            _("нет такого статуса: «%(code)s»; есть: %(known)s")
            % {"code": unknown[0], "known": ", ".join(PUBLIC_STATUSES)},
        )
    return queryset.filter(status__in=codes)


def _category(queryset, value):
    codes = [code.strip() for code in value.split(",") if code.strip()]
    return queryset.filter(category__code__in=codes)


def _territory(queryset, value):
    try:
        ids = [int(part) for part in value.split(",")]
    except ValueError:
        raise Refused("territory", _("ожидается номер ТОС")) from None
    return queryset.filter(territory_id__in=ids)


def _bbox(queryset, value):
    try:
        bbox = parse_bbox(value)
    except BBoxError as refused:
        raise Refused("bbox", str(refused)) from None
    return queryset.in_bbox(bbox)


def _since(queryset, value):
    try:
        moment = parse_moment(value)
    except OverflowError:
        raise Refused("since", _("дата вне допустимого диапазона")) from None
    if moment is None:
        raise Refused("since", _("ожидается дата ГГГГ-ММ-ДД или дата и время ISO 8601"))
    return queryset.filter(created_at__gte=moment)


def _age(queryset, value):
    try:
        days = int(value)
    except ValueError:
        days = -1
    if not 0 <= days <= 36500:
        raise Refused("age", _("ожидается число дней"))
    return queryset.filter(created_at__gte=timezone.now() - timedelta(days=days))


FILTERS = {
    "status": _status,
    "category": _category,
    "territory": _territory,
    "bbox": _bbox,
    "since": _since,
    "age": _age,
}


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
        raise Refused(name, _("ожидается целое число от 1 до %d") % maximum)
    return value
