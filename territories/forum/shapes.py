"""Stored geometry as GeoJSON in EPSG:4326 (RFC 7946, 6 decimals), for the API and
the pages' maps."""

import json

from django.contrib.gis.geos import GEOSGeometry

from geo.wgs84 import WGS84


def _rounded(coordinates):
    if isinstance(coordinates, list | tuple):
        if coordinates and isinstance(coordinates[0], int | float):
            return [round(c, 6) for c in coordinates]
        return [_rounded(c) for c in coordinates]
    return coordinates


def geojson(geom):
    if geom is None:
        return None
    moved = GEOSGeometry(geom.ewkb).transform(WGS84, clone=True)
    data = json.loads(moved.geojson)
    data["coordinates"] = _rounded(data["coordinates"])
    return data


def lat_lon(geom):
    point = geojson(geom)["coordinates"]
    return [point[1], point[0]]
