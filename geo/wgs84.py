"""Between WGS 84, the API's coordinates, and settings.GIS_SRID, the stored ones."""

from django.conf import settings
from django.contrib.gis.geos import Point

WGS84 = 4326


def stored_point(lon, lat):
    """A WGS 84 lon/lat as a point in the stored CRS."""
    return Point(lon, lat, srid=WGS84).transform(settings.GIS_SRID, clone=True)


def to_wgs84(geometry):
    """A copy of a stored geometry in WGS 84 (x is the longitude)."""
    return geometry.transform(WGS84, clone=True)
