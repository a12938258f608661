"""A drawn boundary checked and fitted before it is stored, and the live check the
editor shows while drawing (docs/domain.md, "TOS boundaries").

The geometry arrives as GEOS in EPSG:4326, already read by
`geo.geojson_input.read_polygonal` (structure, ranges, vertex cap); here it is
checked for validity (the one validator, `geo.validators`), moved into GIS_SRID and
checked there again, checked against the district and fitted to the approved
neighbours."""

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _

from geo.errors import Refused
from geo.geojson_input import GeometryRefused, validity_problem
from geo.validators import without_location
from geo.wgs84 import WGS84

from .. import spatial


def prepared(geometry, district_id, territory_id=None):
    """`spatial.Fitted` for a boundary that may be stored as a draft; refuses one
    that is invalid, outside the district beyond a sliver, nothing but slivers or
    no larger than one."""
    fitted = spatial.fit(projected(geometry), district_id, territory_id)
    problem = unstorable(fitted)
    if problem is not None:
        raise problem
    return fitted


def projected(geometry):
    """`geometry` (GEOS: EPSG:4326 as read, or a stored one) in GIS_SRID, where it
    is stored and measured, or GeometryRefused. Validity is asked again after the
    move: edges are straight in both CRSs but parallels curve in UTM, so a vertex a
    hair's breadth from an edge in degrees may lie across it in metres. Beyond
    settings.GIS_AREA (where GIS_SRID is usable) PROJ is not asked at all: that is
    far outside the district."""
    problem = validity_problem(geometry)
    if problem is not None:
        raise problem
    if geometry.srid == settings.GIS_SRID:
        return geometry
    west, south, east, north = settings.GIS_AREA
    x_min, y_min, x_max, y_max = geometry.extent
    if not (west <= x_min and x_max <= east and south <= y_min and y_max <= north):
        raise far_outside()
    try:
        moved = spatial.srid_geom(geometry)
    except GDALException:
        raise far_outside() from None
    problem = validity_problem(moved)
    if problem is not None:
        raise in_lonlat(problem)
    return moved


def in_lonlat(problem):
    """`problem` of a geometry in GIS_SRID with its spot in lon/lat, as the editor
    shows it."""
    if problem.location is None:
        return problem
    spot = Point(*problem.location, srid=settings.GIS_SRID).transform(WGS84, True)
    lon, lat = round(spot.x, 6), round(spot.y, 6)
    reason = f"{without_location(str(problem))} [{lon} {lat}]"
    return GeometryRefused(
        problem.field, reason, code=problem.code, location=(lon, lat)
    )


def district_of(geom):
    """The district a new TOS drawn as `geom` (GIS_SRID) belongs to."""
    district = spatial.district_for(geom)
    if district is None:
        raise Refused("geometry", _("в системе нет городского округа"))
    return district


def unstorable(fitted):
    """Why a fitted boundary cannot be stored, or None: outside the district beyond
    a sliver, nothing left once the slivers are cut, or itself no larger than a
    sliver (settings.TERRITORY_SLIVER_M2: a slip of the hand, not a territory)."""
    if fitted.outside_m2 > 0:
        return outside_district(fitted.outside_m2)
    if fitted.geom.empty or fitted.geom.area <= 0:
        return GeometryRefused(
            "geometry",
            _("после отсечения пересечений с соседями от границы ничего не осталось"),
            code="empty",
        )
    if fitted.geom.area < settings.TERRITORY_SLIVER_M2:
        return GeometryRefused(
            "geometry",
            _("граница охватывает %(area)s м², а нужно не меньше %(least)s м²")
            % {
                "area": f"{fitted.geom.area:.2f}",
                "least": f"{settings.TERRITORY_SLIVER_M2:g}",
            },
            code="too_small",
        )
    return None


def far_outside():
    return GeometryRefused(
        "geometry",
        _("граница уходит далеко за пределы городского округа"),
        code="outside_district",
    )


def outside_district(area_m2):
    return GeometryRefused(
        "geometry",
        _("граница выходит за пределы городского округа на %s м²") % f"{area_m2:.0f}",
        code="outside_district",
    )


def overlap_refusal(overlaps):
    """The refusal of a boundary that shares area with approved territories."""
    names = ", ".join(
        _("«%(name)s» (%(area)s м²)") % {"name": o.name, "area": f"{o.area_m2:.0f}"}
        for o in overlaps
    )
    return GeometryRefused(
        "geometry",
        _("граница пересекается с утверждёнными территориями: %s") % names,
        code="overlap",
    )


def preview(geometry, *, district_id=None, territory=None):
    """The live check: what the boundary would be if saved now. Everything is
    computed in PostGIS on the fitted geometry. `geometry` is GEOS in EPSG:4326;
    without `district_id` (a new TOS) the district is the one it lies in."""
    answer = {
        "valid": False,
        "reason": None,
        "code": None,
        "location": None,
        "area_m2": None,
        "buildings": None,
        "residents": None,
        "overlaps": [],
        "snapped": [],
        "outside_district_m2": None,
        "can_submit": False,
        "population_recorded": territory.population if territory else None,
    }
    try:
        geom = projected(geometry)
    except GeometryRefused as problem:
        return answer | refusal_fields(problem)
    if district_id is None:
        district_id = district_of(geom).pk
    territory_id = territory.pk if territory else None
    fitted = spatial.fit(geom, district_id, territory_id)
    buildings, residents = spatial.coverage(fitted.geom)
    answer |= {
        "valid": True,
        "area_m2": round(fitted.geom.area, 1),
        "buildings": buildings,
        "residents": residents,
        "overlaps": [o.as_dict() for o in fitted.overlaps],
        "snapped": [s.as_dict(with_geometry=False) for s in fitted.snapped],
        "outside_district_m2": round(fitted.outside_m2, 1),
    }
    problem = unstorable(fitted)
    if problem is not None:
        answer |= {"valid": False} | refusal_fields(problem)
    elif fitted.overlaps:
        answer["reason"] = str(overlap_refusal(fitted.overlaps))
        answer["code"] = "overlap"
    answer["can_submit"] = answer["valid"] and not fitted.overlaps
    return answer


def refusal_fields(problem):
    location = None
    if problem.location is not None:
        location = {"type": "Point", "coordinates": list(problem.location)}
    return {"reason": str(problem), "code": problem.code, "location": location}
