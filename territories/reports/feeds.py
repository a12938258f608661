"""Atom feeds for following reports: new reports in a TOS, a bbox or around a point,
and one report's timeline. Public output: no contacts ever, the reporter's name only
when they chose to show it, neither name nor description while a report awaits
moderation (`ProblemReport.public_name`)."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from geo.feeds import GeoAtomFeed
from geo.wgs84 import to_wgs84

from .filters import filter_reports
from .links import report_path
from .models import ProblemReport, ReportUpdate

FEED_SIZE = 50
FEED_PARAMETERS = ("territory", "bbox", "lat", "lon", "radius")


class _FeedBase(GeoAtomFeed):
    def item_link(self, item):
        return report_path(item if isinstance(item, ProblemReport) else item.report)


@dataclass(frozen=True)
class Scope:
    """The feed's reports (any of a TOS, a bbox, a circle: all that apply), through
    the one report filter (reports/filters.py), and the TOS it names."""

    reports: object
    territories: list


def parse_scope(params):
    # Only the feed's own parameters: readers add tracking ones of their own.
    ours = {name: params[name] for name in FEED_PARAMETERS if name in params}
    reports, territories = filter_reports(ours)
    return Scope(reports, territories)


class NewReportsFeed(_FeedBase):
    """/feeds/reports.atom[?territory=<id>][&bbox=…][&lat=…&lon=…&radius=…]"""

    def get_object(self, request):
        return parse_scope(request.GET)

    def title(self, scope):
        if scope.territories:
            names = ", ".join(f"«{t.name}»" for t in scope.territories)
            return _("Новые сообщения о проблемах: ТОС %s") % names
        return _("Новые сообщения о проблемах — Ангарский городской округ")

    def subtitle(self, scope):
        return _("Сообщения жителей о проблемах во дворах, новые первыми.")

    def link(self, scope):
        return "/"

    def items(self, scope):
        return scope.reports.select_related("category").order_by("-created_at", "-pk")[
            :FEED_SIZE
        ]

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
