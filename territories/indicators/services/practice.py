"""The passport's results table computed from the records (docs/domain.md,
"Indicators"): one source per row, each a queryset annotated with the `year` and
the `place` (the TOS it counts for) of every record it counts, and the measure to
aggregate. Grouped in PostgreSQL (GROUP BY year, GROUP BY place): no row is read
into Python."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.gis.db.models.functions import PointOnSurface
from django.db.models import Count, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from territories.boundaries.models import BoundaryVersion
from territories.events import held
from territories.forum.models import Implementation
from territories.registry.models import Ground, Territory, Tree, YardWork

from ..passport import SINCE


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    unit: str
    # A queryset with `year` and `place` annotated; None when its source is missing.
    records: Callable | None
    measure: Callable | None
    note: str = ""


def covering(point):
    """The approved TOS whose boundary covers `point` (approved boundaries never
    overlap; on a shared edge the lower id), as the events' indicators place
    events (territories.events.held.place_territory)."""
    return Subquery(
        Territory.objects.approved()
        .filter(geom__covers=point)
        .order_by("pk")
        .values("pk")[:1]
    )


def _events(training):
    events = held.with_place().filter(held.held())
    if training:
        events = events.filter(kind__is_training=True)
    return events.annotate(place=F("place_territory_id"))


def trained():
    return _events(training=True)


def participants():
    return _events(training=False)


def yard_works():
    # A yard counts where a point of its surface lies (PostGIS' ST_PointOnSurface).
    works = YardWork.objects.annotate(point=PointOnSurface("yard__geom"))
    return works.annotate(place=covering(OuterRef("point")))


def grounds():
    installed = Ground.objects.filter(year__isnull=False)
    installed = installed.annotate(point=PointOnSurface("geom"))
    return installed.annotate(place=covering(OuterRef("point")))


def trees():
    return Tree.objects.filter(planted_on__isnull=False).annotate(
        year=ExtractYear("planted_on"), place=covering(OuterRef("geom"))
    )


def territories_created():
    """A TOS is created by the Duma's first decision approving its boundary: the
    earliest decision of its approved boundary versions, else the TOS's own
    decision date (TOS recorded before the boundaries app kept versions)."""
    first = (
        BoundaryVersion.objects.filter(
            territory=OuterRef("pk"),
            state=BoundaryVersion.State.APPROVED,
            decision_date__isnull=False,
        )
        .order_by("decision_date")
        .values("decision_date")[:1]
    )
    created = Territory.objects.filter(
        status__in=[Territory.Status.APPROVED, Territory.Status.ARCHIVED]
    ).annotate(created_on=Coalesce(Subquery(first), F("decision_date")))
    return created.filter(created_on__isnull=False).annotate(
        year=ExtractYear("created_on"), place=F("pk")
    )


def projects_implemented():
    """The forum's winners carried out (`Implementation` done), in the year they
    were completed; a project counts for the TOS covering its point, else the TOS
    its author named (as `territories.forum.services.figures` counts them, but one
    TOS each, so that the TOS' figures add up to the total)."""
    done = Implementation.objects.done()
    return done.annotate(
        year=ExtractYear("done_on"),
        place=Coalesce(covering(OuterRef("geom")), F("project__territory_id")),
    )


def _sum_participants():
    return Coalesce(Sum("participants"), Value(0))


def _count():
    return Count("pk")


def _distinct_yards():
    # A yard improved twice in a year (two programmes) is one yard improved.
    return Count("yard", distinct=True)


ROWS = (
    Row(
        "activists_trained",
        _("Обучено активистов"),
        _("чел."),
        trained,
        _sum_participants,
    ),
    Row(
        "participants",
        _("Жителей приняли участие в мероприятиях"),
        _("чел."),
        participants,
        _sum_participants,
    ),
    Row(
        "yards_improved",
        _("Благоустроено дворов"),
        _("ед."),
        yard_works,
        _distinct_yards,
    ),
    Row(
        "grounds_installed",
        _("Установлено спортивных и детских площадок"),
        _("ед."),
        grounds,
        _count,
    ),
    Row("trees_planted", _("Высажено деревьев"), _("ед."), trees, _count),
    Row("tos_created", _("Создано ТОС"), _("ед."), territories_created, _count),
    Row(
        "projects_implemented",
        _("Реализовано проектов форума «Ангарск – это мы!»"),
        _("ед."),
        projects_implemented,
        _count,
    ),
)
CODES = tuple(row.code for row in ROWS)


def scoped(row, chosen):
    """The row's records of the practice's years (passport.SINCE on), of the chosen
    year and TOS."""
    records = row.records().filter(year__gte=SINCE)
    if "year" in chosen:
        records = records.filter(year=chosen["year"])
    if "territory" in chosen:
        records = records.filter(place=chosen["territory"].pk)
    return records


def grouped(row, chosen, key):
    """{key value: figure} of one row, one GROUP BY; {} when its source is missing."""
    if row.records is None:
        return {}
    records = scoped(row, chosen).order_by().values(key)
    return dict(records.annotate(n=row.measure()).values_list(key, "n"))
