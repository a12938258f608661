"""The few raw spatial statements of the domain."""

from django.db import connection

PLACEMENT_SQL = """
WITH p AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326),
                               %(srid)s) AS geom)
SELECT
    (SELECT d.id FROM territories_district d, p WHERE ST_Covers(d.geom, p.geom)
     LIMIT 1),
    (SELECT t.id FROM territories_territory t, p WHERE ST_Covers(t.geom, p.geom)
     ORDER BY t.area_m2 LIMIT 1),
    (SELECT y.id FROM territories_yard y, p WHERE ST_Covers(y.geom, p.geom)
     ORDER BY y.area_m2 LIMIT 1),
    (SELECT b.id FROM territories_building b, p
     WHERE ST_DWithin(b.geom, p.geom, %(building_radius)s)
     ORDER BY b.geom <-> p.geom LIMIT 1)
"""


def place(lon, lat, srid, building_radius):
    """(district id, territory id, yard id, building id) at a WGS 84 point, each None
    where there is none: the smallest territory and yard covering it, the nearest
    building within `building_radius` metres."""
    params = {
        "lon": lon,
        "lat": lat,
        "srid": srid,
        "building_radius": building_radius,
    }
    with connection.cursor() as cursor:
        cursor.execute(PLACEMENT_SQL, params)
        return cursor.fetchone()
