"""What the workspace pages read: reports with what their rows show, counts."""

from django.db.models import Count

from geo.wgs84 import to_wgs84

from ..models import ProblemReport
from ..services.reports import ACTIVE

Status = ProblemReport.Status


def report_rows():
    """Reports with their category, TOS, place and photo count, in one query."""
    return ProblemReport.objects.select_related(
        "category__responsible", "territory", "building", "yard"
    ).annotate(photo_count=Count("photos"))


def counts_by_status(reports):
    """[(code, label, count)] for every status, zeros included, in workflow order."""
    counts = dict(
        reports.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(code, label, counts.get(code, 0)) for code, label in Status.choices]


def agenda_candidates(territory):
    """A TOS's reports worth bringing to a meeting: awaiting moderation or not yet
    solved, the most supported first."""
    return (
        report_rows()
        .filter(territory=territory, status__in=(Status.MODERATION, *ACTIVE))
        .order_by("-support_count", "created_at")
    )


def agenda_reports(territory, ids):
    """(chosen reports of the TOS in the order given, ids that are not its reports)."""
    found = {r.pk: r for r in report_rows().filter(territory=territory, pk__in=ids)}
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
