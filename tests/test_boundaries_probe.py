"""Hostile probes of the endpoints that take a drawn boundary (issue 8, "How it is
judged"): a corpus of broken GeoJSON, each sent to the draft, both live checks and
a proposal. Every one is refused naming the problem, never a 500, and nothing is
stored; GeoJSON that is odd but valid is taken."""

import json
import math

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from territories.boundaries.models import BoundaryVersion
from territories.registry.models import Territory

from .boundary_helpers import account, api, chair_of, lonlat, reload
from .conftest import CENTRE, utm_box

pytestmark = pytest.mark.django_db

C = CENTRE.transform(4326, clone=True)
LON, LAT = round(C.x, 5), round(C.y, 5)


def ring(*offsets):
    """Lon/lat positions at offsets (in 1e-3 degrees) from the centre."""
    return [[LON + dx / 1000, LAT + dy / 1000] for dx, dy in offsets]


def polygon(*rings, **members):
    return {"type": "Polygon", "coordinates": list(rings), **members}


def multipolygon(*polygons):
    return {"type": "MultiPolygon", "coordinates": [list(p) for p in polygons]}


def text(value):
    return json.dumps(value, ensure_ascii=False)


def utm_json(*points):
    """A GeoJSON Polygon from UTM offsets from the centre (closed here)."""
    ring = [(CENTRE.x + x, CENTRE.y + y) for x, y in points]
    return lonlat(MultiPolygon(Polygon([*ring, ring[0]]), srid=CENTRE.srid))


SQUARE = ring((0, 0), (4, 0), (4, 3), (0, 3), (0, 0))
SQ = text(polygon(SQUARE))
X1, Y1 = str(SQUARE[1][0]), str(SQUARE[1][1])
# A vertex 1e-14° north of the southern edge: clear of it in degrees, but that edge
# is a straight chord in UTM while the parallel it follows curves, so in metres the
# vertex lies across it and the ring crosses itself.
NEAR_EDGE = [
    [103.888, 52.5406],
    [103.898, 52.5406],
    [103.898, 52.5506],
    [103.8895, 52.5506],
    [103.8887, 52.54060000000001],
    [103.889, 52.5506],
    [103.888, 52.5506],
    [103.888, 52.5406],
]

