"""Why a geometry cannot be stored, in words for a person. Used by models' `clean()`
(`geo.models.GeoFeature`, hence the admin), the API and the importers alike, so that
all of them refuse the same things (docs/architecture.md, "Geometry checks")."""

import math
import re

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from shapely.validation import explain_validity

POLYGONAL = ("Polygon", "MultiPolygon")
# GEOS appends the spot of the fault, e.g. "Self-intersection[427517.1 5822231.6]".
_LOCATION = re.compile(r"\s*\[[^\]]*\]\s*$")
_COORDINATES = re.compile(r"\[\s*(\S+)\s+(\S+?)\s*\]\s*$")
# GEOS's reasons (TopologyValidationError, also PostGIS's ST_IsValidReason and
# shapely's explain_validity), said in words for a person.
_GEOS_REASONS = {
    "Self-intersection": gettext_noop("самопересечение"),
    "Ring Self-intersection": gettext_noop(
        "кольцо касается само себя (петля или выступ нулевой ширины)"
    ),
    "Hole lies outside shell": gettext_noop("отверстие лежит вне внешнего кольца"),
    "Holes are nested": gettext_noop("отверстие лежит внутри другого отверстия"),
    "Interior is disconnected": gettext_noop(
        "отверстия разрезают многоугольник на части"
    ),
    "Nested shells": gettext_noop("один многоугольник лежит внутри другого"),
    "Duplicate Rings": gettext_noop("кольцо повторяется"),
    "Too few points in geometry component": gettext_noop(
        "в кольце слишком мало различных точек"
    ),
    "Invalid Coordinate": gettext_noop("недопустимая координата"),
    "Ring is not closed": gettext_noop("кольцо не замкнуто"),
    "Repeated Point": gettext_noop("повторяющаяся точка"),
}


def refusal_reason(geometry, *, types=None, min_area=None, srid=None, within=None):
    """Why `geometry` (GEOS or shapely) is refused: empty, of a type not in `types`,
    invalid (with GEOS's explanation), not transformable into `srid`, smaller than
    `min_area` or not covered by the area `within`; None when it is acceptable.

    `srid` and `within` take GEOS geometries only. With `srid`, the area and `within`
    (a GEOS geometry in that SRID) are checked in it; a geometry without an SRID is
    taken to be in it already, as Django does on save. Without `srid`, `min_area` is
    in the geometry's own CRS units.

    A GEOSGeometry is checked by the GEOS that Django links, normally the one PostGIS
    uses for its validity constraint; a shapely geometry by shapely's own GEOS."""
    empty, kind, valid, explain, area = _facts(geometry)
    if empty:
        return _("пустая геометрия")
    if types and kind not in types:
        return _("тип %(kind)s вместо %(expected)s") % {
            "kind": kind,
            "expected": " / ".join(types),
        }
    if not valid:
        return invalid(explain)
    if srid is not None:
        geometry = _in_srid(geometry, srid)
        if geometry is None:
            return _("не переводится в систему координат EPSG:%d") % srid
        area = geometry.area
    if min_area is not None and area < min_area:
        return too_small(min_area)
    if within is not None and not within.covers(geometry):
        return _("вне городского округа")
    return None


def point_refusal_reason(point, *, within=None):
    """Why a point an API received (GEOS, in any SRID) cannot be stored: not a point,
    not transformable into settings.GIS_SRID, or outside `within` (the district's
    area in GIS_SRID, e.g. `District.objects.area()`); None when it can."""
    return refusal_reason(
        point, types=("Point",), srid=settings.GIS_SRID, within=within
    )


def invalid(explanation):
    """The reason for an invalid geometry, from GEOS's explanation (in English, with
    or without its spot): the known reasons translated, the spot kept as GEOS gave it,
    so that `without_location` and `fault_location` still read it."""
    bare = without_location(explanation)
    spot = explanation[len(bare) :].strip()
    known = _GEOS_REASONS.get(bare.strip())
    said = _(known) if known else bare
    return _("недопустимая геометрия: %s") % (f"{said} {spot}" if spot else said)


def too_small(min_area):
    return _("площадь меньше %s м²") % f"{min_area:g}"


def validate_geometry(geometry, **rules):
    """`refusal_reason` as a Django validator: raises ValidationError saying why."""
    reason = refusal_reason(geometry, **rules)
    if reason:
        raise ValidationError(reason, code="geometry")


def validate_point(point, *, within=None):
    """`point_refusal_reason` as a Django validator."""
    reason = point_refusal_reason(point, within=within)
    if reason:
        raise ValidationError(reason, code="geometry")


def without_location(reason):
    """The reason without the spot GEOS appends, to count alike faults together."""
    return _LOCATION.sub("", reason)


def fault_location(reason):
    """The (x, y) of the spot GEOS appends to a reason, in the geometry's CRS, or None
    when the reason names no spot."""
    match = _COORDINATES.search(reason)
    if not match:
        return None
    try:
        return float(match[1]), float(match[2])
    except ValueError:
        return None


def _in_srid(geometry, srid):
    """The geometry in `srid` (itself when it is there already), or None when PROJ
    cannot transform it (a latitude beyond the poles, an unknown CRS) or the result
    has no finite coordinates."""
    if geometry.srid in (None, srid):
        return geometry
    try:
        moved = geometry.transform(srid, clone=True)
    except (GDALException, GEOSException):
        return None
    return moved if all(math.isfinite(c) for c in moved.extent) else None


def _facts(geometry):
    if isinstance(geometry, GEOSGeometry):
        valid = geometry.empty or geometry.valid
        explain = "" if valid else geometry.valid_reason
        return geometry.empty, geometry.geom_type, valid, explain, geometry.area
    valid = geometry.is_empty or geometry.is_valid
    explain = "" if valid else explain_validity(geometry)
    return geometry.is_empty, geometry.geom_type, valid, explain, geometry.area
