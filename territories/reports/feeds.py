"""Atom feeds for following reports: new reports in a TOS, a bbox or around a point,
and one report's timeline. Public output: no contacts ever, the reporter's name only
when they chose to show it, no description while a report awaits moderation."""

import math
from dataclasses import dataclass

from django.contrib.gis.feeds import Feed, GeoAtom1Feed
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from geo.bbox import BBoxError, parse_bbox
from geo.wgs84 import stored_point, to_wgs84
from territories.registry.models import Territory

from .links import report_path
from .models import ProblemReport, ReportUpdate

FEED_SIZE = 50
MAX_RADIUS_M = 5000
DEFAULT_RADIUS_M = 1000


class BadParameter(ValueError):
    def __init__(self, parameter, message):
        super().__init__(f"{parameter}: {message}")


class _FeedBase(Feed):
    feed_type = GeoAtom1Feed  # Atom with a GeoRSS point per entry

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except BadParameter as error:
            return HttpResponseBadRequest(
                str(error), content_type="text/plain; charset=utf-8"
            )

    def item_link(self, item):
        return report_path(item if isinstance(item, ProblemReport) else item.report)


@dataclass(frozen=True)
class Scope:
    """Where the feed's reports are: any of a TOS, a bbox, a circle (all that apply)."""

    territory: Territory | None = None
    bbox: object = None
    centre: Point | None = None
    radius_m: float = 0

    def reports(self):
        reports = ProblemReport.objects.public()
        if self.territory is not None:
            reports = reports.filter(territory=self.territory)
        if self.bbox is not None:
            reports = reports.in_bbox(self.bbox)
        if self.centre is not None:
            reports = reports.filter(geom__dwithin=(self.centre, D(m=self.radius_m)))
        return reports


def parse_scope(params):
    scope = {}
    if "territory" in params:
        scope["territory"] = _territory(params["territory"])
    if "bbox" in params:
        try:
            scope["bbox"] = parse_bbox(params["bbox"])
        except BBoxError as error:
            raise BadParameter("bbox", str(error)) from None
    if {"lat", "lon", "radius"} & set(params):
        scope["centre"], scope["radius_m"] = _circle(params)
    return Scope(**scope)


def _territory(raw):
    try:
        pk = int(raw)
    except ValueError:
        raise BadParameter("territory", _("ожидается номер ТОС")) from None
    territory = Territory.objects.filter(pk=pk).only("pk", "name").first()
    if territory is None:
        raise BadParameter("territory", _("нет ТОС с номером %d") % pk)
    return territory


def _number(params, name, low, high, default=None):
    raw = params.get(name)
    if raw is None:
        if default is not None:
            return default
        raise BadParameter(name, _("обязательный параметр вместе с lat, lon, radius"))
    try:
        value = float(raw)
    except ValueError:
        raise BadParameter(name, _("ожидается число")) from None
    if not (math.isfinite(value) and low <= value <= high):
        raise BadParameter(
            name,
            _("должно быть от %(lo)g до %(hi)g")
            % {
                "lo": low,
                "hi": high,
            },
        )
    return value


def _circle(params):
    lat = _number(params, "lat", -90, 90)
    lon = _number(params, "lon", -180, 180)
    radius = _number(params, "radius", 1, MAX_RADIUS_M, default=DEFAULT_RADIUS_M)
    return stored_point(lon, lat), radius


class NewReportsFeed(_FeedBase):
    """/feeds/reports.atom[?territory=<id>][&bbox=…][&lat=…&lon=…&radius=…]"""

    def get_object(self, request):
        return parse_scope(request.GET)

    def title(self, scope):
        if scope.territory is not None:
            return _("Новые сообщения о проблемах: ТОС «%s»") % scope.territory.name
        return _("Новые сообщения о проблемах — Ангарский городской округ")

    def subtitle(self, scope):
        return _("Сообщения жителей о проблемах во дворах, новые первыми.")

    def link(self, scope):
        return "/"

    def items(self, scope):
        return (
            scope.reports()
            .select_related("category")
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, report):
        return _("№%(pk)d: %(category)s — %(status)s") % {
            "pk": report.pk,
            "category": report.category.name,
            "status": report.get_status_display(),
        }

    def item_description(self, report):
        if not report.is_published:
            return escape(
                _("Сообщение на модерации; описание появится после проверки.")
            )
        # Atom's summary is HTML: the resident's text goes in escaped.
        return linebreaks(escape(report.description))

    def item_author_name(self, report):
        return report.public_name or None

    def item_pubdate(self, report):
        return report.created_at

    def item_updateddate(self, report):
        return report.updated_at

    def item_categories(self, report):
        return (report.category.name,)

    def item_geometry(self, report):
        return to_wgs84(report.geom)


class ReportUpdatesFeed(_FeedBase):
    """/feeds/reports/<id>.atom: the public timeline of one report."""

    def get_object(self, request, pk):
        return get_object_or_404(
            ProblemReport.objects.public().select_related("category"),
            pk=pk,
        )

    def title(self, report):
        return _("Сообщение №%(pk)d: %(category)s") % {
            "pk": report.pk,
            "category": report.category.name,
        }

    def subtitle(self, report):
        return _("Хроника сообщения: смена статуса и комментарии.")

    def link(self, report):
        return report_path(report)

    def items(self, report):
        return (
            ReportUpdate.objects.filter(report=report)
            .select_related("report")
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, update):
        if update.status:
            return _("Статус: %s") % update.get_status_display()
        return _("Комментарий")

    def item_description(self, update):
        return linebreaks(escape(update.comment)) if update.comment else ""

    def item_author_name(self, update):
        # The role only: specialists' accounts and residents' names stay private.
        return update.get_role_display()

    def item_link(self, update):
        return f"{report_path(update.report)}#update-{update.pk}"

    def item_pubdate(self, update):
        return update.created_at
