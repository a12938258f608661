"""`geo.validators`: why a geometry is refused, for GEOS and shapely alike."""

import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError

from geo.validators import refusal_reason, validate_geometry, without_location

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
    assert without_location(reason) == "недопустимая геометрия: Self-intersection"


def test_wrong_type_names_both_types(geometry):
    reason = refusal_reason(geometry("POINT (1 2)"), types=("Polygon", "MultiPolygon"))
    assert reason == "тип Point вместо Polygon / MultiPolygon"


def test_empty_geometry_is_refused(geometry):
    assert refusal_reason(geometry("POLYGON EMPTY")) == "пустая геометрия"


def test_area_below_minimum_is_refused(geometry):
    assert refusal_reason(geometry(SQUARE), min_area=150) == "площадь меньше 150 м²"


def test_validator_raises_with_the_reason():
    with pytest.raises(ValidationError, match="Self-intersection"):
        validate_geometry(GEOSGeometry(BOW_TIE))
