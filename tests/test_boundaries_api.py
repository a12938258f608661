"""The boundaries API (docs/domain.md, "TOS boundaries"): the live check against an
independent computation, the workflow over HTTP, who may write, bad geometry."""

import json

import pytest
from shapely.geometry import shape

from territories.accounts.roles import Role
from territories.boundaries.models import BoundaryVersion
from territories.registry.models import Territory

from .boundary_helpers import (
    account,
    api,
    box_json,
    chair_of,
    house,
    planner,
    polygon_json,
    reload,
)
from .conftest import CENTRE, utm_box

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(district):
    return Territory.objects.create(
        district=district, name="Центральный", geom=utm_box(-500, 0, 500, 500)
    )


@pytest.fixture
def houses(tos):
    """Buildings in and around `tos` (0..500 × 0..500): residents recorded, flats
    only (× 2.3), and one astride the east edge whose point on surface is outside."""
    return [
        house(50, 50, residents=120),
        house(200, 300, flats=40),  # 92 residents
        house(450, 450, residents=35),
        house(490, 100, residents=500, size=30),  # mostly east of x = 500
        house(-300, 100, residents=70),  # in the neighbour
    ]


def path(territory, step=""):
    return f"/api/territories/{territory.pk}/{step}"


def independent(geojson_geom, buildings, average_household=2.3):
    """Buildings and residents counted with shapely from the same rows."""
    area = shape(geojson_geom)
    count = residents = 0
    for building in buildings:
        footprint = shape(json.loads(building.geom.transform(4326, clone=True).geojson))
        if area.contains(footprint.representative_point()):
            count += 1
            if building.residents_recorded is not None:
                residents += building.residents_recorded
            elif building.flats is not None:
                residents += round(building.flats * average_household)
    return count, residents


def test_the_live_check_agrees_with_an_independent_count(tos, houses, neighbour):
    drawn = polygon_json((0, 0), (520, 0), (520, 480), (0, 480))
    answer = (
        api(account("someone")).post(path(tos, "preview/"), drawn, format="json").json()
    )
    assert answer["valid"] is True
    assert (answer["buildings"], answer["residents"]) == independent(drawn, houses)
    assert answer["area_m2"] == pytest.approx(520 * 480, rel=1e-3)
    assert answer["population_recorded"] == tos.population
    assert answer["overlaps"] == []
    assert answer["can_submit"] is True


def test_the_live_check_names_an_overlap_and_shows_it(tos, neighbour):
    drawn = box_json(-250, 0, 750, 500)  # 250 m × 500 m into the neighbour
    answer = (
        api(account("someone")).post(path(tos, "preview/"), drawn, format="json").json()
    )
    (overlap,) = answer["overlaps"]
    assert (overlap["territory"], overlap["name"]) == (neighbour.pk, "Центральный")
    assert overlap["area_m2"] == pytest.approx(250 * 500, rel=1e-3)
    assert shape(overlap["geometry"]).area > 0
    assert answer["valid"] is True and answer["can_submit"] is False
    assert "Центральный" in answer["reason"]


def test_the_live_check_points_at_a_self_intersection(tos):
    bowtie = polygon_json((0, 0), (400, 400), (400, 0), (0, 400))
    answer = (
        api(account("someone"))
        .post(path(tos, "preview/"), bowtie, format="json")
        .json()
    )
    assert answer["valid"] is False and answer["code"] == "invalid"
    lon, lat = answer["location"]["coordinates"]
    centre = CENTRE.transform(4326, clone=True)
    assert abs(lon - centre.x) < 0.01 and abs(lat - centre.y) < 0.01
    assert answer["buildings"] is None


def test_the_live_check_measures_what_lies_outside_the_district(tos):
    answer = api(account("someone")).post(
        path(tos, "preview/"), box_json(19_000, 0, 2_000, 500), format="json"
    )
    answer = answer.json()
    assert answer["valid"] is False and answer["code"] == "outside_district"
    assert answer["outside_district_m2"] == pytest.approx(1_000 * 500, rel=1e-3)


