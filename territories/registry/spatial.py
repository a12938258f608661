"""The few raw spatial statements of the domain."""

from django.conf import settings
from django.db import connection

PLACEMENT_SQL = """
WITH p AS (SELECT ST_Transform(ST_GeomFromEWKB(%(point)s), %(srid)s) AS geom)
SELECT
    (SELECT d.id FROM territories_district d, p WHERE ST_Covers(d.geom, p.geom)
     LIMIT 1),
    (SELECT t.id FROM territories_territory t, p
     WHERE t.status = 'approved' AND ST_Covers(t.geom, p.geom)
     ORDER BY t.area_m2 LIMIT 1),
    (SELECT y.id FROM territories_yard y, p WHERE ST_Covers(y.geom, p.geom)
     ORDER BY y.area_m2 LIMIT 1),
    (SELECT b.id FROM territories_building b, p
     WHERE ST_DWithin(b.geom, p.geom, %(building_radius)s)
     ORDER BY b.geom <-> p.geom LIMIT 1)
"""


def place(point):
    """(district id, territory id, yard id, building id) at a point (in any CRS),
    each None where there is none: the smallest approved territory and the smallest
    yard covering it, the nearest building within settings.REPORT_BUILDING_RADIUS_M
    metres."""
    params = {
        "point": bytes(point.ewkb),
        "srid": settings.GIS_SRID,
        "building_radius": settings.REPORT_BUILDING_RADIUS_M,
    }
    with connection.cursor() as cursor:
        cursor.execute(PLACEMENT_SQL, params)
        return cursor.fetchone()
