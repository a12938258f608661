"""The spatial questions of coverage, asked in PostGIS (docs/domain.md, "Coverage of
grounds"). Distances are in GIS_SRID metres; `<->` in ORDER BY with LIMIT 1 is an
index-assisted nearest-neighbour search that returns the true distance between the
geometries (PostGIS ≥ 2.2 on PostgreSQL ≥ 9.5)."""

from django.conf import settings
from django.db import connection

from . import walking

# Residents as the buildings layer counts them (BuildingQuerySet.with_residents):
# recorded, else flats × household rounded half to even (float8 round), else the
# estimate; a building with none of them counts 0.
RESIDENTS = (
    "COALESCE(b.residents_recorded, round(b.flats * %(household)s::float8)::integer,"
    " b.residents_estimated, 0)"
)

# Each building with its residents, its TOS (the smallest approved one holding its
# point on surface) and the distance to the nearest ground of the kind (NEAREST).
BUILDINGS = f"""
SELECT b.id, {RESIDENTS} AS residents, t.id AS territory_id, n.distance
  FROM territories_building b
  LEFT JOIN LATERAL (
        SELECT t.id FROM territories_territory t
         WHERE t.status = 'approved' AND t.geom && b.geom
           AND ST_Intersects(t.geom, ST_PointOnSurface(b.geom))
         ORDER BY t.area_m2, t.id LIMIT 1
  ) t ON true
"""

# The distance by method: straight, or walking (docs/domain.md, "Walking distance"),
# known only up to the radius.
NEAREST = {
    "straight": """
  LEFT JOIN LATERAL (
        SELECT g.geom <-> b.geom AS distance FROM territories_ground g
         WHERE g.kind = %(kind)s
         ORDER BY g.geom <-> b.geom LIMIT 1
  ) n ON true
""",
    "network": f"""
  LEFT JOIN ({walking.DISTANCES}) n ON n.id = b.id
""",
}

TOTALS = """
WITH d AS ({buildings})
SELECT d.territory_id, count(*), coalesce(sum(d.residents), 0),
       coalesce(sum(d.residents) FILTER (WHERE d.distance <= %(radius)s), 0)
  FROM d
 WHERE %(territory)s::bigint IS NULL OR d.territory_id = %(territory)s::bigint
 GROUP BY d.territory_id
"""

# Ground area of the kind in each approved TOS (by the ground's point on surface),
# and in the whole district (territory NULL).
GROUND_AREAS = """
SELECT t.id, sum(g.area_m2)
  FROM territories_ground g
  LEFT JOIN LATERAL (
        SELECT t.id FROM territories_territory t
         WHERE t.status = 'approved' AND t.geom && g.geom
           AND ST_Intersects(t.geom, ST_PointOnSurface(g.geom))
         ORDER BY t.area_m2, t.id LIMIT 1
  ) t ON true
 WHERE g.kind = %(kind)s
 GROUP BY t.id
"""

FEATURES = """
WITH d AS ({buildings})
SELECT json_build_object(
         'type', 'FeatureCollection',
         'features', coalesce(json_agg(json_build_object(
             'type', 'Feature',
             'id', b.id,
             'geometry', ST_AsGeoJSON(ST_Transform(b.geom, 4326), 6)::json,
             'properties', json_build_object(
                 'id', b.id,
                 'address', b.address,
                 'residents', d.residents,
                 'territory', d.territory_id,
                 'covered', coalesce(d.distance <= %(radius)s, false),
                 'distance_m', round(d.distance::numeric, 1)
             )) ORDER BY b.id), '[]'::json))::text
  FROM d JOIN territories_building b ON b.id = d.id
 WHERE %(territory)s::bigint IS NULL OR d.territory_id = %(territory)s::bigint
"""


def params(kind, radius=0.0, territory_id=None):
    return {
        "kind": kind,
        "radius": float(radius),
        "territory": territory_id,
        "household": settings.AVERAGE_HOUSEHOLD,
    }


def measured(sql, method):
    """`sql` whose buildings have their distance measured by `method`."""
    return sql.format(buildings=BUILDINGS + NEAREST[method])


def measure_params(kind, radius, territory_id, method):
    extra = walking.params(kind, radius) if method == "network" else {}
    return params(kind, radius, territory_id) | extra


def totals(kind, radius, territory_id=None, method="straight"):
    """{territory id or None: (buildings, residents, residents covered)}."""
    with connection.cursor() as cursor:
        cursor.execute(
            measured(TOTALS, method),
            measure_params(kind, radius, territory_id, method),
        )
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def ground_areas(kind):
    """{territory id or None: m² of grounds of `kind`} (None: outside every TOS)."""
    with connection.cursor() as cursor:
        cursor.execute(GROUND_AREAS, params(kind))
        return {pk: area for pk, area in cursor.fetchall()}


def buildings_geojson(kind, radius, territory_id=None, method="straight"):
    """The buildings as a GeoJSON FeatureCollection (text), each with `covered`,
    `distance_m` (null without a ground of the kind, or walking beyond the radius)
    and its residents."""
    with connection.cursor() as cursor:
        cursor.execute(
            measured(FEATURES, method),
            measure_params(kind, radius, territory_id, method),
        )
        return cursor.fetchone()[0]
