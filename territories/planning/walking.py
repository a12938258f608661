"""Walking distance over the street network, in PostGIS and pgRouting
(docs/domain.md, "Walking distance").

The registry's ways are cut into edges where they share a vertex (OSM's junctions:
ways that only cross, as a bridge over a street, are not joined); each edge costs its
length in GIS_SRID metres. The edges are rebuilt when the ways change. A building or
ground stands on the nearest edge within settings.WALKING_SNAP_M, reached by a
straight connector from its outline to the closest point of that edge. One
`pgr_drivingDistance` from a virtual vertex 0, joined to both ends of every ground's
edge at the cost of the connector and the part of the edge to that end, gives every
vertex its distance from the nearest ground up to the radius; a building adds its own
connector and part of its edge."""

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

# The ways cut into edges at the vertices they share: `cut` marks a line's ends and
# every vertex found in another line (or twice in the same one); `k` numbers the
# pieces between cuts, a cut vertex ending one piece and starting the next.
BUILD = f"""
WITH line AS (
    SELECT row_number() OVER () AS line, d.geom
      FROM territories_way w, ST_Dump(w.geom) d
), vertex AS (
    SELECT l.line, p.path[1] AS i, ST_NPoints(l.geom) AS n,
           ST_X(p.geom) AS x, ST_Y(p.geom) AS y
      FROM line l, ST_DumpPoints(l.geom) p
), shared AS (
    SELECT x, y FROM vertex GROUP BY x, y HAVING count(*) > 1
), marked AS (
    SELECT v.*, (v.i IN (1, v.n) OR s.x IS NOT NULL) AS cut
      FROM vertex v LEFT JOIN shared s USING (x, y)
), numbered AS (
    SELECT m.*,
           count(*) FILTER (WHERE m.cut) OVER (PARTITION BY m.line ORDER BY m.i) AS k
      FROM marked m
), member AS (
    SELECT line, k, i, x, y FROM numbered WHERE i < n
    UNION ALL
    SELECT line, k - 1, i, x, y FROM numbered WHERE cut AND k > 1
), piece AS (
    SELECT ST_SetSRID(ST_MakeLine(ST_MakePoint(x, y) ORDER BY i),
                      {settings.GIS_SRID}) AS geom
      FROM member GROUP BY line, k
), edge AS (
    SELECT geom, ST_X(ST_StartPoint(geom)) AS x1, ST_Y(ST_StartPoint(geom)) AS y1,
           ST_X(ST_EndPoint(geom)) AS x2, ST_Y(ST_EndPoint(geom)) AS y2
      FROM piece WHERE ST_Length(geom) > 0
), node AS (
    SELECT x, y, row_number() OVER (ORDER BY x, y) AS id
      FROM (SELECT x1, y1 FROM edge UNION SELECT x2, y2 FROM edge) AS ends (x, y)
)
INSERT INTO planning_walk_edge (id, source, target, cost, geom)
SELECT row_number() OVER (ORDER BY a.id, b.id), a.id, b.id, ST_Length(e.geom), e.geom
  FROM edge e
  JOIN node a ON (a.x, a.y) = (e.x1, e.y1)
  JOIN node b ON (b.x, b.y) = (e.x2, e.y2)
"""

WAYS_CHANGED = """
SELECT changed_at FROM geo_layerstate WHERE "table" = 'territories_way'
"""
STALE = f"""
SELECT ({WAYS_CHANGED}) IS DISTINCT FROM
       (SELECT built_from FROM planning_walk_network WHERE id = 1)
"""
BUILT = f"""
INSERT INTO planning_walk_network (id, built_from, built_at)
VALUES (1, ({WAYS_CHANGED}), clock_timestamp())
ON CONFLICT (id) DO UPDATE SET built_from = EXCLUDED.built_from,
                               built_at = EXCLUDED.built_at
"""


def attached(geom, snap):
    """SQL of the edge a geometry stands on: the nearest within `snap` metres, with
    the connector's length and the fraction of the edge where it joins. Ordered by
    distance alone, so that the GiST index gives the nearest first (a tie-break
    would sort every edge within `snap`): of edges equally near, any one."""
    return f"""
    SELECT e.id AS edge, e.source, e.target, e.cost,
           ST_Distance(e.geom, {geom}) AS connector,
           ST_LineLocatePoint(e.geom, ST_ClosestPoint(e.geom, {geom})) AS fraction
      FROM planning_walk_edge e
     WHERE ST_DWithin(e.geom, {geom}, {snap})
     ORDER BY e.geom <-> {geom}
     LIMIT 1"""


