"""What the workspace pages read: reports with what their rows show, counts."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from geo.errors import QueryError
from geo.paging import capped_count
from geo.wgs84 import to_wgs84

from ..filters import chosen_statuses, filter_reports
from ..models import ProblemReport, ReportPhoto, StatusCount

Status = ProblemReport.Status


def report_rows():
    """Reports with their category, TOS, place and photo count, in one query. The
    photo count is a subquery per row, not a GROUP BY: PostgreSQL takes the page's
    rows off the index first and counts photos for those only (docs/architecture.md,
    "Long lists: keyset pages and counts")."""
    photos = (
        ReportPhoto.objects.filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return ProblemReport.objects.select_related(
        "category__responsible", "territory", "building", "yard"
    ).annotate(photo_count=Coalesce(Subquery(photos, output_field=IntegerField()), 0))


def narrowed(reports, params, form):
    """`reports` through the one report filter (reports/filters.py); a value it
    refuses is shown next to its field on `form` and left out, as the queue always
    did with values the form refused."""
    params = dict(params)
    for _attempt in range(len(params) + 1):
        try:
            return filter_reports(params, reports, statuses=Status.values)[0]
        except QueryError as error:
            if error.field not in params:
                raise
            params.pop(error.field)
            if error.field in form.fields and not form.has_error(error.field):
                form.add_error(error.field, str(error))
    return reports


def counts_by_status(reports, params):
    """[(code, label, count)] for every status, zeros included, in workflow order:
    `reports` are narrowed by `params` but not by status. Unfiltered, the counts
    are the status counters; filtered, each is counted up to a cap and shown as
    «1000+» beyond it."""
    if chosen_statuses(params, Status.values) is not None:
        counts = StatusCount.objects.by_status()
        return [(code, label, counts.get(code, 0)) for code, label in Status.choices]
    return [
        (code, label, shown(*capped_count(reports.with_status([code]))))
        for code, label in Status.choices
    ]


def total(reports, params):
    """How many reports the queue lists, as shown: «1000+» beyond the cap."""
    statuses = chosen_statuses(params, Status.values)
    if statuses is not None:
        return StatusCount.objects.total(statuses)
    return shown(*capped_count(reports))


def shown(count, capped):
    return f"{count}+" if capped else count


def agenda_candidates(territory):
    """A TOS's reports worth bringing to a meeting: awaiting moderation or not yet
    solved, the most supported first."""
    return (
        report_rows()
        .awaiting()
        .in_territory(territory.pk)
        .order_by("-support_count", "created_at")
    )


def agenda_reports(territory, ids):
    """(chosen reports of the TOS in the order given, ids that are not its reports)."""
    found = {
        r.pk: r for r in report_rows().in_territory(territory.pk).filter(pk__in=ids)
    }
    return [found[pk] for pk in ids if pk in found], [
        pk for pk in ids if pk not in found
    ]


def place_label(report):
    """Where a report is, in words when we know them: address, yard, coordinates."""
    if report.building_id and report.building.address:
        return report.building.address
    if report.yard_id and report.yard.name:
        return report.yard.name
    point = to_wgs84(report.geom)
    return f"{point.y:.5f}, {point.x:.5f}"
