"""Bad boundaries sent to the draft endpoint: each gets a 4xx naming the problem
and leaves what is stored as it was (issue 8, "Bad geometry")."""

import json

import pytest

from territories.boundaries.models import BoundaryVersion

from .boundary_helpers import api, box_json, chair_of, polygon_json, reload
from .conftest import CENTRE, utm_box

pytestmark = pytest.mark.django_db

C = CENTRE.transform(4326, clone=True)
LON, LAT = round(C.x, 5), round(C.y, 5)


def ring(*offsets):
    """Lon/lat positions at small offsets (in 1e-3 degrees) from the centre."""
    return [[LON + dx / 1000, LAT + dy / 1000] for dx, dy in offsets]


SQUARE = ring((0, 0), (4, 0), (4, 3), (0, 3), (0, 0))


def polygon(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


def many_vertices(count):
    import math

    points = [
        [
            LON + 0.003 * math.cos(2 * math.pi * i / count),
            LAT + 0.002 * math.sin(2 * math.pi * i / count),
        ]
        for i in range(count)
    ]
    return polygon(points + [points[0]])


CASES = {
    "bowtie": (polygon(ring((0, 0), (4, 3), (4, 0), (0, 3), (0, 0))), "invalid"),
    "spike": (
        polygon(ring((0, 0), (4, 0), (4, 3), (6, 3), (4, 3), (0, 3), (0, 0))),
        "invalid",
    ),
    "unclosed ring": (polygon(SQUARE[:-1]), "not_closed"),
    "too few points": (polygon(ring((0, 0), (4, 0), (0, 0))), "too_few_points"),
    "lat/lon swapped": (
        polygon([[lat, lon] for lon, lat in SQUARE]),
        "swapped",
    ),
    "another CRS (named)": (
        polygon(SQUARE)
        | {"crs": {"type": "name", "properties": {"name": "EPSG:32648"}}},
        "crs",
    ),
    "another CRS (metres)": (
        lambda: json.loads(utm_box(0, 0, 500, 500).geojson),
        "projected",
    ),
    "3D coordinates": (polygon([p + [450.0] for p in SQUARE]), "dimensions"),
    "GeometryCollection": (
        {"type": "GeometryCollection", "geometries": [polygon(SQUARE)]},
        "type",
    ),
    "empty geometry": ({"type": "Polygon", "coordinates": []}, "empty"),
    "out of range": (polygon([[LON + 200, LAT] for _ in range(4)]), "out_of_range"),
    "outside the district": (
        lambda: box_json(19_000, 0, 2_000, 500),
        "outside_district",
    ),
    "too many vertices": (lambda: many_vertices(5001), "too_many_vertices"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_geometry_is_refused_and_nothing_changes(tos, case):
    body, code = CASES[case]
    body = body() if callable(body) else body
    chair = chair_of(tos)
    before = BoundaryVersion.objects.of(tos).count()
    response = api(chair).put(f"/api/territories/{tos.pk}/draft/", body, format="json")
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["code"] == code
    assert answer["field"] == "geometry"
    assert answer["error"]  # says why, in Russian
    assert BoundaryVersion.objects.of(tos).count() == before
    assert reload(tos).geom.equals(utm_box(0, 0, 500, 500))


def test_a_body_over_the_size_cap_is_refused_unread(tos, settings):
    settings.TERRITORY_MAX_BODY_BYTES = 64 * 1024
    chair = chair_of(tos)
    body = many_vertices(4000)  # ~ 160 KB
    response = api(chair).put(f"/api/territories/{tos.pk}/draft/", body, format="json")
    assert response.status_code == 413
    assert response.json()["field"] == "body"
    assert "64" in response.json()["error"]
    assert BoundaryVersion.objects.of(tos).count() == 1


def test_the_vertex_cap_is_a_setting(tos, settings):
    settings.TERRITORY_MAX_VERTICES = 100
    chair = chair_of(tos)
    url = f"/api/territories/{tos.pk}/draft/"
    assert api(chair).put(url, many_vertices(99), format="json").status_code == 200
    refused = api(chair).put(url, many_vertices(101), format="json")
    assert refused.json()["code"] == "too_many_vertices"


def test_a_valid_drawing_after_the_refusals_is_stored(tos):
    chair = chair_of(tos)
    drawn = polygon_json((0, 0), (300, 0), (300, 300), (0, 300))
    response = api(chair).put(f"/api/territories/{tos.pk}/draft/", drawn, format="json")
    assert response.status_code == 200
    assert BoundaryVersion.objects.of(tos).count() == 2
