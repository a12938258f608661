"""GET requests: the spec's filters and its default window (the most recent 90 days,
at most 1000 requests), over the public reports."""

import re
from datetime import timedelta

from django.contrib.gis.db.models.functions import Transform
from django.db.models import F, FloatField, Func, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.dates import parse_moment
from geo.errors import QueryError
from geo.paging import keyset_page

from ..filters import filter_reports
from ..models import Category, ProblemReport, ReportPhoto, ReportUpdate
from .formats import Open311Error

OPEN311_NAMES = {
    "id": "service_request_id",
    "category": "service_code",
    "since": "start_date",
    "until": "end_date",
    "group": "status",
}

WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000
SERVICE_CODE = re.compile(r"^[-\w]{1,64}$")
UNESCAPED_OFFSET = re.compile(r"(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$")


def public_requests():
    """Every report anyone may see, with what its Open311 view needs besides its own
    columns, in one query: the point in WGS 84 as two numbers (no GEOS geometry),
    the last public comment and the first photo. `as_rows` reads it as plain rows:
    at 1,000 requests a page, model instances cost more than the query."""
    comments = ReportUpdate.objects.filter(report=OuterRef("pk")).exclude(comment="")
    photos = ReportPhoto.objects.filter(report=OuterRef("pk")).order_by("pk")
    point = Transform("geom", 4326)
    return ProblemReport.objects.public().annotate(
        long=Func(point, function="ST_X", output_field=FloatField()),
        lat=Func(point, function="ST_Y", output_field=FloatField()),
        last_comment=Subquery(
            comments.order_by("-created_at", "-pk").values("comment")[:1]
        ),
        first_photo=Subquery(photos.values("pk")[:1]),
    )


def as_rows(reports):
    """`reports` (a filtered, ordered `public_requests()`) as the rows that
    `serializers.service_requests` takes."""
    return reports.values(
        "pk",
        "status",
        "duplicate_of_id",
        "description",
        "created_at",
        "updated_at",
        "building_id",
        "long",
        "lat",
        "last_comment",
        "first_photo",
        service_code=F("category__code"),
        service_name=F("category__name"),
        service_name_en=F("category__name_en"),
        agency=F("category__responsible__name"),
        address=F("building__address"),
    )


def search(params):
    """The page of reports a GET requests call asks for, newest first, as a
    `geo.paging.KeysetPage`: the spec's names mapped onto the one report filter
    (reports/filters.py). Our extension `cursor` (from the Link header of the page
    before) goes on past the first MAX_REQUESTS (docs/architecture.md, "Long
    lists: keyset pages and counts")."""
    reports = public_requests()
    if params.get("service_request_id"):
        # The spec: service_request_id overrides every other argument.
        query = {"id": params["service_request_id"]}
    else:
        start, end = window(params.get("start_date"), params.get("end_date"))
        query = {"since": start.isoformat(), "until": end.isoformat()}
        codes = _list(params.get("service_code"))
        if codes:
            _check_codes(codes)
            query["category"] = ",".join(codes)
        query["group"] = _status_group(params.get("status"))
    query["sort"] = "-created_at"
    try:
        reports, _territories = filter_reports(query, reports)
        cursor = {"cursor": params.get("cursor", "")}
        return keyset_page(as_rows(reports), cursor, MAX_REQUESTS)
    except QueryError as error:
        raise Open311Error(
            400, f"{OPEN311_NAMES.get(error.field, error.field)}: {error}"
        ) from None


def window(start_raw, end_raw):
    """(start, end) of requested_datetime; never more than 90 days."""
    start = _moment("start_date", start_raw)
    end = _moment("end_date", end_raw, end_of_day=True)
    if start is None and end is None:
        end = timezone.now()
    try:
        start = end - WINDOW if start is None else start
        end = start + WINDOW if end is None else end
    except OverflowError:
        # Near year 1 or 9999 the default window leaves the calendar.
        raise Open311Error(400, _("start_date, end_date: вне допустимых дат")) from None
    if start > end:
        raise Open311Error(400, _("end_date: раньше, чем start_date"))
    if end - start > WINDOW:
        raise Open311Error(
            400, _("end_date: промежуток от start_date не длиннее 90 дней")
        )
    return start, end


def _moment(field, raw, end_of_day=False):
    """A w3c datetime (with its offset, or in the district's time zone without one);
    a bare date means the start of that day, or its end for end_date."""
    if not raw:
        return None
    try:
        moment = parse_moment(_unplussed(raw.strip()), end_of_day=end_of_day)
    except OverflowError:
        moment = None
    if moment is None:
        raise Open311Error(
            400,
            _("%(field)s: ожидается дата и время W3C, например 2026-05-01T00:00:00Z")
            % {"field": field},
        )
    return moment


def _unplussed(raw):
    # An offset like +08:00 sent unescaped in a query string arrives as " 08:00".
    return UNESCAPED_OFFSET.sub(r"\1+\2", raw)


def _list(raw):
    return [item.strip() for item in (raw or "").split(",") if item.strip()]


def _status_group(raw):
    """The spec's open / closed (or both: no filter) as a group of our statuses."""
    statuses = {item.lower() for item in _list(raw)}
    if not statuses <= {"open", "closed"}:
        raise Open311Error(400, _("status: допустимы значения open и closed"))
    return statuses.pop() if len(statuses) == 1 else ""


def _check_codes(codes):
    wellformed = [code for code in codes if SERVICE_CODE.match(code)]
    known = set(
        Category.objects.filter(code__in=wellformed).values_list("code", flat=True)
    )
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise Open311Error(404, _("service_code: нет такой услуги «%s»") % unknown[0])
