"""`geo.validators`: why a geometry is refused, for GEOS and shapely alike."""

import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError

from geo.validators import (
    fault_location,
    invalid,
    point_refusal_reason,
    refusal_reason,
    validate_geometry,
    validate_point,
    without_location,
)

BOW_TIE = "POLYGON ((0 0, 20 20, 20 0, 0 20, 0 0))"
SQUARE = "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"


@pytest.fixture(params=["geos", "shapely"])
def geometry(request):
    """Makes a geometry from WKT in either library."""
    return GEOSGeometry if request.param == "geos" else shapely.from_wkt


def test_acceptable_geometry_has_no_reason(geometry):
    assert refusal_reason(geometry(SQUARE), types=("Polygon",), min_area=1) is None


def test_self_intersection_is_explained(geometry):
    reason = refusal_reason(geometry(BOW_TIE))
    assert without_location(reason) == "недопустимая геометрия: самопересечение"
    assert fault_location(reason) == (10.0, 10.0)


def test_geos_reasons_are_translated_and_their_spot_kept():
    assert invalid("Hole lies outside shell[5 5]") == (
        "недопустимая геометрия: отверстие лежит вне внешнего кольца [5 5]"
    )
    assert invalid("Ring Self-intersection") == (
        "недопустимая геометрия: кольцо касается само себя "
        "(петля или выступ нулевой ширины)"
    )


def test_a_reason_geos_has_not_told_us_of_is_kept():
    reason = invalid("Something new[1.5 -2e3]")
    assert reason == "недопустимая геометрия: Something new [1.5 -2e3]"
    assert fault_location(reason) == (1.5, -2000.0)
    assert fault_location("недопустимая геометрия: самопересечение") is None


def test_wrong_type_names_both_types(geometry):
    reason = refusal_reason(geometry("POINT (1 2)"), types=("Polygon", "MultiPolygon"))
    assert reason == "тип Point вместо Polygon / MultiPolygon"


def test_empty_geometry_is_refused(geometry):
    assert refusal_reason(geometry("POLYGON EMPTY")) == "пустая геометрия"


def test_area_below_minimum_is_refused(geometry):
    assert refusal_reason(geometry(SQUARE), min_area=150) == "площадь меньше 150 м²"


def test_validator_raises_with_the_reason():
    with pytest.raises(ValidationError, match="самопересечение"):
        validate_geometry(GEOSGeometry(BOW_TIE))


def test_area_is_measured_in_the_target_srid():
    # 0.0001° × 0.0001° near Angarsk is about 6.8 m × 11 m in UTM 48N.
    cell = GEOSGeometry(
        "SRID=4326;POLYGON ((103.9 52.5, 103.9001 52.5, "
        "103.9001 52.5001, 103.9 52.5001, 103.9 52.5))"
    )
    assert refusal_reason(cell, srid=32648, min_area=50) is None
    assert refusal_reason(cell, srid=32648, min_area=100) == "площадь меньше 100 м²"


def test_a_geometry_proj_cannot_transform_is_refused():
    beyond_the_pole = GEOSGeometry("SRID=4326;POINT (103.9 95)")
    reason = refusal_reason(beyond_the_pole, srid=32648)
    assert reason == "не переводится в систему координат EPSG:32648"


def test_a_geometry_must_lie_within_the_area():
    area = GEOSGeometry(SQUARE)
    assert refusal_reason(GEOSGeometry("POINT (5 5)"), within=area) is None
    assert refusal_reason(GEOSGeometry("POINT (10 5)"), within=area) is None
    outside = refusal_reason(GEOSGeometry("POINT (11 5)"), within=area)
    assert outside == "вне городского округа"


def test_a_point_from_an_api_is_checked_in_gis_srid(settings):
    settings.GIS_SRID = 32648
    area = GEOSGeometry(
        "SRID=32648;POLYGON ((420000 5810000, 430000 5810000, "
        "430000 5830000, 420000 5830000, 420000 5810000))"
    )
    angarsk = GEOSGeometry("SRID=4326;POINT (103.9 52.5)")
    assert point_refusal_reason(angarsk, within=area) is None
    irkutsk = GEOSGeometry("SRID=4326;POINT (104.3 52.3)")
    assert point_refusal_reason(irkutsk, within=area) == "вне городского округа"
    outline = GEOSGeometry("SRID=4326;" + SQUARE)
    assert point_refusal_reason(outline) == "тип Polygon вместо Point"
    with pytest.raises(ValidationError, match="вне городского округа"):
        validate_point(irkutsk, within=area)
