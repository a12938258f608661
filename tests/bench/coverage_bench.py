"""`make bench`, planning section: the district's coverage analysis (issue 9) against
the bare PostGIS query that does its core work, on the same data in the same run.

Scales: the demo district (`load_demo`), then generated districts of 10k, 30k and
100k buildings with 2k grounds (half sport, half playground). For each scale it
times, interleaved, the median of several rounds of:

- the bare SQL: one plain statement — per building its residents, its TOS (point on
  surface, smallest approved) and the distance to the nearest sport ground (KNN
  `<->` in a LATERAL), then the population-weighted sums per TOS and for the
  district, and the ground area per TOS;
- `coverage(kind="sport")` through the service (territories/planning/services) and
  `GET /api/coverage/?kind=sport` through Django in-process (URL routing, the view,
  JSON rendering; no HTTP), each computing afresh: the kept results
  (docs/domain.md, "Coverage of grounds") are deleted before each call, outside
  its time;
- the same GET once more, answered from the result the call before kept.

It prints the ratios to the bare query (target ≤ 1.5) and how the time grows from
10k to 100k buildings (ms per 1k buildings). The service's, the API's and the bare
query's figures are compared: a difference ends the run. Nothing is asserted about
time.

A generated city is a square of 40 m cells at the centre of Angarsk: 2k random cells
hold a ground, the others one small rectangular building each (recorded residents,
flats, an estimate or nobody); 8 approved TOS (circles of 65 vertices) cover about
a third of it, with an archived TOS over one of them and a proposed one without a
boundary; the district is the city grown by 500 m. Density stays, so the city grows
with its buildings while the grounds stay 2k.

A database of its own (BENCH_COVERAGE_DATABASE, default angarsk_bench_coverage),
dropped at the end.

    .venv/bin/python tests/bench/coverage_bench.py [--sizes 10000,30000] [--rounds 9]
"""

import argparse
import io
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass

from harness import (
    REPO,
    BenchError,
    database_urls,
    django_env,
    fresh_database,
    machine_facts,
    print_footer,
    run_bench,
    server_facts,
)

KIND = "sport"
GROUNDS = 2_000
PITCH_M = 40  # one building or one ground per PITCH_M × PITCH_M cell
DISTRICT_MARGIN_M = 500
TOS_RADIUS = 0.12  # of the city's side; 8 TOS on a 3 × 3 lattice, its centre free
SEED = 0.42
TARGET_RATIO = 1.5
CENTRE_LON, CENTRE_LAT = 103.89, 52.54

# --- a generated city --------------------------------------------------------------