def grounds(kind, snap):
    return f"""
    SELECT g.id, a.* FROM territories_ground g
     CROSS JOIN LATERAL ({attached("g.geom", snap)}) a
     WHERE g.kind = {kind}"""


# The graph pgRouting walks, as the text of a query (its `format()` fills in the
# kind and the snap distance): the edges both ways, and the virtual vertex 0 joined
# one way to both ends of each ground's edge.
EDGES = f"""
WITH ground AS ({grounds("%1$L", "%2$s")})
SELECT id, source, target, cost, cost AS reverse_cost FROM planning_walk_edge
UNION ALL
SELECT -2 * id, 0, source, connector + fraction * cost, -1 FROM ground
UNION ALL
SELECT -2 * id - 1, 0, target, connector + (1 - fraction) * cost, -1 FROM ground
"""

# {building id: walking distance} of the buildings within %(radius)s metres of a
# ground of %(kind)s: through either end of the building's edge, or straight along
# it when a ground stands on the same edge.
DISTANCES = f"""
WITH reached AS (
    SELECT node, agg_cost FROM pgr_drivingDistance(
        format(%(walk_edges)s, %(kind)s, %(snap)s), 0, %(radius)s, true)
), ground AS ({grounds("%(kind)s", "%(snap)s")}
), building AS (
    SELECT b.id, a.* FROM territories_building b
     CROSS JOIN LATERAL ({attached("b.geom", "%(snap)s")}) a
), way AS (
    SELECT b.id, b.connector + r.agg_cost + b.fraction * b.cost AS distance
      FROM building b JOIN reached r ON r.node = b.source
    UNION ALL
    SELECT b.id, b.connector + r.agg_cost + (1 - b.fraction) * b.cost
      FROM building b JOIN reached r ON r.node = b.target
    UNION ALL
    SELECT b.id, b.connector + g.connector + abs(b.fraction - g.fraction) * b.cost
      FROM building b JOIN ground g ON g.edge = b.edge
)
SELECT id, min(distance) AS distance FROM way
 GROUP BY id HAVING min(distance) <= %(radius)s
"""


def params(kind, radius_m):
    """The parameters DISTANCES needs."""
    return {
        "kind": kind,
        "radius": float(radius_m),
        "snap": settings.WALKING_SNAP_M,
        "walk_edges": EDGES,
    }


def network_distances(kind, radius_m):
    """{building id: walking distance in metres to the nearest ground of `kind`},
    for the buildings within `radius_m`. Call `unavailable_reason()` first."""
    refresh()
    with connection.cursor() as cursor:
        cursor.execute(DISTANCES, params(kind, radius_m))
        return dict(cursor.fetchall())


def pgrouting_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pgrouting'")
        return cursor.fetchone() is not None


def available():
    """Whether walking distances can be computed: pgRouting is installed and the
    network has edges."""
    return unavailable_reason() is None


def unavailable_reason():
    """Why walking distances cannot be computed, or None when they can."""
    if not pgrouting_installed():
        return _(
            "расстояние пешком недоступно: в базе данных не установлен pgRouting; "
            "считайте по прямой (method=straight)"
        )
    refresh()
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM planning_walk_edge)")
        if not cursor.fetchone()[0]:
            return _(
                "расстояние пешком недоступно: пешеходная сеть не загружена "
                "(manage.py import_osm); считайте по прямой (method=straight)"
            )
    return None


def refresh():
    """Rebuild the edges if the ways changed since they were built. Concurrent
    callers wait for one rebuild; readers see the old edges until it commits."""
    if not _stale():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('planning_walk_edge'))")
        if _stale():
            cursor.execute("DELETE FROM planning_walk_edge")
            cursor.execute(BUILD)
            cursor.execute(BUILT)


def _stale():
    with connection.cursor() as cursor:
        cursor.execute(STALE)
        return cursor.fetchone()[0]
