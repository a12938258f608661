"""The reports block of the dashboard (docs/domain.md, "Indicators"): reports
opened, closed and fixed; the median days from submission to fix and the share
fixed within REPORT_FIX_TARGET_DAYS, by year, by category, by responsible body (the
category's: reports are routed by category, there is no routing field on a report)
and by territory. Grouped in PostgreSQL."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from territories.reports.models import ProblemReport, ReportUpdate

from ..aggregates import Days, Median

Status = ProblemReport.Status
FIGURES = ("opened", "closed", "fixed", "median_days_to_fix", "fixed_within_target")


def _reached(status):
    """When the report reached `status`: its latest timeline entry setting it, else
    its last change (a report given that status without a timeline entry)."""
    entry = (
        ReportUpdate.objects.filter(report=OuterRef("pk"), status=status)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return Coalesce(Subquery(entry), F("updated_at"))


def reports():
    """Every report anyone may see (all but hidden ones), with `closed_at` (when it
    reached its closed status), `fixed_at`, `days_to_fix` and their years."""
    zone = timezone.get_default_timezone()
    return (
        ProblemReport.objects.public()
        .annotate(
            closed_at=_reached(OuterRef("status")),
            fixed_at=_reached(Status.FIXED),
        )
        .annotate(
            days_to_fix=Days(F("fixed_at") - F("created_at")),
            opened_year=ExtractYear("created_at", tzinfo=zone),
            closed_year=ExtractYear("closed_at", tzinfo=zone),
            fixed_year=ExtractYear("fixed_at", tzinfo=zone),
        )
    )


def _is_closed():
    return Q(status__in=Status.closed())


def _is_fixed():
    return Q(status=Status.FIXED)


def _counted(chosen):
    """The conditions of each figure under the chosen filters: a year selects
    reports opened, closed or fixed in it, each by its own date."""
    year = chosen.get("year")
    opened, closed, fixed = Q(), _is_closed(), _is_fixed()
    if year is not None:
        opened &= Q(opened_year=year)
        closed &= Q(closed_year=year)
        fixed &= Q(fixed_year=year)
    return opened, closed, fixed


def _aggregates(chosen):
    opened, closed, fixed = _counted(chosen)
    target = settings.REPORT_FIX_TARGET_DAYS
    return {
        "opened": Count("pk", filter=opened),
        "closed": Count("pk", filter=closed),
        "fixed": Count("pk", filter=fixed),
        "median_days_to_fix": Median("days_to_fix", filter=fixed),
        "within": Count("pk", filter=fixed & Q(fixed_at__lte=_plus_target(target))),
    }


def _plus_target(days):
    return F("created_at") + timedelta(days=days)


def _scope(chosen):
    found = reports()
    if "territory" in chosen:
        found = found.filter(territory=chosen["territory"])
    return found


def _finish(row):
    within = row.pop("within")
    median = row["median_days_to_fix"]
    row["median_days_to_fix"] = None if median is None else round(median, 1)
    row["fixed_within_target"] = (
        round(within / row["fixed"], 3) if row["fixed"] else None
    )
    return row


def by(chosen, *keys):
    """[{keys…, figures…}] grouped by `keys` (a category, a body, a TOS), one query;
    groups with nothing to count left out."""
    grouped = (
        _scope(chosen)
        .order_by()
        .values(*keys)
        .annotate(**_aggregates(chosen))
        .order_by(*keys)
    )
    return [
        _finish(row)
        for row in grouped
        if row["opened"] or row["closed"] or row["fixed"]
    ]


def totals(chosen):
    return _finish(_scope(chosen).aggregate(**_aggregates(chosen)))


def by_year(chosen):
    """[{year, figures…}]: opened by the year of submission, closed and fixed (with
    the median and the share) by the year they were closed or fixed. Three GROUP BYs,
    one for each date."""
    years = {}
    for figure, key in (
        ("opened", "opened_year"),
        ("closed", "closed_year"),
        ("fixed", "fixed_year"),
    ):
        condition = {"opened": Q(), "closed": _is_closed(), "fixed": _is_fixed()}[
            figure
        ]
        scope = _scope(chosen).filter(condition)
        if "year" in chosen:
            scope = scope.filter(**{key: chosen["year"]})
        aggregates = {"n": Count("pk")}
        if figure == "fixed":
            target = _plus_target(settings.REPORT_FIX_TARGET_DAYS)
            aggregates.update(
                median_days_to_fix=Median("days_to_fix"),
                within=Count("pk", filter=Q(fixed_at__lte=target)),
            )
        for row in scope.order_by().values(key).annotate(**aggregates):
            year = years.setdefault(row.pop(key), _empty())
            year[figure] = row.pop("n")
            year.update(row)
    return [_finish({"year": year, **years[year]}) for year in sorted(years)]


def _empty():
    return {
        "opened": 0,
        "closed": 0,
        "fixed": 0,
        "median_days_to_fix": None,
        "within": 0,
    }
