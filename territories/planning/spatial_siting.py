"""Where to build next, asked in PostGIS (docs/domain.md, "Where to build next").

A new ground is modelled as a point at its candidate site: a building becomes
covered by it when the shortest distance between its outline and that point is
within the radius (`ST_DWithin`, inclusive, answered through the buildings' GiST
index). Only buildings not covered now, and with residents, can gain. The greedy
plan keeps candidate → building pairs in session temporary tables and takes one
site per statement (`GREEDY_ROUND`); Python never loops over buildings."""

import json

from django.conf import settings
from django.db import connection

from . import spatial

# The buildings counted (the TOS asked, or all): residents and whether a ground of
# the kind covers them now, by the coverage query itself (spatial.BUILDINGS) with
# the straight-line distance.
SCOPE = f"""
SELECT d.id, d.residents, coalesce(d.distance <= %(radius)s, false) AS covered
  FROM ({spatial.BUILDINGS}{spatial.NEAREST["straight"]}) d
 WHERE %(territory)s::bigint IS NULL OR d.territory_id = %(territory)s::bigint
"""

# Candidate sites, numbered by `n` (the ranking's tie-break): the point on surface
# of every yard that no ground of the kind touches (with a TOS: whose point lies in
# it) ...
YARDS = """
SELECT y.id AS n, y.id AS yard_id, y.name AS yard_name,
       ST_PointOnSurface(y.geom) AS geom
  FROM territories_yard y
 WHERE NOT EXISTS (
        SELECT FROM territories_ground g
         WHERE g.kind = %(kind)s AND g.geom && y.geom AND ST_Intersects(g.geom, y.geom))
   AND (%(territory)s::bigint IS NULL OR EXISTS (
        SELECT FROM territories_territory t
         WHERE t.id = %(territory)s::bigint
           AND ST_Intersects(t.geom, ST_PointOnSurface(y.geom))))
"""
# ... or the planner's points, in their order.
POINTS = """
SELECT p.n, NULL::bigint AS yard_id, NULL::text AS yard_name,
       ST_Transform(ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326), %(srid)s) AS geom
  FROM unnest(%(lons)s::float8[], %(lats)s::float8[]) WITH ORDINALITY AS p(lon, lat, n)
"""

# Who each candidate would newly cover: (candidate, building, residents).
PAIRS = """
SELECT c.n AS candidate, s.id AS building, s.residents
  FROM {candidates} c
  JOIN territories_building b ON ST_DWithin(b.geom, c.geom, %(radius)s)
  JOIN {scope} s ON s.id = b.id
 WHERE NOT s.covered AND s.residents > 0
"""

# A site as the API gives it.
SITE = """json_build_object(
    'lon', round(ST_X(ST_Transform({c}.geom, 4326))::numeric, 6),
    'lat', round(ST_Y(ST_Transform({c}.geom, 4326))::numeric, 6),
    'yard', {c}.yard_name,
    'yard_id', {c}.yard_id)"""

# Every candidate ranked by the residents it alone would cover, in one statement.
RANKED = f"""
WITH scope AS MATERIALIZED ({SCOPE}),
     candidates AS MATERIALIZED ({{source}}),
     gains AS (
        SELECT p.candidate, sum(p.residents)::bigint AS gain
          FROM ({PAIRS.format(candidates="candidates", scope="scope")}) p
         GROUP BY p.candidate)
SELECT (SELECT coalesce(sum(residents), 0) FROM scope),
       (SELECT coalesce(sum(residents) FILTER (WHERE covered), 0) FROM scope),
       (SELECT count(*) FROM candidates),
       coalesce((
        SELECT json_agg({SITE.format(c="c")}::jsonb
                        || jsonb_build_object('gain', g.gain)
                        ORDER BY g.gain DESC, c.n)
          FROM (SELECT * FROM gains ORDER BY gain DESC, candidate
                 LIMIT %(limit)s) g
          JOIN candidates c ON c.n = g.candidate), '[]')::text
"""

