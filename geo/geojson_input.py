"""Polygons that people send as GeoJSON (RFC 7946, EPSG:4326), read strictly: every
fault is refused with its own code and a reason that names it and where it is, in
plain Python before GDAL or GEOS sees anything (docs/architecture.md, "Geometry from
users")."""

from django.contrib.gis.geos import MultiPolygon
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework_gis.fields import GeometryField

from .errors import GeometryRefused
from .geojson_coordinates import Coordinates, shown, shown_text
from .validators import POLYGONAL, fault_location, refusal_reason, without_location
from .wgs84 import WGS84

__all__ = ["CODES", "GeometryRefused", "read_polygonal", "validity_problem"]

CODES = (
    "not_geojson",
    "type",
    "crs",
    "structure",
    "bbox",
    "not_number",
    "dimensions",
    "too_few_points",
    "not_closed",
    "out_of_range",
    "swapped",
    "projected",
    "too_many_vertices",
    "empty",
    "invalid",
    "outside_district",
    "too_small",
)
# How GeoJSON before RFC 7946 (2008) named WGS 84 longitude, latitude; compared in
# upper case. RFC 7946 dropped `crs`: its coordinates are always these.
WGS84_NAMES = frozenset(
    {
        "EPSG:4326",
        "URN:OGC:DEF:CRS:EPSG::4326",
        "URN:OGC:DEF:CRS:OGC:1.3:CRS84",
        "URN:OGC:DEF:CRS:OGC::CRS84",
        "OGC:CRS84",
        "CRS84",
        "HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84",
        "HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/4326",
    }
)


def read_polygonal(data, *, field="geometry", max_vertices):
    """The MultiPolygon (srid 4326) of `data`, the parsed JSON of a GeoJSON Polygon or
    MultiPolygon or of a Feature with one; a Polygon is wrapped. Raises
    GeometryRefused for what is not such a GeoJSON, checked before GDAL reads it.
    Validity (OGC) and the district are not checked: see `validity_problem`."""
    geometry = _geometry(data, field)
    reader = Coordinates(geometry["type"], field)
    polygons = reader.polygons(geometry)
    reader.count(polygons, max_vertices)
    reader.check_rings(polygons)
    reader.check_range(polygons)
    for member in (data, geometry):  # a Feature's bbox and its geometry's
        reader.check_bbox(member, polygons)
    return _parsed(geometry["type"], geometry["coordinates"], field)


def validity_problem(geometry, *, field="geometry"):
    """None when `geometry` (from `read_polygonal`) is valid, else the GeometryRefused
    saying why, by the one geometry validator, with the fault's (lon, lat)."""
    reason = refusal_reason(geometry)
    if reason is None:
        return None
    if geometry.empty:
        return GeometryRefused(field, reason, code="empty")
    location = fault_location(reason)
    if location is not None:
        # GEOS prints 15 digits; a person needs a point to 0.1 m in degrees (and
        # in metres, 6 decimals are below any use too).
        location = tuple(round(value, 6) for value in location)
        reason = f"{without_location(reason)} [{location[0]} {location[1]}]"
    return GeometryRefused(field, reason, code="invalid", location=location)


def _geometry(data, field):
    """The geometry object of `data` (itself, or a Feature's), its type polygonal
    and its CRS WGS 84."""
    _require_object(data, field)
    kind = data["type"]
    if kind == "FeatureCollection":
        _refuse(
            field,
            "not_geojson",
            _(
                "FeatureCollection не принимается: пришлите один Feature или одну "
                "геометрию (Polygon или MultiPolygon)"
            ),
        )
    _check_crs(data, field)
    if kind == "Feature":
        geometry = data.get("geometry")
        if geometry is None:
            _refuse(
                field,
                "not_geojson",
                _("у Feature нет геометрии: поле «geometry» пусто или его нет"),
            )
        _require_object(geometry, field)
        _check_crs(geometry, field)
        kind = geometry["type"]
    else:
        geometry = data
    if kind not in POLYGONAL:
        _refuse(
            field,
            "type",
            _("тип %s не принимается: граница — это Polygon или MultiPolygon")
            % shown_text(kind),
        )
    return geometry


def _require_object(data, field):
    if not isinstance(data, dict):
        _refuse(
            field,
            "not_geojson",
            _("ожидается объект GeoJSON, а пришло: %s") % shown(data),
        )
    if "type" not in data:
        _refuse(
            field,
            "not_geojson",
            _("в объекте GeoJSON нет поля «type» (Feature, Polygon или MultiPolygon)"),
        )
    if not isinstance(data["type"], str):
        _refuse(
            field,
            "not_geojson",
            _("поле «type» должно быть строкой, а пришло: %s") % shown(data["type"]),
        )


def _check_crs(data, field):
    crs = data.get("crs")
    if crs is None:
        return
    name = _crs_name(crs)
    if isinstance(name, str) and name.strip().upper() in WGS84_NAMES:
        return
    named = shown_text(name) if isinstance(name, str) else _("из поля «crs»")
    _refuse(
        field,
        "crs",
        _(
            "система координат %s не принимается: GeoJSON (RFC 7946) всегда в "
            "EPSG:4326 (WGS 84: долгота, широта)"
        )
        % named,
    )


def _crs_name(crs):
    """The name a GeoJSON 2008 `crs` member gives ({"type": "name", "properties":
    {"name": …}}), or None when it gives none."""
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        return crs["properties"].get("name")
    return None


def _parsed(kind, coordinates, field):
    """The checked coordinates as GEOS, read by djangorestframework-gis. Only `type`
    and `coordinates` go to GDAL: it would take a `crs` member's CRS."""
    try:
        geometry = GeometryField().to_internal_value(
            {"type": kind, "coordinates": coordinates}
        )
    except ValidationError as error:
        _refuse(
            field, "structure", _("GeoJSON не читается: %s") % "; ".join(error.messages)
        )
    geometry.srid = WGS84
    if geometry.geom_type == "Polygon":
        return MultiPolygon(geometry, srid=WGS84)
    return geometry


def _refuse(field, code, message):
    raise GeometryRefused(field, message, code=code)