CLEAR = """
TRUNCATE territories_building, territories_ground, territories_yard,
         territories_district CASCADE
"""
DISTRICT = """
INSERT INTO territories_district (created_at, updated_at, name, name_en, geom)
VALUES (now(), now(), 'Сгенерированный округ', 'Generated district',
        ST_Multi(ST_Buffer(ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, %(srid)s),
                           %(margin)s)))
RETURNING id
"""
# Approved TOS at 8 of the 9 nodes of a 3 × 3 lattice; an archived one overlapping
# the first (it must not count) and a proposed one without a boundary.
TERRITORIES = """
INSERT INTO territories_territory
       (created_at, updated_at, name, population, chair, status, decision_no,
        district_id, geom)
SELECT now(), now(), 'ТОС № ' || k, 0, '', status, '', %(district)s,
       CASE WHEN status <> 'proposed' THEN ST_Multi(ST_Buffer(ST_SetSRID(
           ST_MakePoint(%(x0)s + (i + 0.5) * %(w)s / 3 + shift,
                        %(y0)s + (j + 0.5) * %(h)s / 3), %(srid)s),
           %(r)s, 'quad_segs=16')) END
FROM (SELECT row_number() OVER (ORDER BY j, i) AS k, i, j, 'approved' AS status,
             0.0 AS shift
        FROM generate_series(0, 2) i, generate_series(0, 2) j
       WHERE (i, j) <> (1, 1)
      UNION ALL SELECT 9, 0, 0, 'archived', %(r)s / 2
      UNION ALL SELECT 10, 1, 1, 'proposed', 0.0) AS lattice
ORDER BY k
"""
# Cells in row-major order, the first GROUNDS of a seeded shuffle hold grounds.
CELLS = """
CREATE TEMPORARY TABLE bench_cell ON COMMIT DROP AS
SELECT c, c %% %(cols)s AS col, c / %(cols)s AS row,
       row_number() OVER (ORDER BY random()) AS draw
FROM generate_series(0, %(cells)s - 1) AS c
"""
# Rectangles 12 m deep and 12–28 m long, turned by row, inside their cell. Residents
# (docs/domain.md, "Residents and households"): half recorded, some flats only (some
# with both), some estimated only, 5 % nobody (garages).
BUILDINGS = """
INSERT INTO territories_building
       (created_at, updated_at, address, kind, levels, flats, residents_recorded,
        residents_estimated, geom)
SELECT now(), now(), 'ул. Расчётная, ' || row_number() OVER (ORDER BY c),
       CASE WHEN u < 0.95 THEN 'apartments' ELSE 'garages' END,
       CASE WHEN u < 0.95 THEN 5 + 4 * (row %% 2) END,
       CASE WHEN u >= 0.3 AND u < 0.85 THEN 8 + floor(random() * 72)::int END,
       CASE WHEN u < 0.5 THEN 20 + floor(random() * 180)::int END,
       CASE WHEN u >= 0.7 AND u < 0.95 THEN 10 + floor(random() * 140)::int END,
       ST_Multi(CASE WHEN row %% 2 = 0
           THEN ST_MakeEnvelope(x, y, x + len, y + 12, %(srid)s)
           ELSE ST_MakeEnvelope(x, y, x + 12, y + len, %(srid)s) END)
FROM (SELECT c, row, random() AS u, 12 + random() * 16 AS len,
             %(x0)s + col * %(pitch)s + 4 + random() * 4 AS x,
             %(y0)s + row * %(pitch)s + 4 + random() * 4 AS y
        FROM bench_cell WHERE draw > %(grounds)s) AS cell
"""
# Sport grounds 20 × 36 m, playgrounds 16 × 20 m, centred in their cell.
GROUND_ROWS = """
INSERT INTO territories_ground
       (created_at, updated_at, kind, name, equipment, programme, geom)
SELECT now(), now(), kind, 'Площадка ' || draw, '', '',
       ST_Multi(ST_MakeEnvelope(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2,
                                %(srid)s))
FROM (SELECT draw,
             CASE WHEN draw %% 2 = 0 THEN 'sport' ELSE 'playground' END AS kind,
             CASE WHEN draw %% 2 = 0 THEN 20 ELSE 16 END AS w,
             CASE WHEN draw %% 2 = 0 THEN 36 ELSE 20 END AS h,
             %(x0)s + (col + 0.5) * %(pitch)s AS cx,
             %(y0)s + (row + 0.5) * %(pitch)s AS cy
        FROM bench_cell WHERE draw <= %(grounds)s) AS cell
"""


def generate_city(cursor, buildings):
    """Replaces the district's places with a generated city of `buildings`
    buildings and GROUNDS grounds (the module's docstring)."""
    from django.conf import settings
    from django.db import transaction

    srid = settings.GIS_SRID
    cells = buildings + GROUNDS
    cols = math.ceil(math.sqrt(cells))
    w, h = cols * PITCH_M, math.ceil(cells / cols) * PITCH_M
    cursor.execute(
        "SELECT ST_X(p), ST_Y(p) FROM ST_Transform("
        "ST_SetSRID(ST_MakePoint(%s, %s), 4326), %s) AS p",
        [CENTRE_LON, CENTRE_LAT, srid],
    )
    cx, cy = cursor.fetchone()
    frame = {"srid": srid, "x0": cx - w / 2, "y0": cy - h / 2, "w": w, "h": h}
    frame.update(x1=cx + w / 2, y1=cy + h / 2, margin=DISTRICT_MARGIN_M)
    cursor.execute(CLEAR)
    cursor.execute(DISTRICT, frame)
    district = cursor.fetchone()[0]
    cursor.execute(TERRITORIES, {**frame, "district": district, "r": TOS_RADIUS * w})
    with transaction.atomic():
        cursor.execute("SELECT setseed(%s)", [SEED])
        cursor.execute(CELLS, {"cols": cols, "cells": cells})
        params = {**frame, "pitch": PITCH_M, "grounds": GROUNDS}
        cursor.execute(BUILDINGS, params)
        cursor.execute(GROUND_ROWS, params)
    for table in (
        "territories_building",
        "territories_ground",
        "territories_territory",
    ):
        cursor.execute(f"VACUUM ANALYZE {table}")
    return f"{w / 1000:.1f} × {h / 1000:.1f} km"


# --- the bare query ----------------------------------------------------------------

