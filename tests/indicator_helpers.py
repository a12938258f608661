"""Records for the indicators tests (docs/domain.md, "Indicators"), made straight
through the ORM, and the figures counted again in raw SQL, apart from the
service."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from territories.boundaries.models import BoundaryVersion
from territories.events.models import EventKind
from territories.forum.models import Implementation
from territories.registry.models import Ground, Tree, Yard, YardWork
from territories.reports.models import Category, ProblemReport, ReportUpdate

from .conftest import utm_box, utm_point
from .event_helpers import event, kind, registrant
from .forum_helpers import open_round, project
from .verification_helpers import resident_account

IRKUTSK = ZoneInfo("Asia/Irkutsk")
REPORTER_NAME = "Аполлинария Святозаровна Незабудкина"
REPORTER_EMAIL = "apollinaria.nezabudkina.zz@example.net"
FIRST_YEAR = 2015


def local(*args):
    return datetime(*args, tzinfo=IRKUTSK)


def held(row, participants):
    row.participants = participants
    row.save(update_fields=["participants"])
    return row


def training_kind():
    found = kind("obuchenie", "Обучение")
    EventKind.objects.filter(pk=found.pk).update(is_training=True)
    return found


def yard(x, y, *years):
    """A yard 40 m × 40 m at (x, y) with a work in each year given."""
    made = Yard.objects.create(name=f"Двор {x},{y}", geom=utm_box(x, y, 40, 40))
    for year in years:
        YardWork.objects.create(yard=made, year=year, programme=f"Программа {year}")
    return made


def report(
    territory, status, *, created, fixed_after=None, category="yard", at=(100, 100)
):
    """A report with the reporter's contacts, created at `created`, set to `status`
    (a timeline entry `fixed_after` days later when fixed or closed)."""
    made = ProblemReport.objects.create(
        category=Category.objects.get(code=category),
        description="Яма во дворе",
        status=status,
        geom=utm_point(*at),
        territory=territory,
        source=ProblemReport.Source.WEB,
        reporter_name=REPORTER_NAME,
        show_name=True,
        reporter_email=REPORTER_EMAIL,
    )
    ProblemReport.objects.filter(pk=made.pk).update(created_at=created)
    if fixed_after is not None:
        entry = ReportUpdate.objects.create(
            report=made, status=status, role=ReportUpdate.Role.SPECIALIST
        )
        ReportUpdate.objects.filter(pk=entry.pk).update(
            created_at=created + timedelta(days=fixed_after)
        )
    return made


def make_practice(tos, other_tos):
    """Records of several years in two TOS and outside them, and some that must not
    count. Returns the reports made."""
    # A TOS gets its first approved version with its boundary (boundaries 0002).
    BoundaryVersion.objects.filter(territory=tos).update(decision_date=date(2018, 3, 1))
    # The first approved version's decision is the year of creation, not the latest.
    BoundaryVersion.objects.filter(territory=other_tos).update(
        decision_date=date(2019, 5, 1)
    )
    BoundaryVersion.objects.create(
        territory=other_tos,
        number=2,
        state=BoundaryVersion.State.APPROVED,
        geom=other_tos.geom,
        decision_date=date(2020, 2, 1),
        decision_number="15-03/01рд",
    )

    training = training_kind()
    walk = kind("vyhodi-gulyat", "Выходи гулять!")
    held(event(tos, of_kind=training, starts=local(2018, 4, 2, 10)), 20)
    held(event(tos, of_kind=training, starts=local(2019, 1, 1, 4)), 7)
    held(event(other_tos, of_kind=walk, starts=local(2018, 6, 1, 11)), 40)
    held(event(other_tos, of_kind=walk, at=(2100, 100), starts=local(2019, 6, 1)), 15)
    outside = held(event(at=(-5000, 0), of_kind=walk, starts=local(2019, 7, 1)), 9)
    registrant(outside)
    # Not held: participants missing; cancelled.
    event(tos, of_kind=training, starts=local(2018, 5, 1))
    held(event(tos, of_kind=walk, starts=local(2018, 5, 2), state="cancelled"), 99)

    yard(100, 100, 2018, 2018, 2019)
    yard(2100, 100, 2019)
    yard(-5000, 0, 2018)
    yard(200, 200, 2014)

    for x, year in ((300, 2018), (350, 2018), (2200, 2019), (-4000, 2017)):
        Ground.objects.create(kind="sport", year=year, geom=utm_box(x, 300, 20, 20))
    Ground.objects.create(kind="playground", year=None, geom=utm_box(150, 50, 10, 10))
    Ground.objects.create(kind="playground", year=1970, geom=utm_box(160, 50, 10, 10))

    planted = ((10, date(2018, 5, 5)), (20, date(2018, 9, 1)), (2010, date(2019, 5, 1)))
    for x, day in planted:
        Tree.objects.create(geom=utm_point(x, 30), planted_on=day, campaign="Укоренись")
    Tree.objects.create(geom=utm_point(-3000, 30), planted_on=date(2020, 5, 1))
    Tree.objects.create(geom=utm_point(40, 30), planted_on=None)

    implementations(tos, other_tos)

    return [
        report(tos, "fixed", created=local(2018, 3, 1), fixed_after=10),
        report(tos, "fixed", created=local(2018, 4, 1), fixed_after=40),
        report(tos, "fixed", created=local(2018, 12, 20), fixed_after=20),
        report(
            other_tos,
            "closed",
            created=local(2019, 2, 1),
            fixed_after=5,
            category="lighting",
            at=(2100, 100),
        ),
        report(other_tos, "open", created=local(2019, 3, 1), at=(2100, 100)),
        report(
            None,
            "fixed",
            created=local(2019, 4, 1),
            fixed_after=3,
            category="lighting",
            at=(-5000, 0),
        ),
        report(tos, "hidden", created=local(2019, 5, 1)),
    ]


def implementations(tos, other_tos):
    """Forum winners carried out: done in 2018 inside `tos`, in 2019 outside every
    TOS but named by its author for `other_tos`, in 2019 inside `other_tos`; one
    still in progress (not counted)."""
    round_ = open_round(
        opens_at=local(2018, 1, 1), closes_at=local(2018, 2, 1), title="Форум 2018"
    )
    author = resident_account("forum-author")
    rows = (
        ("done", date(2018, 8, 1), 100, None),
        ("done", date(2019, 9, 1), -5000, other_tos),
        ("done", date(2019, 10, 1), 2100, None),
        ("in_progress", None, 120, None),
    )
    for n, (status, done_on, x, named) in enumerate(rows):
        made = project(round_, author, title=f"Проект {n}", x=x)
        if named is not None:
            made.territory = named
            made.save(update_fields=["territory"])
        Implementation.objects.create(
            project=made,
            geom=made.geom,
            status=status,
            budget=100_000,
            started_on=date(2018, 3, 1),
            done_on=done_on,
        )


# --- the figures counted again, in raw SQL ---------------------------------------

COVERING = """(SELECT t.id FROM territories_territory t WHERE t.status = 'approved'
  AND ST_Covers(t.geom, {point}) ORDER BY t.id LIMIT 1)"""
EVENTS = f"""
SELECT EXTRACT(YEAR FROM e.starts_at AT TIME ZONE 'Asia/Irkutsk')::int,
       COALESCE({COVERING.format(point="e.geom")}, e.territory_id), e.participants
