"""What a drawn boundary means on the ground, computed in PostGIS (docs/domain.md,
"TOS boundaries"): the slivers against approved neighbours snapped away, the
buildings and residents it covers, its overlaps and the part outside the district."""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.db.models.functions import (
    Area,
    AsGeoJSON,
    Difference,
    Intersection,
    Transform,
)
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.db.models import Count, Sum

from territories.registry.models import Building, District, Territory

FIT_SQL = """
WITH n AS (
    SELECT t.geom FROM territories_territory t
     WHERE t.id = ANY(%(slivers)s)
)
SELECT ST_AsEWKB(ST_Multi(ST_CollectionExtract(
           ST_Difference(ST_GeomFromEWKB(%(geom)s), (SELECT ST_Union(geom) FROM n)),
           3)))
"""

CLIP_SQL = """
SELECT ST_AsEWKB(ST_Multi(ST_CollectionExtract(
           ST_Intersection(ST_GeomFromEWKB(%(geom)s), d.geom), 3)))
  FROM territories_district d WHERE d.id = %(district)s
"""


@dataclass
class Shared:
    """An approved territory the boundary shares area with."""

    territory: int
    name: str
    area_m2: float
    geometry: str = ""  # GeoJSON (EPSG:4326) of the common part

    def as_dict(self, with_geometry=True):
        data = {"territory": self.territory, "name": self.name}
        data["area_m2"] = round(self.area_m2, 1)
        if with_geometry:
            data["geometry"] = json.loads(self.geometry)
        return data


@dataclass
class Fitted:
    geom: object  # GEOS MultiPolygon in GIS_SRID, slivers removed
    snapped: list = field(default_factory=list)  # Shared slivers taken away
    overlaps: list = field(default_factory=list)  # Shared areas left (real overlaps)
    outside_m2: float = 0.0  # area outside the district left (0 when clipped)
    clipped_m2: float = 0.0  # a sliver outside the district, clipped away


def neighbours(geom, territory_id):
    """Approved territories other than `territory_id` sharing area with `geom`."""
    rows = (
        Territory.objects.approved()
        .exclude(pk=territory_id)
        .sharing_area_with(geom)
        .annotate(shared_json=AsGeoJSON(Transform("shared", 4326), precision=7))
        .order_by("pk")
        .values_list("pk", "name", "shared_m2", "shared_json")
    )
    return [Shared(pk, name, area.sq_m, js) for pk, name, area, js in rows]


def fit(geom, district_id, territory_id=None):
    """`geom` without its slivers (docs/domain.md, "TOS boundaries"): a part below
    settings.TERRITORY_SLIVER_M2 shared with an approved neighbour is taken out of
    the drawn boundary (the neighbour's approved one stands), a larger one is left
    and reported as an overlap; a part that small outside the district is clipped,
    a larger one is left and reported."""
    shared = neighbours(geom, territory_id)
    slivers = [s for s in shared if s.area_m2 < settings.TERRITORY_SLIVER_M2]
    if slivers:
        with connection.cursor() as cursor:
            ids = [s.territory for s in slivers]
            cursor.execute(FIT_SQL, {"geom": bytes(geom.ewkb), "slivers": ids})
            geom = GEOSGeometry(memoryview(cursor.fetchone()[0]))
    fitted = Fitted(geom, slivers, [s for s in shared if s not in slivers])
    outside = outside_district_m2(geom, district_id)
    if 0 < outside < settings.TERRITORY_SLIVER_M2:
        with connection.cursor() as cursor:
            cursor.execute(
                CLIP_SQL, {"geom": bytes(geom.ewkb), "district": district_id}
            )
            fitted.geom = GEOSGeometry(memoryview(cursor.fetchone()[0]))
        fitted.clipped_m2 = outside
    else:
        fitted.outside_m2 = outside
    return fitted


def coverage(geom):
    """(buildings, residents) counted inside `geom`: residents as the buildings
    layer shows them (recorded, else flats × household, else the estimate)."""
    totals = (
        Building.objects.with_residents()
        .counted_in(geom)
        .aggregate(buildings=Count("pk"), residents=Sum("resident_count"))
    )
    return totals["buildings"], totals["residents"] or 0


def outside_district_m2(geom, district_id):
    """Area of `geom` outside the district `district_id`, in m²."""
    row = (
        District.objects.filter(pk=district_id)
        .annotate(outside=Area(Difference(geom, "geom")))
        .values_list("outside", flat=True)
        .first()
    )
    return row.sq_m if row is not None else geom.area


def district_for(geom):
    """The district a new TOS drawn as `geom` belongs to: the one it overlaps most,
    or the only one."""
    best = (
        District.objects.annotate(common=Area(Intersection("geom", geom)))
        .order_by("-common", "pk")
        .first()
    )
    return best


def srid_geom(geometry):
    """A GEOS geometry (any SRID, e.g. 4326 from GeoJSON) in settings.GIS_SRID."""
    if geometry.srid == settings.GIS_SRID:
        return geometry
    return geometry.transform(settings.GIS_SRID, clone=True)


DIFFERENCE_SQL = """
WITH a AS (SELECT ST_GeomFromEWKB(%(older)s) AS g),
     b AS (SELECT ST_GeomFromEWKB(%(newer)s) AS g)
SELECT ST_AsEWKB(ST_Multi(ST_CollectionExtract(ST_Difference(b.g, a.g), 3))),
       ST_AsEWKB(ST_Multi(ST_CollectionExtract(ST_Difference(a.g, b.g), 3)))
  FROM a, b
"""


def difference(older, newer):
    """(added, removed): the areas `newer` adds to `older` and takes from it, as
    MultiPolygons in GIS_SRID (possibly empty)."""
    with connection.cursor() as cursor:
        cursor.execute(
            DIFFERENCE_SQL, {"older": bytes(older.ewkb), "newer": bytes(newer.ewkb)}
        )
        added, removed = cursor.fetchone()
    return GEOSGeometry(memoryview(added)), GEOSGeometry(memoryview(removed))
