"""The practice's indicators from what organisers recorded (docs/domain.md, "Event
indicators"): events held and their participants, and trees planted at drives, by
year, by kind and by territory, and in total. Counted in PostgreSQL (GROUP BY), from
recorded rows only: nothing estimated, nothing from the passport."""

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import QueryError
from geo.numbers import INT_MAX, whole_number
from territories.registry.models import Territory

from .. import held, versions
from ..models import Event, EventKind, PlantedTree

PARAMETERS = ("year", "kind", "territory")
FIRST_YEAR, LAST_YEAR = 2000, 2100
TABLES = (
    versions.EVENTS,
    versions.KINDS,
    versions.PLANTED,
    versions.TERRITORIES,
)


def parse_filters(params):
    """{year, kind (an EventKind), territory (a Territory)} from query parameters,
    each checked; QueryError naming the parameter."""
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        raise QueryError(
            unknown[0],
            _("неизвестный параметр; допустимы: %s") % ", ".join(PARAMETERS),
        )
    chosen = {}
    if params.get("year") is not None:
        chosen["year"] = _year(params["year"])
    if params.get("kind") is not None:
        chosen["kind"] = _kind(params["kind"])
    if params.get("territory") is not None:
        chosen["territory"] = checked_territory(params["territory"])
    return chosen


def _year(raw):
    year = whole_number(raw, FIRST_YEAR, LAST_YEAR)
    if year is None:
        raise QueryError(
            "year",
            _("ожидается год от %(low)d до %(high)d")
            % {"low": FIRST_YEAR, "high": LAST_YEAR},
        )
    return year


def _kind(raw):
    kind = EventKind.objects.filter(code=raw).first() if "\x00" not in raw else None
    if kind is None:
        raise QueryError("kind", _("нет такого вида мероприятий: «%s»") % raw[:64])
    return kind


def checked_territory(raw):
    """A TOS by its id (any status), or QueryError naming `territory`."""
    pk = whole_number(raw, 1, INT_MAX)
    territory = Territory.objects.filter(pk=pk).first() if pk else None
    if territory is None:
        raise QueryError("territory", _("нет такого ТОС: «%s»") % raw[:64])
    return territory


def indicators_version(chosen, now=None):
    """(ETag, last modified): the tables read, the last end passed (an event becomes
    held when it ends, without any row changing) and the filters."""
    ended = held.last_end(now)
    parts = [
        ended,
        *(f"{name}={_key(value)}" for name, value in sorted(chosen.items())),
    ]
    return versions.version(
        "event-indicators", TABLES, ("TIME_ZONE",), parts, moved=ended
    )


def _key(value):
    return getattr(value, "pk", value)


def echoed(chosen):
    """The filters as given: the year, the kind's code, the TOS's id."""
    shown = dict(chosen)
    if "kind" in shown:
        shown["kind"] = shown["kind"].code
    if "territory" in shown:
        shown["territory"] = shown["territory"].pk
    return shown


def indicators(chosen, now=None):
    """The figures for the chosen filters: totals, by year, by kind, by territory."""
    now = now or timezone.now()
    events = _scope(chosen, now)
    by_year = [
        {"year": row.pop("year"), **row} for row in _grouped(events, now, "year")
    ]
    kinds = _grouped(events, now, "kind_id", "kind__code", "kind__name")
    territories = _grouped(events, now, "place_territory_id")
    names = dict(
        Territory.objects.filter(
            pk__in=[row["place_territory_id"] for row in territories]
        ).values_list("pk", "name")
    )
    return {
        "filters": echoed(chosen),
        "totals": _totals(by_year),
        "by_year": by_year,
        "by_kind": [_kind_row(row) for row in kinds],
        "by_territory": [_territory_row(row, names) for row in territories],
        "time_zone": settings.TIME_ZONE,
    }


def _scope(chosen, now):
    """Events that count for something: held ones, and planting drives that have
    started and were not cancelled (their trees count even before the participants
    are in), with their year, territory and trees annotated."""
    trees = (
        PlantedTree.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    events = held.with_place().annotate(
        trees=Coalesce(Subquery(trees, output_field=IntegerField()), Value(0))
    )
    events = events.filter(
        held.held(now) | Q(state=Event.State.SCHEDULED, starts_at__lte=now, trees__gt=0)
    )
    if "year" in chosen:
        events = events.filter(year=chosen["year"])
    if "kind" in chosen:
        events = events.filter(kind=chosen["kind"])
    if "territory" in chosen:
        events = events.filter(place_territory_id=chosen["territory"].pk)
    return events


def _grouped(events, now, *keys):
    """One GROUP BY over the scope: events held, their participants, trees."""
    counted = held.held(now)
    return list(
        events.order_by()
        .values(*keys)
        .annotate(
            events_held=Count("pk", filter=counted),
            participants=Coalesce(Sum("participants", filter=counted), Value(0)),
            trees_planted=Coalesce(Sum("trees"), Value(0)),
        )
        .order_by(*keys)
    )


FIGURES = ("events_held", "participants", "trees_planted")


def _totals(by_year):
    """Every counted event has a year: the totals are the years' sums."""
    return {name: sum(row[name] for row in by_year) for name in FIGURES}


def _figures(row):
    return {name: row[name] for name in FIGURES}


def _kind_row(row):
    kind = {"id": row["kind_id"], "code": row["kind__code"], "name": row["kind__name"]}
    return {"kind": kind, **_figures(row)}


def _territory_row(row, names):
    pk = row["place_territory_id"]
    territory = None if pk is None else {"id": pk, "name": names.get(pk, "")}
    return {"territory": territory, **_figures(row)}
