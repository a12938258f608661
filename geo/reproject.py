"""Reprojection of many shapely geometries at once through GDAL (pyproj is not a
dependency): all coordinates go through PROJ in one call, not one call a feature."""

from functools import cache

import numpy as np
import shapely
from django.contrib.gis.gdal import CoordTransform, OGRGeometry, SpatialReference

# Coordinates per GDAL call: bounds the temporary line's memory (16 bytes a point).
CHUNK = 1_000_000


def reproject(geometries, source_srid, target_srid):
    """The geometries (a sequence; None stays None) in `target_srid`, as a list."""
    array = np.asarray(geometries, dtype=object)
    if source_srid == target_srid or array.size == 0:
        return list(array)
    moved = shapely.transform(
        array, lambda xy: _transform_xy(xy, source_srid, target_srid)
    )
    return list(moved)


def _transform_xy(xy, source_srid, target_srid):
    transform = _coord_transform(source_srid, target_srid)
    parts = [
        _transform_chunk(xy[start : start + CHUNK], transform)
        for start in range(0, len(xy), CHUNK)
    ]
    return np.concatenate(parts) if parts else xy


def _transform_chunk(xy, transform):
    if len(xy) == 1:  # a line needs two points
        return _transform_chunk(np.repeat(xy, 2, axis=0), transform)[:1]
    line = OGRGeometry(memoryview(shapely.to_wkb(shapely.linestrings(xy))))
    line.transform(transform)
    return shapely.get_coordinates(shapely.from_wkb(bytes(line.wkb)))


@cache
def _coord_transform(source_srid, target_srid):
    # Django's SpatialReference uses the traditional lon/lat axis order.
    return CoordTransform(SpatialReference(source_srid), SpatialReference(target_srid))
