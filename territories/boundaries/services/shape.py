"""A drawn boundary checked and fitted before it is stored, and the live check the
editor shows while drawing (docs/domain.md, "TOS boundaries").

The geometry arrives as GEOS in EPSG:4326, already read by
`geo.geojson_input.read_polygonal` (structure, ranges, vertex cap); here it is
checked for validity (the one validator, `geo.validators`), moved into GIS_SRID,
checked against the district and fitted to the approved neighbours."""

from django.utils.translation import gettext as _

from geo.geojson_input import GeometryRefused, validity_problem

from .. import spatial


def prepared(geometry, district_id, territory_id=None):
    """`spatial.Fitted` for a boundary that may be stored as a draft; refuses one
    that is invalid, outside the district beyond a sliver, or nothing but slivers."""
    problem = validity_problem(geometry)
    if problem is not None:
        raise problem
    fitted = spatial.fit(spatial.srid_geom(geometry), district_id, territory_id)
    if fitted.outside_m2 > 0:
        raise outside_district(fitted.outside_m2)
    if fitted.geom.empty or fitted.geom.area <= 0:
        raise GeometryRefused(
            "geometry",
            _("после отсечения пересечений с соседями от границы ничего не осталось"),
            code="empty",
        )
    return fitted


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


def preview(geometry, *, district_id, territory=None):
    """The live check: what the boundary would be if saved now. Everything is
    computed in PostGIS on the fitted geometry. `geometry` is GEOS in EPSG:4326."""
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
    problem = validity_problem(geometry)
    if problem is not None:
        return answer | refusal_fields(problem)
    territory_id = territory.pk if territory else None
    fitted = spatial.fit(spatial.srid_geom(geometry), district_id, territory_id)
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
    if fitted.outside_m2 > 0:
        answer |= {"valid": False} | refusal_fields(outside_district(fitted.outside_m2))
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
