"""Why a geometry cannot be stored, in words for a person. Used by models' `clean()`,
the API and the importers alike, so that all of them refuse the same things."""

import re

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.validation import explain_validity

POLYGONAL = ("Polygon", "MultiPolygon")
# GEOS appends the spot of the fault, e.g. "Self-intersection[427517.1 5822231.6]".
_LOCATION = re.compile(r"\s*\[[^\]]*\]\s*$")


def refusal_reason(geometry, *, types=None, min_area=None):
    """Why `geometry` (GEOS or shapely) is refused: empty, of a type not in `types`,
    invalid (with GEOS's explanation) or smaller than `min_area` in its CRS units;
    None when it is acceptable.

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
    if min_area is not None and area < min_area:
        return too_small(min_area)
    return None


def invalid(explanation):
    """The reason for an invalid geometry, from GEOS's explanation (in English)."""
    return _("недопустимая геометрия: %s") % explanation


def too_small(min_area):
    return _("площадь меньше %s м²") % f"{min_area:g}"


def validate_geometry(geometry, **rules):
    """`refusal_reason` as a Django validator: raises ValidationError saying why."""
    reason = refusal_reason(geometry, **rules)
    if reason:
        raise ValidationError(reason, code="geometry")


def without_location(reason):
    """The reason without the spot GEOS appends, to count alike faults together."""
    return _LOCATION.sub("", reason)


def _facts(geometry):
    if isinstance(geometry, GEOSGeometry):
        valid = geometry.empty or geometry.valid
        explain = "" if valid else geometry.valid_reason
        return geometry.empty, geometry.geom_type, valid, explain, geometry.area
    valid = geometry.is_empty or geometry.is_valid
    explain = "" if valid else explain_validity(geometry)
    return geometry.is_empty, geometry.geom_type, valid, explain, geometry.area
