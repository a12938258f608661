"""`geo.geojson_input`: polygons people send as GeoJSON, each fault refused with
its own code and a Russian reason naming it (docs/architecture.md, "Geometry from
users")."""

import re

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework_gis.fields import GeometryField

from geo.geojson_input import (
    CODES,
    GeometryRefused,
    read_polygonal,
    validity_problem,
)


def at(x, y):
    """A position x, y thousandths of a degree east and north of a spot in Angarsk."""
    return [round(103.9 + x * 0.001, 6), round(52.5 + y * 0.001, 6)]


def ring(*corners):
    return [at(x, y) for x, y in corners]


SQUARE = ring((0, 0), (10, 0), (10, 10), (0, 10), (0, 0))
HOLE = ring((2, 2), (2, 4), (4, 4), (4, 2), (2, 2))
FAR_SQUARE = ring((20, 0), (30, 0), (30, 10), (20, 10), (20, 0))
BOW_TIE = ring((0, 0), (20, 20), (20, 0), (0, 20), (0, 0))
SPIKE = ring((0, 0), (10, 0), (10, 10), (15, 10), (10, 10), (0, 10), (0, 0))


def polygon(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


def multipolygon(*polygons):
    return {"type": "MultiPolygon", "coordinates": [list(rings) for rings in polygons]}


def feature(geometry, **members):
    return {"type": "Feature", "properties": {}, "geometry": geometry, **members}


def swapped(positions):
    return [[y, x] for x, y in positions]


def with_position(positions, index, position):
    changed = [list(p) for p in positions]
    changed[index] = position
    if index == 0:
        changed[-1] = position
    return changed


def crs(name):
    return {"type": "name", "properties": {"name": name}}


def refusal(data, max_vertices=1000):
    with pytest.raises(GeometryRefused) as caught:
        read_polygonal(data, max_vertices=max_vertices)
    return caught.value


def is_russian(message):
    return re.search("[а-яё]", message) is not None


def deeply_nested(levels):
    value = []
    for _ in range(levels):
        value = [value]
    return value


# (what is wrong, data, code, what the message must say)
FAULTS = [
    ("a JSON array", [SQUARE], "not_geojson", "ожидается объект GeoJSON"),
    ("WKT text", "POLYGON ((0 0, 1 0, 1 1, 0 0))", "not_geojson", "строка «POLYGON"),
    ("no type", {"coordinates": [SQUARE]}, "not_geojson", "нет поля «type»"),
    ("type not a string", {"type": 7}, "not_geojson", "«type» должно быть строкой"),
    (
        "a Feature without geometry",
        {"type": "Feature", "properties": {"name": "Уезд"}},
        "not_geojson",
        "у Feature нет геометрии",
    ),
    (
        "a Feature with null geometry",
        feature(None),
        "not_geojson",
        "у Feature нет геометрии",
    ),
    (
        "a FeatureCollection",
        {"type": "FeatureCollection", "features": [feature(polygon(SQUARE))]},
        "not_geojson",
        "пришлите один Feature или одну геометрию",
    ),
    (
        "a GeometryCollection",
        {"type": "GeometryCollection", "geometries": [polygon(SQUARE)]},
        "type",
        "тип «GeometryCollection» не принимается",
    ),
    ("a Point", {"type": "Point", "coordinates": at(0, 0)}, "type", "тип «Point»"),
    (
        "a LineString in a Feature",
        feature({"type": "LineString", "coordinates": SQUARE}),
        "type",
        "тип «LineString»",
    ),
    (
        "a projected crs",
        {**polygon(SQUARE), "crs": crs("EPSG:32648")},
        "crs",
        "«EPSG:32648» не принимается: GeoJSON (RFC 7946) всегда в EPSG:4326",
    ),
    (
        "a projected crs on the Feature",
        feature(polygon(SQUARE), crs=crs("urn:ogc:def:crs:EPSG::3857")),
        "crs",
        "«urn:ogc:def:crs:EPSG::3857» не принимается",
    ),
    (
        "a linked crs",
        {**polygon(SQUARE), "crs": {"type": "link", "properties": {"href": "x"}}},
        "crs",
        "система координат из поля «crs» не принимается",
    ),
    ("no coordinates", {"type": "Polygon"}, "structure", "нет поля «coordinates»"),
    (
        "coordinates a string",
        {"type": "Polygon", "coordinates": "103.9 52.5"},
        "structure",
        "«coordinates» должно быть массивом, а пришло: строка «103.9 52.5»",
    ),
    (
        "a ring where a Polygon needs rings",
        {"type": "Polygon", "coordinates": SQUARE},
        "structure",
        "внешнее кольцо (coordinates[0]): кольцо должно быть массивом точек, а в нём "
        "число 103.9: у Polygon координаты вложены на 3 уровня",
    ),
    (
        "a Polygon's rings where a MultiPolygon needs polygons",
        {"type": "MultiPolygon", "coordinates": [SQUARE]},
        "structure",
        "у MultiPolygon координаты вложены на 4 уровня",
    ),
    (
        "a ring not an array",
        {"type": "Polygon", "coordinates": [SQUARE, "hole"]},
        "structure",
        "отверстие 1 (coordinates[1]): кольцо должно быть массивом точек, а пришло: "
        "строка «hole»",
    ),
    (
        "a polygon not an array",
        {"type": "MultiPolygon", "coordinates": [[SQUARE], 5]},
        "structure",
        "многоугольник 2 (coordinates[1]): ожидается массив колец, а пришло: 5",
    ),
    (
        "a position not an array",
        polygon(SQUARE, HOLE[:2] + [{"lon": 1}] + HOLE[3:]),
        "structure",
        "отверстие 1, точка 3 (coordinates[1][2]): точка должна быть массивом "
        "[долгота, широта], а пришло: объект",
    ),
    (
        "a position of one number",
        polygon(with_position(SQUARE, 2, [103.91])),
        "structure",
        "внешнее кольцо, точка 3 (coordinates[0][2]): в точке меньше двух чисел",
    ),
    (
        "a string coordinate",
        polygon(with_position(SQUARE, 1, ["103.91", 52.5])),
        "not_number",
        "точка 2 (coordinates[0][1]): координата должна быть числом, а пришло: "
        "строка «103.91»",
    ),
    (
        "a boolean coordinate",
        polygon(with_position(SQUARE, 1, [103.91, True])),
        "not_number",
        "должна быть числом, а пришло: true",
    ),
    (
        "a null coordinate",
        polygon(with_position(SQUARE, 1, [None, 52.5])),
        "not_number",
        "должна быть числом, а пришло: null",
    ),
    (
        "NaN",
        polygon(with_position(SQUARE, 1, [float("nan"), 52.5])),
        "not_number",
        "должна быть числом, а пришло: NaN",
    ),
    (
        "Infinity",
        polygon(with_position(SQUARE, 1, [103.9, float("-inf")])),
        "not_number",
        "должна быть числом, а пришло: -Infinity",
    ),
    (
        "a coordinate nested 100,000 arrays deep",
        polygon(with_position(SQUARE, 1, [103.9, deeply_nested(100_000)])),
        "not_number",
        "должна быть числом, а пришло: массив",
    ),
    (
        "3D positions",
        multipolygon([SQUARE], [[p + [450.0] for p in FAR_SQUARE]]),
        "dimensions",
        "многоугольник 2, внешнее кольцо, точка 1 (coordinates[1][0][0]): чисел в "
        "точке 3; трёхмерные координаты не принимаются",
    ),
    (
        "a ring of three positions",
        polygon(SQUARE, HOLE[:2] + HOLE[-1:]),
        "too_few_points",
        "отверстие 1 (coordinates[1]): точек в кольце 3, нужно не меньше 4",
    ),
    (
        "an empty ring",
        polygon([]),
        "too_few_points",
        "внешнее кольцо (coordinates[0]): точек в кольце 0",
    ),
    (
        "an open ring",
        polygon(SQUARE[:-1]),
        "not_closed",
        f"кольцо не замкнуто: последняя точка [{SQUARE[3][0]!r}, {SQUARE[3][1]!r}] "
        f"не совпадает с первой [{SQUARE[0][0]!r}, {SQUARE[0][1]!r}]",
    ),
    (
        "an empty Polygon",
        {"type": "Polygon", "coordinates": []},
        "empty",
        "геометрия пуста",
    ),
    (
        "an empty MultiPolygon",
        {"type": "MultiPolygon", "coordinates": []},
        "empty",
        "геометрия пуста",
    ),
    (
        "a MultiPolygon with an empty polygon",
        {"type": "MultiPolygon", "coordinates": [[SQUARE], []]},
        "empty",
        "многоугольник 2 (coordinates[1]): в многоугольнике нет ни одного кольца",
    ),
    (
        "a longitude beyond 180",
        polygon(with_position(SQUARE, 2, [203.9, 52.51])),
        "out_of_range",
        "точка 3 (coordinates[0][2]): координаты [203.9, 52.51] вне допустимых "
        "пределов: долгота от −180 до 180, широта от −90 до 90",
    ),
    (
        "an integer too large for a float",
        polygon(with_position(SQUARE, 1, [10**400, 52.5])),
        "projected",
        "координаты [(очень большое число), 52.5] похожи на спроецированную систему",
    ),
    (
        "latitude and longitude swapped",
        polygon(swapped(SQUARE)),
        "swapped",
        "точка 1 (coordinates[0][0]): в точке [52.5, 103.9] широта и долгота, похоже, "
        "переставлены: в GeoJSON порядок [долгота, широта]",
    ),
    (
        "UTM metres",
        polygon(
            [
                [427517.1, 5822231.6],
                [428517.1, 5822231.6],
                [428517.1, 5823231.6],
                [427517.1, 5822231.6],
            ]
        ),
        "projected",
        "координаты [427517.1, 5822231.6] похожи на спроецированную систему "
        "(метры, например UTM); в GeoJSON — долгота и широта в градусах WGS 84",
    ),
    (
        "a bbox not around the coordinates",
        polygon(SQUARE) | {"bbox": [103.9, 52.5, 103.905, 52.51]},
        "bbox",
        "внешнее кольцо, точка 2 (coordinates[0][1]): точка [103.91, 52.5] лежит вне "
        "«bbox» [103.9, 52.5, 103.905, 52.51]",
    ),
    (
        "a Feature's bbox of three numbers",
        feature(polygon(SQUARE), bbox=[103.9, 52.5, 103.91]),
        "bbox",
        "«bbox» должен быть массивом [запад, юг, восток, север], а пришло: массив",
    ),
]


@pytest.mark.parametrize(
    "data, code, says", [case[1:] for case in FAULTS], ids=[case[0] for case in FAULTS]
)
def test_each_fault_is_refused_with_its_code_and_reason(data, code, says):
    refused = refusal(data)
    assert refused.code == code
    assert refused.field == "geometry"
    assert is_russian(str(refused))
    assert says in str(refused)
    assert refused.location is None


def test_every_fault_code_is_a_declared_code():
    tested = {case[2] for case in FAULTS} | {"too_many_vertices", "invalid"}
    assert tested <= set(CODES)
    # The callers' codes: tests/test_boundaries_probe.py.
    assert set(CODES) - tested == {"outside_district", "too_small"}


def test_the_field_is_the_callers():
    refused = None
    with pytest.raises(GeometryRefused) as caught:
        read_polygonal({"type": "Point"}, field="boundary", max_vertices=10)
    refused = caught.value
    assert (refused.field, refused.code) == ("boundary", "type")


@pytest.mark.parametrize(
    "name",
    [
        "EPSG:4326",
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "urn:ogc:def:crs:EPSG::4326",
        "OGC:CRS84",
        # GDAL refuses this "external CRS": only type and coordinates may reach it.
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    ],
)
def test_a_crs_naming_wgs84_is_accepted_and_changes_nothing(name):
    read = read_polygonal({**polygon(SQUARE), "crs": crs(name)}, max_vertices=10)
    assert read.srid == 4326
    assert [list(p) for p in read[0][0].coords] == SQUARE


def test_a_crs_naming_wgs84_does_not_excuse_a_projected_geometry_crs():
    data = feature({**polygon(SQUARE), "crs": crs("EPSG:32648")}, crs=crs("CRS84"))
    assert refusal(data).code == "crs"


def test_a_valid_polygon_is_wrapped_in_a_multipolygon_in_wgs84():
    read = read_polygonal(polygon(SQUARE), max_vertices=10)
    assert isinstance(read, MultiPolygon)
    assert read.srid == 4326
    assert len(read) == 1
    assert [list(p) for p in read[0].exterior_ring.coords] == SQUARE


def test_a_valid_multipolygon_keeps_its_parts():
    read = read_polygonal(multipolygon([SQUARE], [FAR_SQUARE]), max_vertices=10)
    assert read.srid == 4326
    assert len(read) == 2
    assert [list(p) for p in read[1].exterior_ring.coords] == FAR_SQUARE
    assert validity_problem(read) is None


def test_a_feature_with_properties_gives_its_geometry():
    data = feature(multipolygon([SQUARE]), id=7, properties={"name": "Уезд", "n": 1})
    read = read_polygonal(data, max_vertices=10)
    assert read.equals_exact(read_polygonal(polygon(SQUARE), max_vertices=10))


def test_a_polygon_with_a_hole_keeps_the_hole():
    read = read_polygonal(polygon(SQUARE, HOLE), max_vertices=10)
    (part,) = read
    assert part.num_interior_rings == 1
    assert [list(p) for p in part[1].coords] == HOLE
    assert validity_problem(read) is None


def test_exactly_max_vertices_is_accepted_and_one_more_refused():
    data = polygon(SQUARE, HOLE)  # 5 + 5 positions, the closing ones counted
    assert len(read_polygonal(data, max_vertices=10)[0]) == 2
    refused = refusal(data, max_vertices=9)
    assert refused.code == "too_many_vertices"
    assert str(refused) == (
        "слишком много точек: 10, можно не больше 9; упростите границу"
    )


def test_vertices_are_counted_before_any_position_is_looked_at():
    # 200,000 positions that are not even positions: the count refuses them first.
    data = polygon(["not a position"] * 200_000)
    refused = refusal(data, max_vertices=10_000)
    assert refused.code == "too_many_vertices"
    assert "200000" in str(refused) and "10000" in str(refused)


def test_one_ring_swapped_is_out_of_range():
    # Swapping every pair would not bring the exterior ring into range.
    refused = refusal(polygon(SQUARE, swapped(HOLE)))
    assert refused.code == "out_of_range"
    assert "отверстие 1, точка 1 (coordinates[1][0])" in str(refused)


def test_all_in_range_but_swapped_into_the_district_area_is_swapped(settings):
    # A district at about 10° E, 50° N; its square sent as [lat, lon] is in range.
    settings.GIS_AREA = [5.0, 45.0, 15.0, 55.0]
    square = [
        [10 + x / 1000, 50 + y / 1000] for x, y in [(0, 0), (9, 0), (9, 9), (0, 0)]
    ]
    refused = refusal(polygon(swapped(square)))
    assert refused.code == "swapped"
    assert "[50.0, 10.0] широта и долгота, похоже, переставлены" in str(refused)
    assert read_polygonal(polygon(square), max_vertices=10).srid == 4326


def test_far_away_but_not_swapped_into_the_area_is_read(settings):
    # Moscow is nowhere near Angarsk, but swapped it is nowhere near either: the
    # district check (the caller's) refuses it, not the reader.
    settings.GIS_AREA = [99.0, 0.0, 111.0, 84.0]
    moscow = [[37.6, 55.7], [37.7, 55.7], [37.7, 55.8], [37.6, 55.7]]
    assert read_polygonal(polygon(moscow), max_vertices=10).srid == 4326


def test_a_bbox_around_the_coordinates_is_read_even_across_the_antimeridian():
    assert read_polygonal(
        polygon(SQUARE) | {"bbox": [103.9, 52.5, 103.91, 52.51]}, max_vertices=10
    )
    dateline = [[179.9, 65.0], [-179.9, 65.0], [-179.9, 65.1], [179.9, 65.0]]
    across = polygon(dateline) | {"bbox": [179.9, 65.0, -179.9, 65.1]}
    assert read_polygonal(across, max_vertices=10).srid == 4326


def test_what_gdal_cannot_read_is_refused_not_raised(monkeypatch):
    def fails(self, value):
        raise ValidationError("Unable to convert to python object")

    monkeypatch.setattr(GeometryField, "to_internal_value", fails)
    refused = refusal(polygon(SQUARE))
    assert refused.code == "structure"
    assert str(refused).startswith("GeoJSON не читается: Unable to convert")


@pytest.mark.parametrize(
    "outline, says, location",
    [
        (BOW_TIE, "недопустимая геометрия: самопересечение", (103.91, 52.51)),
        (SPIKE, "недопустимая геометрия: кольцо касается само себя", (103.91, 52.51)),
    ],
    ids=["bow tie", "spike"],
)
def test_an_invalid_outline_is_refused_with_its_location(outline, says, location):
    read = read_polygonal(polygon(outline), max_vertices=10)
    problem = validity_problem(read)
    assert problem.code == "invalid"
    assert problem.field == "geometry"
    assert str(problem).startswith(says)
    assert problem.location == pytest.approx(location, abs=1e-9)


def test_a_part_inside_another_is_invalid():
    read = read_polygonal(multipolygon([SQUARE], [HOLE]), max_vertices=20)
    problem = validity_problem(read, field="boundary")
    assert (problem.code, problem.field) == ("invalid", "boundary")
    assert str(problem).startswith(
        "недопустимая геометрия: один многоугольник лежит внутри другого"
    )
    assert problem.location == pytest.approx(HOLE[0], abs=1e-9)


def test_reasons_are_in_the_requests_language():
    with translation.override("en"):
        swapped_refusal = refusal(polygon(swapped(SQUARE), swapped(HOLE)))
        invalid = validity_problem(read_polygonal(polygon(BOW_TIE), max_vertices=10))
    assert str(swapped_refusal) == (
        "exterior ring, position 1 (coordinates[0][0]): latitude and longitude "
        "appear swapped in [52.5, 103.9]: the GeoJSON order is [longitude, latitude]"
    )
    assert str(invalid) == "invalid geometry: self-intersection [103.91 52.51]"
