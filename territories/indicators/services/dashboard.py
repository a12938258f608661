"""The dashboard: the passport's results table computed from the records, by year
and by territory, the passport's own figures beside them, and the reports block
(docs/domain.md, "Indicators"). One dictionary, read by the API, the page and the
CSV files alike, and its version (ETag, Last-Modified)."""

from django.conf import settings
from django.utils.translation import get_language

from territories.boundaries.models import BoundaryVersion
from territories.events import held
from territories.events import versions as event_versions
from territories.events.models import Event, EventKind
from territories.forum.models import Implementation, Project
from territories.registry.demo import demo_is_loaded
from territories.registry.models import (
    Building,
    Ground,
    Territory,
    Tree,
    Yard,
    YardWork,
)
from territories.reports.models import (
    Category,
    ProblemReport,
    ReportUpdate,
    ResponsibleBody,
)

from .. import passport
from . import links, params, practice
from . import reports as report_figures

TABLES = tuple(
    model._meta.db_table
    for model in (
        Event,
        EventKind,
        Territory,
        BoundaryVersion,
        Yard,
        YardWork,
        Ground,
        Tree,
        ProblemReport,
        ReportUpdate,
        Category,
        ResponsibleBody,
        Implementation,
        Project,
        # Whether the demo is loaded (the figures are then illustrative).
        Building,
    )
)
SETTINGS = ("TIME_ZONE", "REPORT_FIX_TARGET_DAYS")


def version(chosen, now=None):
    """(ETag, last modified) of the dashboard for the chosen filters in the active
    language: every table read, the settings, the latest event end passed (an event
    becomes held when it ends, with no row changing)."""
    parts = [
        held.last_end(now),
        get_language(),
        *(f"{name}={value}" for name, value in sorted(params.echoed(chosen).items())),
    ]
    return event_versions.version("indicators", TABLES, SETTINGS, parts)


def rows():
    """The rows' definitions: code, name, unit, and a note where data are missing."""
    return [
        {
            "code": row.code,
            "name": str(row.name),
            "unit": str(row.unit),
            "available": row.records is not None,
            "note": str(row.note),
        }
        for row in practice.ROWS
    ]


def dashboard(chosen):
    territory = chosen.get("territory")
    training = list(
        EventKind.objects.filter(is_training=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    by_year = _by_year(chosen, training)
    by_territory = _by_territory(chosen, training)
    return {
        "filters": params.echoed(chosen),
        "rows": rows(),
        "by_year": by_year,
        "by_territory": by_territory,
        "totals": _totals(by_territory, chosen, training),
        "passport": passport.rows(),
        "passport_year": passport.YEAR,
        "reports": _reports(chosen),
        "fix_target_days": settings.REPORT_FIX_TARGET_DAYS,
        "time_zone": settings.TIME_ZONE,
        "territory_name": territory.name if territory else None,
        "illustrative": demo_is_loaded(),
    }


def _figures(grouped, key):
    """{code: figure or None} of one group: None where the row has no source
    (missing, not zero), 0 where the source counted nothing."""
    return {
        row.code: (grouped[row.code].get(key, 0) if row.records else None)
        for row in practice.ROWS
    }


def _by_year(chosen, training):
    grouped = {row.code: practice.grouped(row, chosen, "year") for row in practice.ROWS}
    years = sorted({year for figures in grouped.values() for year in figures})
    territory = chosen.get("territory")
    pk = territory.pk if territory else None
    return [
        {
            "year": year,
            **_figures(grouped, year),
            "links": links.figure_links(year, pk, training),
        }
        for year in years
    ]


def _by_territory(chosen, training):
    grouped = {
        row.code: practice.grouped(row, chosen, "place") for row in practice.ROWS
    }
    places = {place for figures in grouped.values() for place in figures}
    names = dict(
        Territory.objects.filter(pk__in=places - {None}).values_list("pk", "name")
    )
    ordered = sorted(places, key=lambda pk: (pk is None, names.get(pk, ""), pk or 0))
    return [
        {
            "territory": None if pk is None else {"id": pk, "name": names.get(pk, "")},
            **_figures(grouped, pk),
            "links": links.figure_links(chosen.get("year"), pk, training) if pk else {},
        }
        for pk in ordered
    ]


def _totals(by_territory, chosen, training):
    """Every record counted has one place (a TOS or none), so the territories'
    figures add up to the totals; a yard improved in two years counts once here."""
    totals = {
        row.code: (
            sum(group[row.code] for group in by_territory) if row.records else None
        )
        for row in practice.ROWS
    }
    territory = chosen.get("territory")
    totals["links"] = links.figure_links(
        chosen.get("year"), territory.pk if territory else None, training
    )
    return totals


def _reports(chosen):
    year = chosen.get("year")
    territory = chosen.get("territory")
    pk = territory.pk if territory else None
    by_category = report_figures.by(
        chosen, "category_id", "category__code", "category__name", "category__name_en"
    )
    by_body = report_figures.by(
        chosen, "category__responsible_id", "category__responsible__name"
    )
    by_territory = report_figures.by(chosen, "territory_id", "territory__name")
    return {
        "totals": {
            **report_figures.totals(chosen),
            "links": links.report_links(year, pk),
        },
        "by_year": [
            {**row, "links": links.report_links(row["year"], pk)}
            for row in report_figures.by_year(chosen)
        ],
        "by_category": [_category(row, year, pk) for row in by_category],
        "by_responsible": [_body(row) for row in by_body],
        "by_territory": [_report_territory(row, year) for row in by_territory],
    }


def _category(row, year, territory):
    code = row.pop("category__code")
    category = {"id": row.pop("category_id"), "code": code}
    name, name_en = row.pop("category__name"), row.pop("category__name_en")
    english = (get_language() or "").startswith("en") and name_en
    category["name"] = name_en if english else name
    links_ = links.report_links(year, territory, code)
    return {"category": category, **row, "links": links_}


def _body(row):
    pk = row.pop("category__responsible_id")
    name = row.pop("category__responsible__name")
    return {"responsible": None if pk is None else {"id": pk, "name": name}, **row}


def _report_territory(row, year):
    pk = row.pop("territory_id")
    name = row.pop("territory__name")
    links_ = links.report_links(year, pk) if pk else {}
    territory = None if pk is None else {"id": pk, "name": name}
    return {"territory": territory, **row, "links": links_}
