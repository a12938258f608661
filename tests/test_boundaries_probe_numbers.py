"""The live check's numbers against an independent computation with shapely over
the same building rows (issue 8, "How it is judged"): buildings astride the line,
buildings of several parts, holes with houses in them, slivers along neighbours'
edges snapped away, overlaps and the part outside the district, in UTM 48N."""

import json

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from shapely import wkb
from shapely.geometry import MultiPolygon as ShapelyMulti
from shapely.geometry import Polygon as ShapelyPolygon

from territories.registry.models import Building, Territory

from .boundary_helpers import account, api
from .conftest import CENTRE, utm_box

pytestmark = pytest.mark.django_db


def at(*points):
    """UTM positions at offsets (metres) from the centre."""
    return [(CENTRE.x + x, CENTRE.y + y) for x, y in points]


def rectangle(x, y, width, height):
    return at((x, y), (x + width, y), (x + width, y + height), (x, y + height))


def building(*parts, **fields):
    geom = MultiPolygon(*(Polygon([*p, p[0]]) for p in parts), srid=CENTRE.srid)
    return Building.objects.create(address="дом", geom=geom, **fields)


def shapely(geom):
    return wkb.loads(bytes(geom.wkb))


@pytest.fixture
def neighbours(district, tos):
    """`tos` (0..500 × 0..500) and two approved neighbours on its east and north
    edges, and one more 2 km away."""
    return [
        tos,
        Territory.objects.create(
            district=district, name="Восток", geom=utm_box(500, 0, 500, 500)
        ),
        Territory.objects.create(
            district=district, name="Север", geom=utm_box(0, 500, 500, 500)
        ),
        Territory.objects.create(
            district=district, name="Даль", geom=utm_box(2000, 0, 500, 500)
        ),
    ]


@pytest.fixture
def houses(neighbours):
    return [
        building(rectangle(10, 10, 20, 20), residents_recorded=0, flats=10),
        building(rectangle(100, 100, 20, 20), flats=15),  # 34.5 → 34
        building(rectangle(150, 100, 20, 20), flats=35),  # 80.5 → 80
        building(rectangle(180, 100, 20, 20), flats=5),  # 11.5 → 12
        building(rectangle(200, 100, 20, 20), residents_estimated=7),
        building(rectangle(250, 100, 20, 20)),  # nobody known
        building(rectangle(490, 200, 20, 20), residents_recorded=11),  # astride
        building(rectangle(488, 240, 20, 20), residents_recorded=13),  # astride
        building(rectangle(495, 300, 4.9, 4.9), residents_recorded=3),  # near edge
        # of two parts: a shed inside, the house outside, and the other way round
        building(
            rectangle(300, 300, 5, 5),
            rectangle(600, 300, 100, 100),
            residents_recorded=17,
        ),
        building(
            rectangle(300, 350, 100, 100),
            rectangle(600, 420, 5, 5),
            residents_recorded=19,
        ),
        # in the hole of the drawn boundary, and astride the hole's edge
        building(rectangle(60, 400, 20, 20), residents_recorded=23),
        building(rectangle(80, 420, 20, 20), residents_recorded=29),
        building(rectangle(300, 600, 30, 30), flats=100),  # in the north neighbour
        building(rectangle(-300, -300, 30, 30), residents_recorded=1000),  # nowhere
    ]


