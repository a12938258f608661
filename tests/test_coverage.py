"""Coverage of residents by grounds (docs/domain.md, "Coverage of grounds"), checked
against an independent computation with shapely over the same rows."""

import csv
import io
import json
import random

import pytest
from shapely import wkb
from shapely.geometry import shape

from territories.planning.models import Analysis, Norm
from territories.registry.models import Building, Ground, Territory

from .conftest import utm_box

pytestmark = pytest.mark.django_db


def ground(kind, x, y, w=20, h=20):
    return Ground.objects.create(kind=kind, geom=utm_box(x, y, w, h))


def house(x, y, *, residents=None, flats=None, estimated=None, w=20, h=10):
    return Building.objects.create(
        geom=utm_box(x, y, w, h),
        residents_recorded=residents,
        flats=flats,
        residents_estimated=estimated,
        address=f"{x},{y}",
    )


@pytest.fixture
def town(district):
    """Two TOS side by side, an empty third, grounds of both kinds and buildings
    placed so that the radius edges matter."""
    west = Territory.objects.create(
        district=district, name="Запад", geom=utm_box(0, 0, 1000, 1000)
    )
    east = Territory.objects.create(
        district=district, name="Восток", geom=utm_box(1000, 0, 1000, 1000)
    )
    Territory.objects.create(
        district=district, name="Пустой", geom=utm_box(5000, 5000, 300, 300)
    )
    ground("playground", 100, 100)  # in the west
    ground("playground", 1010, 500, 30, 30)  # just inside the east, near the edge
    ground("sport", 970, 950, 40, 40)  # astride the line: counted where it mostly is
    houses = [
        house(420, 100, residents=50),  # exactly 300 m east of the first playground
        house(421, 200, residents=40),  # 301 m: not covered
        house(700, 500, flats=15),  # 15 × 2.3 = 34.5 → 34 (half to even)
        house(980, 520, residents=80),  # in the west, covered from the east's ground
        house(150, 150, residents=None),  # nobody recorded: counts 0
        house(1500, 900, estimated=12),
        house(3000, 3000, residents=9),  # outside every TOS
    ]
    return west, east, houses


def independent(kind, radius, household=2.3):
    """Per TOS name (None outside): (residents, covered, ground area)."""
    grounds = [wkb.loads(bytes(g.geom.ewkb)) for g in Ground.objects.filter(kind=kind)]
    areas = {}
    tos = {t.name: wkb.loads(bytes(t.geom.ewkb)) for t in Territory.objects.approved()}

    def where(geom):
        spot = geom.representative_point()
        inside = [name for name, g in tos.items() if g.intersects(spot)]
        return min(inside, key=lambda n: tos[n].area) if inside else None

    for g in Ground.objects.filter(kind=kind):
        name = where(wkb.loads(bytes(g.geom.ewkb)))
        areas[name] = areas.get(name, 0.0) + g.geom.area
    figures = {name: [0, 0] for name in tos}
    figures[None] = [0, 0]
    for b in Building.objects.all():
        outline = wkb.loads(bytes(b.geom.ewkb))
        if b.residents_recorded is not None:
            residents = b.residents_recorded
        elif b.flats is not None:
            residents = round(b.flats * household)
        else:
            residents = b.residents_estimated or 0
        near = min((outline.distance(g) for g in grounds), default=None)
        row = figures[where(outline)]
        row[0] += residents
        row[1] += residents if near is not None and near <= radius else 0
    return figures, areas


@pytest.mark.parametrize(("kind", "radius"), [("playground", 300), ("sport", 500)])
def test_figures_agree_with_an_independent_computation(client, town, kind, radius):
    answer = client.get(f"/api/coverage/?kind={kind}&radius={radius}").json()
    figures, areas = independent(kind, radius)
    per_resident = Norm.objects.value(f"{kind}_area_per_resident")
    by_name = {row["name"]: row for row in answer["territories"]}
    assert set(by_name) == {"Запад", "Восток", "Пустой"}
    for name, (residents, covered) in figures.items():
        if name is None:
            continue
        row = by_name[name]
        assert (row["residents_total"], row["residents_covered"]) == (
            residents,
            covered,
        )
        assert row["ground_area_m2"] == pytest.approx(areas.get(name, 0), abs=0.1)
        norm = residents * per_resident
        assert row["norm_area_m2"] == pytest.approx(norm, abs=0.1)
        assert row["deficit_m2"] == pytest.approx(
            max(0, norm - areas.get(name, 0)), abs=0.1
        )
    assert answer["residents_total"] == sum(f[0] for f in figures.values())
    assert answer["residents_covered"] == sum(f[1] for f in figures.values())
    assert answer["ground_area_m2"] == pytest.approx(sum(areas.values()), abs=0.1)


def test_the_edge_cases_by_name(client, town):
    west, east, _houses = town
    answer = client.get("/api/coverage/?kind=playground&radius=300").json()
    rows = {row["name"]: row for row in answer["territories"]}
    # 50 lie exactly 300 m from a playground (covered), 40 lie 301 m away; the 34
    # (15 flats) and the 80 are covered by the east's playground, 290 m and 30 m
    # away across the boundary; the house without residents adds nobody.
    assert rows["Запад"]["residents_total"] == 50 + 40 + 34 + 80 + 0
    assert rows["Запад"]["residents_covered"] == 50 + 34 + 80
    assert rows["Пустой"] == rows["Пустой"] | {
        "residents_total": 0,
        "residents_covered": 0,
        "coverage_share": None,
        "deficit_m2": 0.0,
    }