TEMP_TABLES = ("siting_pair", "siting_candidate", "siting_scope")
# The working tables, in two steps: the buildings (the nearest-ground search, most
# of the time), then the candidates and their pairs.
PREPARE = (
    ("scope", (f"CREATE TEMP TABLE siting_scope AS {SCOPE}",)),
    (
        "pairs",
        (
            "CREATE TEMP TABLE siting_candidate AS {source}",
            "CREATE TEMP TABLE siting_pair AS "
            + PAIRS.format(candidates="siting_candidate", scope="siting_scope"),
            "CREATE INDEX ON siting_pair (building)",
            "CREATE INDEX ON siting_pair (candidate)",
            "ANALYZE siting_pair",
        ),
    ),
)
BEFORE = """
SELECT coalesce(sum(residents), 0),
       coalesce(sum(residents) FILTER (WHERE covered), 0),
       (SELECT count(*) FROM siting_candidate)
  FROM siting_scope
"""
# One round of the greedy plan: the candidate that covers the most residents not
# yet covered (ties: the lower n) is taken, and every pair of the buildings it
# covers is dropped, its own included.
GREEDY_ROUND = f"""
WITH best AS (
        SELECT candidate, sum(residents)::bigint AS gain FROM siting_pair
         GROUP BY candidate ORDER BY gain DESC, candidate LIMIT 1),
     taken AS (
        DELETE FROM siting_pair p USING siting_pair q, best
         WHERE q.candidate = best.candidate AND p.building = q.building)
SELECT best.gain, {SITE.format(c="c")}::text
  FROM best JOIN siting_candidate c ON c.n = best.candidate
"""


def params(kind, radius, territory_id=None, points=None, limit=None):
    lons, lats = zip(*points, strict=True) if points else ((), ())
    return spatial.params(kind, radius, territory_id) | {
        "srid": settings.GIS_SRID,
        "lons": list(lons),
        "lats": list(lats),
        "limit": limit,
    }


def source(points):
    return POINTS if points else YARDS


def ranked(kind, radius, territory_id=None, limit=None):
    """Yards ranked by the residents each alone would newly cover (those covering
    nobody left out): (residents, covered, candidates, [site + gain, …])."""
    with connection.cursor() as cursor:
        cursor.execute(
            RANKED.format(source=YARDS), params(kind, radius, territory_id, None, limit)
        )
        residents, covered, candidates, sites = cursor.fetchone()
    return residents, covered, candidates, json.loads(sites)


class GreedyPlan:
    """The greedy plan's working tables in this database session: `prepare()` them
    (it yields the name of each step done), then `before()` the figures and
    `next_site()` once per site (None when no candidate adds anyone). Use it as a
    context manager: the tables are dropped at the end."""

    def __init__(self, kind, radius, territory_id=None, points=None):
        self.params = params(kind, radius, territory_id, points)
        self.source = source(points)

    def __enter__(self):
        self.cursor = connection.cursor()
        self.drop()
        return self

    def prepare(self):
        for step, statements in PREPARE:
            for statement in statements:
                self.cursor.execute(statement.format(source=self.source), self.params)
            yield step

    def __exit__(self, exc_type, exc, traceback):
        try:
            # After a failure inside a transaction, its rollback takes the tables
            # (a statement now would fail again); the next plan drops any left.
            if exc_type is None or not connection.in_atomic_block:
                self.drop()
        finally:
            self.cursor.close()

    def drop(self):
        tables = ", ".join(f"pg_temp.{name}" for name in TEMP_TABLES)
        self.cursor.execute(f"DROP TABLE IF EXISTS {tables}")

    def before(self):
        """(residents, residents covered now, candidates considered)."""
        self.cursor.execute(BEFORE)
        return self.cursor.fetchone()

    def next_site(self):
        """(residents newly covered, site) of the next best site, or None."""
        self.cursor.execute(GREEDY_ROUND)
        row = self.cursor.fetchone()
        return None if row is None else (row[0], json.loads(row[1]))