# name: (JSON text, what the draft's refusal names, what the proposal's names when
# it differs). A name is a `code`, or "body" for `field` = body.
CORPUS = {
    "1e400": (SQ.replace(X1, "1e400", 1), "not_number"),
    "-1e400": (SQ.replace(Y1, "-1e400", 1), "not_number"),
    "NaN": (SQ.replace(Y1, "NaN", 1), "body"),
    "Infinity": (SQ.replace(Y1, "-Infinity", 1), "body"),
    "a number as a string": (SQ.replace(X1, f'"{X1}"', 1), "not_number"),
    "a boolean": (SQ.replace(X1, "true", 1), "not_number"),
    "a null coordinate": (SQ.replace(X1, "null", 1), "not_number"),
    "a null position": (text(polygon([SQUARE[0], None, *SQUARE[2:]])), "structure"),
    "a null ring": (text(polygon(SQUARE, None)), "structure"),
    "null coordinates": (text({"type": "Polygon", "coordinates": None}), "structure"),
    "nested nulls": (text(polygon([[None, None]] * 4)), "not_number"),
    "a null type": (text({"type": None, "coordinates": [SQUARE]}), "not_geojson"),
    "a 30-digit integer": (SQ.replace(X1, "1" + "0" * 30, 1), "projected"),
    "a 5000-digit integer": (SQ.replace(X1, "1" * 5000, 1), "body"),
    "parts overlapping each other": (
        text(multipolygon([SQUARE], [ring((2, 1), (6, 1), (6, 4), (2, 4), (2, 1))])),
        "invalid",
    ),
    "the same part twice": (text(multipolygon([SQUARE], [SQUARE])), "invalid"),
    "a hole outside its shell": (
        text(polygon(SQUARE, ring((5, 0), (6, 0), (6, 1), (5, 0)))),
        "invalid",
    ),
    "a hole equal to its shell": (text(polygon(SQUARE, SQUARE)), "invalid"),
    "a hole inside a hole": (
        text(
            polygon(
                SQUARE,
                ring((1, 1), (3, 1), (3, 2.5), (1, 2.5), (1, 1)),
                ring((1.5, 1.5), (2.5, 1.5), (2.5, 2), (1.5, 1.5)),
            )
        ),
        "invalid",
    ),
    "a hole cutting the polygon in two": (
        text(polygon(SQUARE, ring((-1, 1), (5, 1), (5, 2), (-1, 2), (-1, 1)))),
        "invalid",
    ),
    "all points identical": (text(polygon([SQUARE[0]] * 5)), "invalid"),
    "zero area (collinear)": (
        text(polygon(ring((0, 0), (1, 0), (2, 0), (3, 0), (0, 0)))),
        "invalid",
    ),
    "a self-touching ring (inverted hole)": (
        text(
            polygon(
                ring((0, 0), (4, 0), (4, 3), (2, 3), (3, 1), (1, 1), (2, 3), (0, 3))
                + [SQUARE[0]]
            )
        ),
        "invalid",
    ),
    "a bow-tie part": (
        text(multipolygon([SQUARE], [ring((9, 0), (13, 3), (13, 0), (9, 3), (9, 0))])),
        "invalid",
    ),
    "valid in degrees, crossing itself in metres": (
        text(polygon(NEAR_EDGE)),
        "invalid",
    ),
    "across the antimeridian": (
        text(polygon([[179.9, 52.5], [-179.9, 52.5], [-179.9, 52.6], [179.9, 52.5]])),
        "outside_district",
    ),
    "the whole world, ±180/±90": (
        text(polygon([[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]])),
        "outside_district",
    ),
    "the north pole": (
        text(polygon([[LON, 90], [LON + 1, 90], [LON + 1, 89.9], [LON, 90]])),
        "outside_district",
    ),
    "90° from the zone's meridian": (
        text(polygon([[LON, LAT], [-165, 0], [-164, 1], [LON, LAT]])),
        "outside_district",
    ),
    "a vertex at exactly 180": (
        text(polygon([[LON, LAT], [180, LAT], [180, LAT + 0.01], [LON, LAT]])),
        "outside_district",
    ),
    "1 cm², clear of every TOS": (
        text(utm_json((-900, 10), (-899.9, 10), (-899.9, 10.1), (-900, 10.1))),
        "too_small",
    ),
    "99 m² (under TERRITORY_SLIVER_M2)": (
        text(utm_json((-900, 10), (-801, 10), (-801, 11), (-900, 11))),
        "too_small",
    ),
    "a Feature with geometry null": (
        text({"type": "Feature", "geometry": None, "properties": {}}),
        "not_geojson",
    ),
    "a Feature of a Feature": (
        text({"type": "Feature", "geometry": {"type": "Feature"}}),
        "type",
    ),
    "a FeatureCollection": (
        text({"type": "FeatureCollection", "features": []}),
        "not_geojson",
    ),
    "a top-level array": (text([polygon(SQUARE)]), "body", "not_geojson"),
    "a JSON string": (text("Polygon"), "body", "not_geojson"),
    "a JSON number": ("42", "body", "not_geojson"),
    "JSON null": ("null", "body", "not_geojson"),
    "an empty object": ("{}", "not_geojson"),
    "coordinates as an object": (
        text({"type": "Polygon", "coordinates": {"0": SQUARE}}),
        "structure",
    ),
    "a lower-case type": (text({"type": "polygon", "coordinates": [SQUARE]}), "type"),
    "a type as a list": (text({"type": ["Polygon"], "coordinates": []}), "not_geojson"),
    "a Cyrillic у in «type»": (text({"tуpe": "Polygon"}), "not_geojson"),
    "NUL in the type": (text({"type": "Poly\x00gon"}), "type"),
    "a lone surrogate in the type": ('{"type": "Polygon\\ud800"}', "type"),
    "a polygon's rings one level too deep": (text(polygon([SQUARE])), "not_number"),
    "a multipolygon one level short": (
        text({"type": "MultiPolygon", "coordinates": [SQUARE]}),
        "structure",
    ),
    "an empty ring": (text(polygon([])), "too_few_points"),
    "an empty part": (text({"type": "MultiPolygon", "coordinates": [[]]}), "empty"),
    "empty positions": (text(polygon([[], [], [], []])), "structure"),
    "a bbox not around the coordinates": (
        text(polygon(SQUARE, bbox=[0, 0, 1, 1])),
        "bbox",
    ),
    "a bbox that is no bbox": (text(polygon(SQUARE, bbox="everywhere")), "bbox"),
    "a bbox on the Feature": (
        text({"type": "Feature", "bbox": [0, 0, 1, 1], "geometry": polygon(SQUARE)}),
        "bbox",
    ),
    "a crs naming nothing": (
        text(polygon(SQUARE, crs={"type": "name", "properties": {"name": ["x"]}})),
        "crs",
    ),
    "a crs as a string": (text(polygon(SQUARE, crs="EPSG:3857")), "crs"),
    "40 levels deep": (
        text(polygon(SQUARE, x=json.loads("[" * 40 + "]" * 40))),
        "body",
    ),
    "100,000 levels deep": ("[" * 100_000 + "]" * 100_000, "body"),
    "not JSON": ("POLYGON((0 0, 1 0, 1 1, 0 0))", "body"),
    "truncated JSON": (SQ[:-10], "body"),
    "invalid UTF-8": ('{"type": "\udcff"}', "body"),
}