def test_a_kind_without_grounds_covers_nobody(client, town):
    Ground.objects.filter(kind="sport").delete()
    answer = client.get("/api/coverage/?kind=sport").json()
    assert answer["residents_covered"] == 0
    assert answer["ground_area_m2"] == 0
    assert answer["radius_m"] == 500  # the norm
    features = json.loads(
        client.get("/api/coverage/?kind=sport&format=geojson").content
    )
    assert {f["properties"]["distance_m"] for f in features["features"]} == {None}


def test_one_territory(client, town):
    west, _east, _houses = town
    answer = client.get(f"/api/coverage/?kind=playground&territory={west.pk}").json()
    assert [row["name"] for row in answer["territories"]] == ["Запад"]
    assert answer["residents_total"] == answer["territories"][0]["residents_total"]
    features = json.loads(
        client.get(
            f"/api/coverage/?kind=playground&territory={west.pk}&format=geojson"
        ).content
    )
    assert {f["properties"]["territory"] for f in features["features"]} == {west.pk}


def test_buildings_as_geojson_with_their_distance(client, town):
    response = client.get("/api/coverage/?kind=playground&radius=300&format=geojson")
    assert response["Content-Type"].startswith("application/geo+json")
    features = {
        f["properties"]["address"]: f for f in json.loads(response.content)["features"]
    }
    at_edge = features["420,100"]["properties"]
    assert (at_edge["covered"], at_edge["distance_m"]) == (True, 300.0)
    assert features["421,200"]["properties"]["covered"] is False
    assert shape(features["420,100"]["geometry"]).area > 0


def test_the_table_as_csv(client, town):
    response = client.get("/api/coverage/?kind=playground&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "ТОС" and rows[-1][0] == "весь округ"
    assert len(rows) == 1 + 3 + 1


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("kind=tennis", 400, "kind"),
        ("", 400, "kind"),
        ("kind=sport&radius=0", 400, "radius"),
        ("kind=sport&radius=-5", 400, "radius"),
        ("kind=sport&radius=5001", 400, "radius"),
        ("kind=sport&radius=abc", 400, "radius"),
        ("kind=sport&radius=nan", 400, "radius"),
        ("kind=sport&territory=999999", 404, "territory"),
        ("kind=sport&territory=x", 400, "territory"),
        ("kind=sport&method=teleport", 400, "method"),
        ("kind=sport&format=shp", 400, "format"),
        ("kind=sport&colour=red", 400, "colour"),
    ],
)
def test_bad_input_is_named(client, town, query, status, field):
    response = client.get(f"/api/coverage/?{query}")
    assert response.status_code == status
    assert response.json()["field"] == field


def test_a_result_is_kept_until_the_data_change(
    client, town, django_assert_max_num_queries
):
    first = client.get("/api/coverage/?kind=playground").json()
    assert Analysis.objects.count() == 1
    with django_assert_max_num_queries(4):
        again = client.get("/api/coverage/?kind=playground").json()
    assert again == first
    house(130, 130, residents=1000)
    changed = client.get("/api/coverage/?kind=playground").json()
    assert changed["data_version"] != first["data_version"]
    assert changed["residents_covered"] == first["residents_covered"] + 1000
    norm = Norm.objects.get(code="playground_radius")
    norm.value = 10
    norm.save()
    assert client.get("/api/coverage/?kind=playground").json()["radius_m"] == 10


def test_random_towns_agree_with_the_independent_computation(client, district):
    rng = random.Random(9)
    Territory.objects.create(
        district=district, name="А", geom=utm_box(0, 0, 2000, 2000)
    )
    Territory.objects.create(
        district=district, name="Б", geom=utm_box(2000, 0, 2000, 2000)
    )
    for _ in range(12):
        ground(
            rng.choice(["sport", "playground"]),
            rng.uniform(0, 3900),
            rng.uniform(0, 1900),
        )
    for _ in range(150):
        house(
            rng.uniform(-200, 4200),
            rng.uniform(-200, 2200),
            residents=rng.choice([None, rng.randint(0, 300)]),
            flats=rng.choice([None, rng.randint(1, 120)]),
        )
    for kind, radius in (("sport", 500), ("playground", 250)):
        answer = client.get(f"/api/coverage/?kind={kind}&radius={radius}").json()
        figures, _areas = independent(kind, radius)
        by_name = {r["name"]: r for r in answer["territories"]}
        for name in ("А", "Б"):
            assert (
                by_name[name]["residents_total"],
                by_name[name]["residents_covered"],
            ) == tuple(figures[name])
        assert answer["residents_covered"] == sum(f[1] for f in figures.values())


def test_a_result_computed_while_the_data_changed_is_not_kept(
    client, town, monkeypatch
):
    from territories.planning import spatial

    real = spatial.totals

    def totals_then_a_new_house(*args, **kwargs):
        figures = real(*args, **kwargs)
        house(130, 130, residents=7)  # committed by someone else meanwhile
        return figures

    monkeypatch.setattr(spatial, "totals", totals_then_a_new_house)
    client.get("/api/coverage/?kind=playground")
    assert not Analysis.objects.exists()