FROM events_event e JOIN events_eventkind k ON k.id = e.kind_id
WHERE e.state = 'scheduled' AND e.ends_at <= now() AND e.participants IS NOT NULL
"""
SQL = {
    "activists_trained": ("sum", EVENTS + " AND k.is_training"),
    "participants": ("sum", EVENTS),
    "yards_improved": (
        "distinct",
        f"""SELECT w.year, {COVERING.format(point="ST_PointOnSurface(y.geom)")}, y.id
        FROM territories_yardwork w JOIN territories_yard y ON y.id = w.yard_id""",
    ),
    "grounds_installed": (
        "distinct",
        f"""SELECT g.year, {COVERING.format(point="ST_PointOnSurface(g.geom)")}, g.id
        FROM territories_ground g WHERE g.year IS NOT NULL""",
    ),
    "trees_planted": (
        "distinct",
        f"""SELECT EXTRACT(YEAR FROM t2.planted_on)::int,
        {COVERING.format(point="t2.geom")}, t2.id
        FROM territories_tree t2 WHERE t2.planted_on IS NOT NULL""",
    ),
    "tos_created": (
        "distinct",
        """SELECT EXTRACT(YEAR FROM COALESCE(
             (SELECT min(v.decision_date) FROM boundaries_boundaryversion v
              WHERE v.territory_id = t.id AND v.state = 'approved'),
             t.decision_date))::int, t.id, t.id
        FROM territories_territory t WHERE t.status IN ('approved', 'archived')""",
    ),
    "projects_implemented": (
        "distinct",
        f"""SELECT EXTRACT(YEAR FROM i.done_on)::int,
        COALESCE({COVERING.format(point="i.geom")}, p.territory_id), i.id
        FROM forum_implementation i JOIN forum_project p ON p.id = i.project_id
        WHERE i.status = 'done'""",
    ),
}


def counted(code, year=None, territory=None):
    """({year: figure}, {territory id: figure}, total) of a row, counted in SQL."""
    how, sql = SQL[code]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        records = [
            r
            for r in cursor.fetchall()
            if r[0] is not None
            and r[0] >= FIRST_YEAR
            and (year is None or r[0] == year)
            and (territory is None or r[1] == territory)
        ]
    groups = ({}, {}, {})
    for key_index, grouped in ((0, groups[0]), (1, groups[1])):
        grouped.update(_measure(how, records, lambda r, i=key_index: r[i]))
    total = _measure(how, records, lambda r: "all").get("all", 0)
    return groups[0], groups[1], total


def _measure(how, records, key):
    found = defaultdict(set if how == "distinct" else int)
    for record in records:
        if how == "distinct":
            found[key(record)].add(record[2])
        else:
            found[key(record)] += record[2]
    return {k: (len(v) if how == "distinct" else v) for k, v in found.items()}


def now():
    return timezone.now()