# The core work of the analysis in one plain statement (docs/domain.md, "Coverage of
# grounds"): per building its residents, its TOS and the distance to the nearest
# ground of the kind; per TOS the residents, those covered and the ground area. A row
# per approved TOS with buildings or grounds, one for what lies outside every TOS
# (territory NULL, total false) and the district's (total true).
BARE = """
WITH building AS (
    SELECT coalesce(b.residents_recorded,
                    round(b.flats * %(household)s::float8)::int,
                    b.residents_estimated, 0) AS residents,
           tos.id AS territory, nearest.distance_m
      FROM territories_building b
      LEFT JOIN LATERAL (
            SELECT t.id FROM territories_territory t
             WHERE t.status = 'approved'
               AND ST_Intersects(t.geom, ST_PointOnSurface(b.geom))
             ORDER BY t.area_m2, t.id LIMIT 1) AS tos ON true
      LEFT JOIN LATERAL (
            SELECT g.geom <-> b.geom AS distance_m
              FROM territories_ground g
             WHERE g.kind = %(kind)s
             ORDER BY g.geom <-> b.geom LIMIT 1) AS nearest ON true
), ground AS (
    SELECT tos.id AS territory, g.area_m2
      FROM territories_ground g
      LEFT JOIN LATERAL (
            SELECT t.id FROM territories_territory t
             WHERE t.status = 'approved'
               AND ST_Intersects(t.geom, ST_PointOnSurface(g.geom))
             ORDER BY t.area_m2, t.id LIMIT 1) AS tos ON true
     WHERE g.kind = %(kind)s
), sums AS (
    SELECT territory, sum(residents) AS residents,
           coalesce(sum(residents) FILTER (WHERE distance_m <= %(radius)s), 0)
               AS covered,
           0 AS area_m2
      FROM building GROUP BY territory
    UNION ALL
    SELECT territory, 0, 0, sum(area_m2) FROM ground GROUP BY territory
)
SELECT territory, grouping(territory) = 1 AS total,
       sum(residents), sum(covered), sum(area_m2)
  FROM sums GROUP BY ROLLUP (territory)
"""


@dataclass
class Figures:
    """What the bare query and the service must agree on. A TOS with neither
    residents nor ground area is left out on both sides: the bare query has no row
    for a TOS without buildings or grounds, the service lists every approved one."""

    residents: int
    covered: int
    ground_m2: float
    territories: dict  # id → (residents, covered, ground m² to 0.1)

    @classmethod
    def of(cls, residents, covered, ground_m2, territories):
        kept = {
            pk: (int(r), int(c), round(a, 1))
            for pk, r, c, a in territories
            if r or round(a, 1)
        }
        return cls(int(residents), int(covered), ground_m2, kept)


def bare_figures(rows):
    """From BARE's rows: (territory, total, residents, covered, ground m²)."""
    district = next(r for r in rows if r[1])
    territories = [(r[0], *r[2:]) for r in rows if r[0] is not None]
    return Figures.of(*district[2:], territories)


def service_figures(answer):
    territories = [
        (t["id"], t["residents_total"], t["residents_covered"], t["ground_area_m2"])
        for t in answer["territories"]
    ]
    return Figures.of(
        answer["residents_total"],
        answer["residents_covered"],
        answer["ground_area_m2"],
        territories,
    )


def check_same(bare, service, scale):
    same = (bare.residents, bare.covered, bare.territories) == (
        service.residents,
        service.covered,
        service.territories,
    ) and math.isclose(bare.ground_m2, service.ground_m2, abs_tol=0.1)
    if not same:
        raise BenchError(
            f"{scale}: the service and the bare query differ:\n"
            f"  service {service}\n  bare    {bare}"
        )


# --- measurement -------------------------------------------------------------------


@dataclass
class Row:
    scale: str
    buildings: int
    grounds: int
    figures: Figures
    bare: list
    service: list
    api: list
    kept: list

    def median(self, name):
        return statistics.median(getattr(self, name))

    def ratio(self, name):
        return self.median(name) / self.median("bare")

    def paired_ratio(self, name):
        """The median of each round's own ratio (its call over the bare query just
        before it): less moved by other work on the machine than the ratio of
        medians."""
        pairs = zip(getattr(self, name), self.bare, strict=True)
        return statistics.median(took / bare for took, bare in pairs)


def timed(call):
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def counts():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM territories_building),"
            " (SELECT count(*) FROM territories_ground WHERE kind = %s)",
            [KIND],
        )
        return cursor.fetchone()


def measure(scale, rounds, warmup):
    """Interleaved rounds of: the bare query; the service and the API each computing
    afresh (kept results deleted first, outside the timing); the API again, answering
    from the result it has just kept."""
    from django.conf import settings
    from django.db import connection
    from rest_framework.test import APIClient

    from territories.planning.models import Analysis, Norm
    from territories.planning.services.coverage import coverage

    radius = Norm.objects.value(f"{KIND}_radius")
    params = {"kind": KIND, "radius": radius, "household": settings.AVERAGE_HOUSEHOLD}
    client = APIClient()

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(BARE, params)
            return cursor.fetchall()

    def api():
        answer = client.get(f"/api/coverage/?kind={KIND}")
        if answer.status_code != 200:
            raise BenchError(f"/api/coverage/: {answer.status_code} {answer.content}")
        return answer.json()

    def afresh(call):
        Analysis.objects.all().delete()
        return timed(call)

    times = {"bare": [], "service": [], "api": [], "kept": []}
    for i in range(warmup + rounds):
        took = {
            "bare": timed(bare),
            "service": afresh(lambda: coverage(KIND)),
            "api": afresh(api),
            "kept": timed(api),
        }
        if i >= warmup:
            for name, (elapsed, _) in took.items():
                times[name].append(elapsed)
    figures = bare_figures(took["bare"][1])
    for name in ("service", "api", "kept"):
        check_same(figures, service_figures(took[name][1]), f"{scale}, {name}")
    return Row(scale, *counts(), figures, **times)


