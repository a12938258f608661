"""Where a project is: a GeoJSON Point or (Multi)Polygon in EPSG:4326, stored in
GIS_SRID inside the district (docs/architecture.md, "Geometry from users")."""

import math

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.utils.translation import gettext as _

from geo.errors import GeometryRefused, Refused
from geo.geojson_input import read_polygonal, validity_problem
from geo.wgs84 import received_point
from territories.registry.models import District

FIELD = "geometry"


def outside():
    return GeometryRefused(
        FIELD, _("место проекта вне границ округа"), code="outside_district"
    )


def read_place(data):
    """(point, area or None) in GIS_SRID, or Refused naming `geometry`."""
    if not isinstance(data, dict):
        raise Refused(FIELD, _("укажите место проекта: точку или полигон GeoJSON"))
    geometry = data.get("geometry") if data.get("type") == "Feature" else data
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        point = _point(geometry.get("coordinates"))
        _check_in_district(point)
        return point, None
    area = _area(data)
    _check_in_district(area)
    return _point_on_surface(area), area


def _point(coordinates):
    if (
        not isinstance(coordinates, list)
        or len(coordinates) != 2
        or not all(
            isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
            for c in coordinates
        )
    ):
        raise Refused(FIELD, _("точка: [долгота, широта], два числа"))
    lon, lat = coordinates
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise Refused(FIELD, _("координаты вне допустимого диапазона"))
    return received_point(lon, lat, field=FIELD)


def _area(data):
    polygons = read_polygonal(
        data, field=FIELD, max_vertices=settings.FORUM_MAX_VERTICES
    )
    problem = validity_problem(polygons, field=FIELD)
    if problem is not None:
        raise problem
    west, south, east, north = settings.GIS_AREA
    x_min, y_min, x_max, y_max = polygons.extent
    if not (west <= x_min and x_max <= east and south <= y_min and y_max <= north):
        raise outside()
    try:
        moved = polygons.transform(settings.GIS_SRID, clone=True)
    except GDALException:
        raise outside() from None
    problem = validity_problem(moved, field=FIELD)
    if problem is not None:
        raise problem
    return moved


def _check_in_district(geometry):
    district = District.objects.area()
    if district is not None and not district.covers(geometry):
        raise outside()


def _point_on_surface(area):
    # The point shown on the map lies inside the area (GEOS, as PostGIS's
    # ST_PointOnSurface), never in a hole or between two parts.
    point = area.point_on_surface
    point.srid = area.srid
    return point
