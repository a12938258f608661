"""Between WGS 84, the API's coordinates, and settings.GIS_SRID, the stored ones."""

from django.conf import settings
from django.contrib.gis.geos import Point

WGS84 = 4326


def stored_point(lon, lat):
    """A WGS 84 lon/lat as a point in the stored CRS."""
    return Point(lon, lat, srid=WGS84).transform(settings.GIS_SRID, clone=True)


def received_point(lon, lat, field="lat"):
    """A lon/lat an API received, as a point in the stored CRS, checked by the one
    geometry validator first: a point the stored CRS cannot take is refused naming
    `field`, never left to fail inside GDAL."""
    from .errors import Refused
    from .validators import point_refusal_reason

    reason = point_refusal_reason(Point(lon, lat, srid=WGS84))
    if reason:
        raise Refused(field, reason)
    return stored_point(lon, lat)


def to_wgs84(geometry):
    """A copy of a stored geometry in WGS 84 (x is the longitude)."""
    return geometry.transform(WGS84, clone=True)