# --- report ------------------------------------------------------------------------

HEADER = (
    f"{'scale':<20} {'buildings':>9} {'sport':>5} {'residents':>9} {'covered':>7} "
    f"{'bare s':>7} {'service s':>9} {'API s':>7} {'svc/bare':>8} {'API/bare':>8} "
    f"{'paired':>11} {'kept API ms':>11}"
)


def print_row(row):
    f = row.figures
    print(
        f"{row.scale:<20} {row.buildings:>9} {row.grounds:>5} {f.residents:>9} "
        f"{f.covered / f.residents if f.residents else 0:>7.1%} "
        f"{row.median('bare'):>7.3f} {row.median('service'):>9.3f} "
        f"{row.median('api'):>7.3f} {row.ratio('service'):>8.2f} "
        f"{row.ratio('api'):>8.2f} "
        f"{row.paired_ratio('service'):>5.2f} {row.paired_ratio('api'):>5.2f} "
        f"{row.median('kept') * 1000:>11.1f}",
        flush=True,
    )


def print_growth(rows):
    """Time per 1k buildings at each generated scale, and how it changes from the
    smallest to the largest."""
    generated = [r for r in rows if r.scale != "demo"]
    if len(generated) < 2:
        return
    first, last = generated[0].buildings // 1000, generated[-1].buildings // 1000
    print("growth, ms per 1k buildings:")
    for name in ("bare", "service", "api"):
        per_k = [r.median(name) * 1e6 / r.buildings for r in generated]
        steps = ", ".join(
            f"{r.buildings // 1000}k {p:.1f}"
            for r, p in zip(generated, per_k, strict=True)
        )
        growth = per_k[-1] / per_k[0]
        print(f"  {name:<8} {steps}  (×{growth:.2f} from {first}k to {last}k)")


def print_target(rows):
    worst = max(max(r.ratio("service"), r.ratio("api")) for r in rows)
    verdict = "met" if worst <= TARGET_RATIO else "MISSED"
    print(f"largest ratio to the bare query {worst:.2f}", end=" ")
    print(f"(target ≤ {TARGET_RATIO}) — {verdict}")


def print_header(pg_url, args):
    pg, postgis, jit, work_mem, workers = server_facts(
        pg_url, "jit", "work_mem", "max_parallel_workers_per_gather"
    )
    print(
        f"Coverage analysis (kind={KIND}) — PostgreSQL {pg}, PostGIS {postgis}, "
        f"jit={jit}, work_mem={work_mem}, parallel workers per gather {workers};"
    )
    print(
        f"{machine_facts()}; in-process Django, {args.rounds} interleaved rounds "
        f"after {args.warmup} warm-up; medians. Service and API compute afresh"
    )
    print(
        "(kept results deleted before each call); paired: the median of the rounds' "
        "own service/bare and API/bare; kept API: the answer kept by the call before"
    )
    print(HEADER)
    print("-" * len(HEADER), flush=True)


# --- main --------------------------------------------------------------------------


def start_django(database):
    """Django in this process, on the bench database, DEBUG off (as served)."""
    os.environ.update(django_env(database.django_url, DEBUG="0"))
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="10000,30000,100000",
        type=lambda s: sorted(int(x) for x in s.split(",")),
    )
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--warmup", type=int, default=1)
    return parser.parse_args()


def main():
    args = parse_args()
    database = database_urls("BENCH_COVERAGE_DATABASE", "angarsk_bench_coverage")
    started = time.monotonic()
    with fresh_database(database):
        start_django(database)
        from django.core.management import call_command
        from django.db import connection, connections

        try:
            print_header(database.pg_url, args)
            call_command("load_demo", stdout=io.StringIO())
            rows = [measure("demo", args.rounds, args.warmup)]
            print_row(rows[-1])
            for n in args.sizes:
                with connection.cursor() as cursor:
                    extent = generate_city(cursor, n)
                rows.append(
                    measure(f"{n // 1000}k, {extent}", args.rounds, args.warmup)
                )
                print_row(rows[-1])
            print_growth(rows)
            print_target(rows)
        finally:
            connections.close_all()
    print_footer(started, database.name)


if __name__ == "__main__":
    run_bench(main)