def sent(value):
    return value.encode("utf-8", "surrogateescape")


def refused_as(response, expected):
    """The refusal's answer: a 4xx JSON naming the field and the reason, and the
    problem `expected` (a code, or "body")."""
    assert 400 <= response.status_code < 500, response.content[:300]
    answer = response.json()
    assert answer["error"], answer
    if expected == "body":
        assert answer["field"] == "body", answer
    else:
        assert (answer["field"], answer.get("code")) == ("geometry", expected), answer


def checked_as(response, expected):
    """The live check's answer: 200 with valid false and the problem named, or a
    refusal."""
    if response.status_code != 200:
        return refused_as(response, expected)
    answer = response.json()
    assert answer["valid"] is False and answer["can_submit"] is False, answer
    assert (answer["code"], bool(answer["reason"])) == (expected, True), answer


@pytest.mark.parametrize("case", CORPUS)
def test_broken_geometry_is_refused_everywhere_and_nothing_changes(tos, case):
    body, expected, *in_proposal = CORPUS[case]
    chair = chair_of(tos)
    client = api(chair)
    client.raise_request_exception = False
    before = BoundaryVersion.objects.of(tos).count()
    url = f"/api/territories/{tos.pk}/"

    def send(method, path, data):
        return getattr(client, method)(path, data, content_type="application/json")

    refused_as(send("put", url + "draft/", sent(body)), expected)
    checked_as(send("post", url + "preview/", sent(body)), expected)
    checked_as(send("post", "/api/territories/preview/", sent(body)), expected)
    proposal = '{"name": "Новый", "geometry": ' + body + "}"
    created = send("post", "/api/territories/", sent(proposal))
    refused_as(created, in_proposal[0] if in_proposal else expected)

    assert BoundaryVersion.objects.of(tos).count() == before
    assert reload(tos).geom.equals_exact(utm_box(0, 0, 500, 500))
    assert list(Territory.objects.values_list("name", flat=True)) == ["Перекресток"]