def independent(drawn, approved, district, sliver, household):
    """What the live check should answer for `drawn` (a shapely geometry in UTM),
    computed here with shapely alone over the same rows."""
    shared = [(t, drawn.intersection(shapely(t.geom)).area) for t in approved]
    shared = [(t, area) for t, area in shared if area > 0]
    fitted = drawn
    for territory, area in shared:
        if area < sliver:
            fitted = fitted.difference(shapely(territory.geom))
    count = residents = 0
    for house in Building.objects.order_by("pk"):
        if not fitted.intersects(shapely(house.geom).point_on_surface()):
            continue
        count += 1
        if house.residents_recorded is not None:
            residents += house.residents_recorded
        elif house.flats is not None:
            residents += round(house.flats * household)
        elif house.residents_estimated is not None:
            residents += house.residents_estimated
    return {
        "area_m2": fitted.area,
        "buildings": count,
        "residents": residents,
        "snapped": sorted(t.name for t, area in shared if area < sliver),
        "overlaps": sorted((t.name, area) for t, area in shared if area >= sliver),
        "outside_district_m2": fitted.difference(shapely(district.geom)).area,
    }


SHELL = at((0, 0), (500.05, 0), (500.05, 500.1), (0, 500.1))
DRAWN = {
    # along the east and north edges, 5 cm and 10 cm over: slivers of 25 and 50 m²
    "slivers along two edges, a hole with houses": ShapelyPolygon(
        SHELL, [rectangle(50, 390, 40, 40)]
    ),
    "into both neighbours": ShapelyPolygon(rectangle(0, 0, 620, 530.3)),
    "two parts, one beyond the district": ShapelyMulti(
        [
            ShapelyPolygon(rectangle(0, 0, 480, 480)),
            ShapelyPolygon(rectangle(19_900, 0, 300, 100)),
        ]
    ),
    "a 10 cm step along the east neighbour": ShapelyPolygon(
        at((400, 100), (600, 100), (600, 99.9), (650, 99.9), (650, 250), (400, 250))
    ),
}


@pytest.mark.parametrize("case", DRAWN)
@pytest.mark.parametrize("sliver", [100.0, 40.0])
def test_the_live_numbers_agree_with_shapely(
    tos, neighbours, houses, district, settings, case, sliver
):
    settings.TERRITORY_SLIVER_M2 = sliver
    drawn = DRAWN[case]
    sent = GEOSGeometry(drawn.wkt, srid=CENTRE.srid).transform(4326, clone=True)
    answer = (
        api(account("someone"))
        .post(
            f"/api/territories/{tos.pk}/preview/",
            json.loads(sent.geojson),
            format="json",
        )
        .json()
    )
    approved = [t for t in neighbours if t != tos]
    expected = independent(
        drawn, approved, district, sliver, settings.AVERAGE_HOUSEHOLD
    )
    assert (answer["buildings"], answer["residents"]) == (
        expected["buildings"],
        expected["residents"],
    )
    assert answer["area_m2"] == pytest.approx(expected["area_m2"], abs=0.1)
    assert sorted(s["name"] for s in answer["snapped"]) == expected["snapped"]
    overlaps = sorted((o["name"], o["area_m2"]) for o in answer["overlaps"])
    assert [name for name, _ in overlaps] == [name for name, _ in expected["overlaps"]]
    for (_, got), (_, wanted) in zip(overlaps, expected["overlaps"], strict=True):
        assert got == pytest.approx(wanted, abs=0.1)
    assert answer["outside_district_m2"] == pytest.approx(
        expected["outside_district_m2"], abs=0.1
    )


@pytest.mark.parametrize(
    ("flats", "residents"), [(5, 12), (15, 34), (35, 80), (45, 103)]
)
def test_residents_from_flats_are_rounded_as_python_rounds(tos, flats, residents):
    """flats × AVERAGE_HOUSEHOLD rounded as `round()` does (half to even), the
    same as the OSM importer's estimate: 15 × 2.3 = 34.5 is 34, and 45 × 2.3 is
    103.49999999999999 in floating point."""
    assert round(flats * 2.3) == residents
    building(rectangle(100, 100, 20, 20), flats=flats)
    answer = api(account("someone")).post(
        f"/api/territories/{tos.pk}/preview/",
        json.loads(utm_box(0, 0, 500, 500).transform(4326, clone=True).geojson),
        format="json",
    )
    assert answer.json()["residents"] == residents