def test_a_chair_draws_submits_and_a_planner_approves(tos):
    chair, reviewer = chair_of(tos), planner()
    response = api(chair).put(
        path(tos, "draft/"), box_json(0, 0, 600, 500), format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["properties"]["state"] == "draft"
    detail = api(chair).get(path(tos)).json()
    assert detail["state"] == "draft" and detail["draft"]["properties"]["number"] == 2
    assert api().get(path(tos)).json()["draft"] is None  # drafts are not public

    assert api(chair).post(path(tos, "submit/")).status_code == 200
    response = api(reviewer).post(
        path(tos, "approve/"),
        {"decision_number": "5-рд", "decision_date": "2026-11-30"},
        format="json",
    )
    assert response.status_code == 200, response.content
    public = api().get(path(tos)).json()
    assert public["state"] == "approved" and public["decision_number"] == "5-рд"
    assert shape(public["boundary"]).equals_exact(shape(box_json(0, 0, 600, 500)), 1e-6)
    layer = json.loads(
        b"".join(api().get("/api/layers/territories/").streaming_content)
    )
    assert [f["properties"]["name"] for f in layer["features"]] == ["Перекресток"]


def test_the_history_compares_two_versions(tos):
    chair, reviewer = chair_of(tos), planner()
    client = api(chair)
    client.put(path(tos, "draft/"), box_json(100, 0, 500, 500), format="json")
    versions = api(reviewer).get(path(tos, "versions/")).json()
    assert [v["number"] for v in versions] == [2, 1]
    assert [v["number"] for v in api().get(path(tos, "versions/")).json()] == [1]
    diff = api(reviewer).get(path(tos, "versions/compare/?from=1&to=2")).json()
    assert diff["added"]["area_m2"] == pytest.approx(100 * 500, rel=1e-3)
    assert diff["removed"]["area_m2"] == pytest.approx(100 * 500, rel=1e-3)
    assert api().get(path(tos, "versions/compare/?from=1&to=2")).status_code == 404
    assert api().get(path(tos, "versions/compare/?from=1&to=x")).json()["field"] == "to"


def test_a_planner_restores_a_version_over_http(tos):
    chair, reviewer = chair_of(tos), planner()
    client = api(chair)
    client.put(path(tos, "draft/"), box_json(0, 0, 600, 500), format="json")
    client.post(path(tos, "submit/"))
    api(reviewer).post(
        path(tos, "approve/"),
        {"decision_number": "2", "decision_date": "2026-11-30"},
        format="json",
    )
    response = api(reviewer).post(path(tos, "versions/1/restore/"))
    assert response.status_code == 200, response.content
    assert response.json()["restored_from"] == 1
    assert reload(tos).geom.equals(utm_box(0, 0, 500, 500))


def test_an_initiative_group_proposes_over_http(district, tos):
    member = account("initiative", Role.INITIATIVE)
    body = {"name": "Новый", "geometry": box_json(1000, 0, 300, 300)}
    response = api(member).post("/api/territories/", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == "draft" and created["can_edit"] is True
    assert created["boundary"] is None
    assert api().get(f"/api/territories/{created['id']}/").status_code == 404
    names = [t["name"] for t in api(member).get("/api/territories/?mine=1").json()]
    assert names == ["Новый"]


def test_exports_as_geojson_and_kml(tos):
    geojson = api().get(path(tos, "boundary.geojson"))
    assert geojson["Content-Type"].startswith("application/geo+json")
    assert shape(json.loads(geojson.content)["geometry"]).area > 0
    kml = api().get(path(tos, "boundary.kml"))
    assert kml["Content-Type"].startswith("application/vnd.google-earth.kml+xml")
    assert b"<Polygon>" in kml.content and "Перекресток".encode() in kml.content
    assert api().get(path(tos, "boundary.shp")).status_code == 404


WRITES = [
    ("put", "draft/", lambda: box_json(0, 0, 600, 500)),
    ("post", "submit/", lambda: {}),
    (
        "post",
        "approve/",
        lambda: {"decision_number": "1", "decision_date": "2026-01-01"},
    ),
    ("post", "return/", lambda: {"comment": "нет"}),
    ("post", "versions/1/restore/", lambda: {}),
]


@pytest.mark.parametrize(("method", "step", "body"), WRITES)
def test_anonymous_writes_are_unauthenticated(tos, method, step, body):
    response = getattr(api(), method)(path(tos, step), body(), format="json")
    assert response.status_code == 401
    assert BoundaryVersion.objects.of(tos).count() == 1


@pytest.mark.parametrize(("method", "step", "body"), WRITES)
def test_another_chair_is_forbidden(tos, neighbour, method, step, body):
    other = chair_of(neighbour, "other")
    response = getattr(api(other), method)(path(tos, step), body(), format="json")
    assert response.status_code == 403
    assert response.json()["field"] in ("territory", "role")
    assert BoundaryVersion.objects.of(tos).count() == 1


def test_the_live_check_is_for_signed_in_users(tos):
    response = api().post(
        path(tos, "preview/"), box_json(0, 0, 100, 100), format="json"
    )
    assert response.status_code == 401


def test_anonymous_and_residents_cannot_propose(district):
    body = {"name": "Новый", "geometry": box_json(1000, 0, 300, 300)}
    assert api().post("/api/territories/", body, format="json").status_code == 401
    resident = account("resident", Role.RESIDENT)
    assert (
        api(resident).post("/api/territories/", body, format="json").status_code == 403
    )
    assert not Territory.objects.exists()


def test_buildings_follow_an_approved_boundary(tos, houses):
    def listed():
        url = f"/api/layers/buildings/?territory={tos.pk}"
        body = json.loads(b"".join(api().get(url).streaming_content))
        return sorted(f["properties"]["address"] for f in body["features"])

    before = listed()
    assert "дом 490,100" in before  # touching the old edge counts for a layer
    chair, reviewer = chair_of(tos), planner()
    client = api(chair)
    client.put(path(tos, "draft/"), box_json(0, 0, 150, 500), format="json")
    client.post(path(tos, "submit/"))
    api(reviewer).post(
        path(tos, "approve/"),
        {"decision_number": "2", "decision_date": "2026-11-30"},
        format="json",
    )
    assert listed() == ["дом 50,50"]