def tiny_holes(count):
    """SQUARE with `count` triangular holes of about 0.4 m², in rows."""
    corners = [(0.1 + i % 40 * 0.09, 0.1 + i // 40 * 0.09) for i in range(count)]
    holes = [
        ring((x, y), (x + 0.01, y), (x + 0.01, y + 0.01), (x, y)) for x, y in corners
    ]
    return polygon(SQUARE, *holes)


# GeoJSON that is valid (OGC and RFC 7946), however unusual: stored as drawn.
TAKEN = {
    "a hole touching its shell at a point": polygon(
        SQUARE, ring((0, 0), (1, 1), (1, 2), (0, 0))
    ),
    "repeated consecutive points": polygon(
        ring((0, 0), (0, 0), (4, 0), (4, 0), (4, 3), (0, 3), (0, 0))
    ),
    "a clockwise exterior ring": polygon(list(reversed(SQUARE))),
    "foreign members and unicode keys": {
        "type": "Feature",
        "id": "№1",
        "properties": {"название": "ТОС", "\u2603": None},
        "geometry": polygon(SQUARE, title="граница"),
        "ключ": [1, 2],
    },
    "a bbox around the coordinates": polygon(
        SQUARE, bbox=[LON, LAT, LON + 0.004, LAT + 0.003]
    ),
    "crs naming WGS 84": polygon(
        SQUARE,
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    ),
    "60 tiny holes": tiny_holes(60),
}


@pytest.mark.parametrize("case", TAKEN)
def test_unusual_but_valid_geometry_is_taken(tos, case):
    chair = chair_of(tos)
    url = f"/api/territories/{tos.pk}/"
    checked = api(chair).post(url + "preview/", TAKEN[case], format="json")
    assert checked.status_code == 200 and checked.json()["valid"] is True
    saved = api(chair).put(url + "draft/", TAKEN[case], format="json")
    assert saved.status_code == 200, saved.content
    assert BoundaryVersion.objects.of(tos).count() == 2


def test_many_tiny_holes_are_checked_in_time(tos):
    import time

    chair = chair_of(tos)
    started = time.monotonic()
    response = api(chair).put(
        f"/api/territories/{tos.pk}/draft/", tiny_holes(1248), format="json"
    )
    assert response.status_code == 200, response.content[:300]
    assert time.monotonic() - started < 10
    assert len(reload(tos).versions.get(number=2).geom[0]) == 1249


def ellipse(count):
    points = [
        [
            LON + 0.003 * math.cos(2 * math.pi * i / count),
            LAT + 0.002 * math.sin(2 * math.pi * i / count),
        ]
        for i in range(count)
    ]
    return {
        "type": "Feature",
        "properties": {},
        "geometry": polygon(points + [points[0]]),
    }


def test_a_large_body_under_the_cap_is_read(tos, settings):
    """The boundary's own cap (TERRITORY_MAX_BODY_BYTES, 2 MB), not the 256 KB of
    other JSON bodies: 4,999 vertices as a program indents them."""
    body = json.dumps(ellipse(4999), indent=8)
    assert 256 * 1024 < len(body) < settings.TERRITORY_MAX_BODY_BYTES
    response = api(chair_of(tos)).put(
        f"/api/territories/{tos.pk}/draft/", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize("megabytes", [3, 10])
def test_a_body_over_the_cap_is_413_in_json(tos, megabytes):
    body = '{"type": "Polygon", "coordinates": [' + " " * (megabytes << 20) + "]}"
    client = api(chair_of(tos))
    for path in ("draft/", "preview/"):
        method = client.put if path == "draft/" else client.post
        response = method(
            f"/api/territories/{tos.pk}/{path}", body, content_type="application/json"
        )
        assert response.status_code == 413
        assert response.json()["field"] == "body"
        assert "2048 КБ" in response.json()["error"]
    assert BoundaryVersion.objects.of(tos).count() == 1


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/geo+json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
    ],
)
def test_a_body_that_is_not_json_is_415(tos, content_type):
    response = api(chair_of(tos)).put(
        f"/api/territories/{tos.pk}/draft/", SQ, content_type=content_type
    )
    assert response.status_code == 415
    assert response.json()["field"] == "body"
    assert BoundaryVersion.objects.of(tos).count() == 1


def test_a_crossing_in_metres_is_shown_where_it_is(tos):
    answer = (
        api(account("someone"))
        .post(f"/api/territories/{tos.pk}/preview/", polygon(NEAR_EDGE), format="json")
        .json()
    )
    assert answer["code"] == "invalid" and "самопересечение" in answer["reason"]
    lon, lat = answer["location"]["coordinates"]
    assert lon == pytest.approx(103.8887, abs=1e-4)
    assert lat == pytest.approx(52.5406, abs=1e-4)


def test_the_live_check_refuses_what_the_draft_would(tos, other_tos):
    """A boundary wholly inside a neighbour by less than a sliver is all sliver:
    the draft is refused, so the live check may not call it valid."""
    inside = utm_json((2100, 100), (2105, 100), (2105, 105), (2100, 105))
    client = api(chair_of(tos))
    checked = client.post(f"/api/territories/{tos.pk}/preview/", inside, format="json")
    answer = checked.json()
    assert (answer["valid"], answer["can_submit"], answer["code"]) == (
        False,
        False,
        "empty",
    )
    assert [s["name"] for s in answer["snapped"]] == ["Старица"]
    saved = client.put(f"/api/territories/{tos.pk}/draft/", inside, format="json")
    assert saved.json()["code"] == "empty"
