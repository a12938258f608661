"""Where to build next (docs/domain.md, "Where to build next"): candidate sites and
the greedy plan, checked against a brute-force computation with shapely over the
same rows; the plan as a background job through the real worker."""

import importlib
import random
from itertools import count

import pytest
from django.apps import apps
from django.contrib.gis.geos import Point
from procrastinate.contrib.django.models import ProcrastinateJob
from shapely import wkb
from shapely.geometry import Point as ShapelyPoint

from territories.planning import spatial_siting
from territories.planning.models import Analysis
from territories.planning.services import siting
from territories.registry.models import Building, Ground, Territory, Yard

from .conftest import CENTRE, SRID, utm_box
from .jobs import JOBS, run_jobs

CANDIDATES = "/api/coverage/candidates/"
PLANS = "/api/coverage/plans/"
_addresses = count(1)


def ground(kind, x, y, w=10, h=10):
    return Ground.objects.create(kind=kind, geom=utm_box(x, y, w, h))


def house(x, y, residents=None, *, flats=None, w=10, h=10):
    return Building.objects.create(
        geom=utm_box(x, y, w, h),
        residents_recorded=residents,
        flats=flats,
        address=f"дом {next(_addresses)}",
    )


def yard(name, x, y, w=20, h=20):
    return Yard.objects.create(name=name, geom=utm_box(x, y, w, h))


def shapely_of(geom):
    return wkb.loads(bytes(geom.ewkb))


def lon_lat(point):
    """A shapely point in GIS_SRID as (lon, lat), transformed by GDAL, not PostGIS."""
    moved = Point(point.x, point.y, srid=SRID).transform(4326, clone=True)
    return moved.x, moved.y


def utm_of(lon, lat):
    moved = Point(lon, lat, srid=4326).transform(SRID, clone=True)
    return ShapelyPoint(moved.x, moved.y)


def brute_force(kind, radius, territory=None, points=None, household=2.3):
    """Candidates, their gains and the greedy plan, in Python over shapely geometry:
    {residents, covered, candidates: [(n, yard, point, {building: residents})]}."""
    grounds = [shapely_of(g.geom) for g in Ground.objects.filter(kind=kind)]
    tos = {t.pk: shapely_of(t.geom) for t in Territory.objects.approved()}

    def whose(geom):
        spot = geom.representative_point()
        inside = [pk for pk, g in tos.items() if g.intersects(spot)]
        return min(inside, key=lambda pk: tos[pk].area) if inside else None

    residents = covered = 0
    open_buildings = {}
    for b in Building.objects.all():
        outline = shapely_of(b.geom)
        if territory is not None and whose(outline) != territory.pk:
            continue
        if b.residents_recorded is not None:
            people = b.residents_recorded
        elif b.flats is not None:
            people = round(b.flats * household)
        else:
            people = 0
        residents += people
        if any(outline.distance(g) <= radius for g in grounds):
            covered += people
        elif people:
            open_buildings[b.pk] = (outline, people)
    if points is None:
        sites = []
        for y in Yard.objects.order_by("pk"):
            shape = shapely_of(y.geom)
            spot = shape.representative_point()
            if any(shape.intersects(g) for g in grounds):
                continue
            if territory is not None and not tos[territory.pk].intersects(spot):
                continue
            sites.append((y.pk, y.name, spot))
    else:
        sites = [(n, None, utm_of(*p)) for n, p in enumerate(points, 1)]
    candidates = [
        (
            n,
            name,
            spot,
            {
                pk: people
                for pk, (outline, people) in open_buildings.items()
                if outline.distance(spot) <= radius
            },
        )
        for n, name, spot in sites
    ]
    return {"residents": residents, "covered": covered, "candidates": candidates}


def ranked(truth):
    """(n, gain) of the candidates covering someone, best first (ties: lower n)."""
    gains = [(n, sum(reach.values())) for n, _name, _spot, reach in truth["candidates"]]
    return sorted(((n, g) for n, g in gains if g), key=lambda ng: (-ng[1], ng[0]))


def greedy(truth, sites):
    """(n, marginal gain) of the greedy plan: each time, the most residents not yet
    covered (ties: lower n), until nobody more can be covered."""
    taken, plan = set(), []
    for _ in range(sites):
        best = None
        for n, _name, _spot, reach in truth["candidates"]:
            gain = sum(p for pk, p in reach.items() if pk not in taken)
            if gain and (best is None or gain > best[1]):
                best = (n, gain, reach)
        if best is None:
            break
        taken |= set(best[2])
        plan.append(best[:2])
    return plan


@pytest.fixture
def three_yards(district):
    """Yards A, B, C, E (20 × 20 m, point on surface at their centre) around houses
    placed for a 100 m radius: A alone covers 167 (100 + 60 + 7), B 110 (60 + 50),
    C 80, E 30. B shares the 60 with A, so after A, C (80) adds more than B (50).
    D holds a playground and is no candidate although 300 live near its centre; a
    house near C is covered already; E holds a sport ground (another kind)."""
    places = {
        "A": yard("Двор A", 0, 0),
        "B": yard("Двор B", 160, 0),
        "C": yard("Двор C", 1000, 0),
        "D": yard("Двор D", 2000, 0, 200, 20),
        "E": yard("Двор E", 3000, 0),
    }
    house(40, 5, 100)  # 30 m from A's centre, 120 m from B's
    house(85, 5, 60)  # 75 m from both A and B
    house(230, 5, 50)  # 60 m from B, 220 m from A
    house(5, 109.5, 7)  # 99.5 m from A: inside the radius
    house(5, -100.5, 9)  # 100.5 m from A: outside
    house(60, 20, 0)  # nobody lives here
    house(1050, 5, 80)  # 40 m from C
    house(1005, 60, 500)  # 50 m from C, covered now by the playground 80 m away
    ground("playground", 1005, 150)
    ground("playground", 2000, 0)  # inside D
    house(2170, 5, 300)  # 70 m from D's centre, 160 m from its playground
    ground("sport", 3002, 2, 5, 5)  # inside E
    house(3050, 5, 30)  # 40 m from E
    return places


def by_yard(places, rows):
    names = {y.pk: key for key, y in places.items()}
    return [(names[row["yard_id"]], row["residents_newly_covered"]) for row in rows]


@pytest.mark.django_db
def test_candidates_ranked_by_the_residents_each_alone_would_cover(client, three_yards):
    answer = client.get(f"{CANDIDATES}?kind=playground&radius=100").json()
    assert by_yard(three_yards, answer["candidates"]) == [
        ("A", 167),
        ("B", 110),
        ("C", 80),
        ("E", 30),
    ]
    assert answer["candidates_considered"] == 4  # A, B, C, E: D has a playground
    coverage = client.get("/api/coverage/?kind=playground&radius=100").json()
    assert answer["residents_total"] == coverage["residents_total"]
    assert answer["residents_covered"] == coverage["residents_covered"] == 500
    first = answer["candidates"][0]
    assert first["rank"] == 1 and first["yard"] == "Двор A"
    centre = shapely_of(three_yards["A"].geom).centroid
    assert (first["lon"], first["lat"]) == pytest.approx(lon_lat(centre), abs=2e-6)
    assert first["coverage_after"] == round((500 + 167) / answer["residents_total"], 4)


@pytest.mark.django_db
def test_the_greedy_plan_takes_the_site_that_adds_most_after_the_first(three_yards):
    result = siting.plan("playground", 100.0, 4)
    picked = by_yard(three_yards, result["sites"])
    # B is the second-best site alone (110), but 60 of its residents are A's: after
    # A, C adds 80 and B only 50.
    assert picked == [("A", 167), ("C", 80), ("B", 50), ("E", 30)]
    assert [s["covered_after"] for s in result["sites"]] == [667, 747, 797, 827]
    assert result["residents_covered_before"] == 500
    assert result["residents_covered_after"] == 827
    total = result["residents_total"]
    assert total == 100 + 60 + 50 + 7 + 9 + 80 + 500 + 300 + 30
    assert result["coverage_before"] == round(500 / total, 4)
    assert result["coverage_after"] == round(827 / total, 4)


@pytest.mark.django_db
def test_a_plan_stops_when_no_site_adds_anyone(three_yards):
    result = siting.plan("playground", 100.0, 10)
    assert len(result["sites"]) == 4
    assert result["residents_covered_after"] == 827


@pytest.mark.django_db
def test_in_one_territory_only_its_yards_and_residents_count(
    client, district, three_yards
):
    tos = Territory.objects.create(
        district=district,
        name="Запад",
        geom=utm_box(-50, -200, 550, 400),
    )
    answer = client.get(
        f"{CANDIDATES}?kind=playground&radius=100&territory={tos.pk}"
    ).json()
    assert by_yard(three_yards, answer["candidates"]) == [("A", 167), ("B", 110)]
    assert answer["residents_total"] == 100 + 60 + 50 + 7 + 9
    result = siting.plan("playground", 100.0, 5, territory=tos.pk)
    assert by_yard(three_yards, result["sites"]) == [("A", 167), ("B", 50)]
    assert result["coverage_after"] == round(217 / 226, 4)


@pytest.mark.django_db
def test_the_planners_points_are_the_candidates_when_given(three_yards):
    a, c = (shapely_of(three_yards[k].geom).centroid for k in ("A", "C"))
    far = lon_lat(ShapelyPoint(a.x, a.y + 5000))
    points = [list(lon_lat(c)), list(far), list(lon_lat(a))]
    result = siting.plan("playground", 100.0, 3, points=points)
    assert [
        (s["lon"], s["lat"], s["yard"], s["residents_newly_covered"])
        for s in result["sites"]
    ] == [
        (pytest.approx(points[2][0]), pytest.approx(points[2][1]), None, 167),
        (pytest.approx(points[0][0]), pytest.approx(points[0][1]), None, 80),
    ]
    assert result["candidates"] == "points" and result["candidates_considered"] == 3


def random_town(district, rng):
    yards = [
        yard(f"Двор {i}", rng.uniform(0, 3000), rng.uniform(0, 2000), 40, 30)
        for i in range(25)
    ]
    for placed in rng.sample(yards, 4):  # a ground inside: no candidate for its kind
        x, y = placed.geom.extent[:2]
        Ground.objects.create(
            kind=rng.choice(["sport", "playground"]),
            geom=utm_box(x - CENTRE.x + 5, y - CENTRE.y + 5, 10, 10),
        )
    for _ in range(8):
        ground(
            rng.choice(["sport", "playground"]),
            rng.uniform(0, 3000),
            rng.uniform(0, 2000),
            20,
            20,
        )
    for _ in range(250):
        house(
            rng.uniform(-100, 3100),
            rng.uniform(-100, 2100),
            rng.choice([None, rng.randint(0, 400)]),
            flats=rng.choice([None, rng.randint(1, 150)]),
            w=rng.uniform(10, 60),
            h=rng.uniform(10, 20),
        )
    Territory.objects.create(
        district=district, name="Север", geom=utm_box(0, 1000, 3000, 1000)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_towns_agree_with_the_brute_force(client, district, seed):
    rng = random.Random(seed)
    random_town(district, rng)
    north = Territory.objects.get(name="Север")
    for kind, radius, territory in (
        ("playground", 300, None),
        ("sport", 500, None),
        ("playground", 400, north),
    ):
        truth = brute_force(kind, radius, territory)
        query = f"{CANDIDATES}?kind={kind}&radius={radius}&limit=200"
        if territory:
            query += f"&territory={territory.pk}"
        answer = client.get(query).json()
        assert answer["residents_total"] == truth["residents"]
        assert answer["residents_covered"] == truth["covered"]
        got = [
            (r["yard_id"], r["residents_newly_covered"]) for r in answer["candidates"]
        ]
        assert got == ranked(truth)
        spots = {n: spot for n, _name, spot, _reach in truth["candidates"]}
        for row in answer["candidates"]:
            assert (row["lon"], row["lat"]) == pytest.approx(
                lon_lat(spots[row["yard_id"]]), abs=2e-6
            )
        result = siting.plan(kind, radius, 6, territory=territory and territory.pk)
        plan = [(s["yard_id"], s["residents_newly_covered"]) for s in result["sites"]]
        assert plan == greedy(truth, 6)
        assert result["residents_covered_after"] == truth["covered"] + sum(
            gain for _n, gain in plan
        )


@pytest.mark.django_db
def test_random_points_agree_with_the_brute_force(district):
    rng = random.Random(7)
    random_town(district, rng)
    spots = [(rng.uniform(0, 3000), rng.uniform(0, 2000)) for _ in range(40)]
    points = [list(lon_lat(ShapelyPoint(CENTRE.x + x, CENTRE.y + y))) for x, y in spots]
    truth = brute_force("playground", 250, points=points)
    result = siting.plan("playground", 250.0, 8, points=points)
    plan = [(s["rank"], s["residents_newly_covered"]) for s in result["sites"]]
    expected = greedy(truth, 8)
    assert [gain for _r, gain in plan] == [gain for _n, gain in expected]
    for site, (n, _gain) in zip(result["sites"], expected, strict=True):
        assert [site["lon"], site["lat"]] == pytest.approx(points[n - 1], abs=1e-6)


@pytest.mark.django_db
def test_progress_is_reported_after_each_round(three_yards):
    seen = []
    siting.plan("playground", 100.0, 4, progress=seen.append)
    # The preparation's two steps, then each round (100 comes with the result).
    assert seen == [40, 50, 62, 75, 87, 99]


@pytest.mark.django_db
def test_the_working_tables_are_gone_after_a_plan(three_yards):
    from django.db import connection

    siting.plan("playground", 100.0, 2)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE tablename = ANY(%s)",
            [list(spatial_siting.TEMP_TABLES)],
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_candidates_are_kept_until_the_data_change(
    client, three_yards, django_assert_num_queries
):
    first = client.get(f"{CANDIDATES}?kind=playground&radius=100&limit=2").json()
    assert len(first["candidates"]) == 2
    with django_assert_num_queries(3):  # the data version (2), the kept result
        again = client.get(f"{CANDIDATES}?kind=playground&radius=100&limit=3").json()
    assert again["candidates"][:2] == first["candidates"]
    assert len(again["candidates"]) == 3
    yard("Двор F", 5000, 0)
    house(5050, 5, 1000)
    changed = client.get(f"{CANDIDATES}?kind=playground&radius=100").json()
    assert changed["data_version"] != first["data_version"]
    assert changed["candidates"][0]["yard"] == "Двор F"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("radius=100", 400, "kind"),
        ("kind=tennis", 400, "kind"),
        ("kind=sport&radius=0", 400, "radius"),
        ("kind=sport&radius=5001", 400, "radius"),
        ("kind=sport&limit=201", 400, "limit"),
        ("kind=sport&limit=0", 400, "limit"),
        ("kind=sport&limit=x", 400, "limit"),
        ("kind=sport&territory=999999", 404, "territory"),
        ("kind=sport&format=csv", 400, "format"),
    ],
)
def test_bad_candidate_queries_are_named(client, district, query, status, field):
    response = client.get(f"{CANDIDATES}?{query}")
    assert response.status_code == status
    assert response.json()["field"] == field


def post(client, body, **headers):
    return client.post(PLANS, body, content_type="application/json", **headers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"count": 3}, 400, "kind"),
        ({"kind": "tennis", "count": 3}, 400, "kind"),
        ({"kind": "sport"}, 400, "count"),
        ({"kind": "sport", "count": 0}, 400, "count"),
        ({"kind": "sport", "count": 51}, 400, "count"),
        ({"kind": "sport", "count": 2.5}, 400, "count"),
        ({"kind": "sport", "count": True}, 400, "count"),
        ({"kind": "sport", "count": "x"}, 400, "count"),
        ({"kind": "sport", "count": 3, "radius": 0}, 400, "radius"),
        ({"kind": "sport", "count": 3, "radius": 9999}, 400, "radius"),
        ({"kind": "sport", "count": 3, "radius": True}, 400, "radius"),
        ({"kind": "sport", "count": 3, "radius": "far"}, 400, "radius"),
        ({"kind": "sport", "count": 3, "territory": 999999}, 404, "territory"),
        ({"kind": "sport", "count": 3, "territory": "x"}, 400, "territory"),
        ({"kind": "sport", "count": 3, "points": "here"}, 400, "points"),
        ({"kind": "sport", "count": 3, "points": []}, 400, "points"),
        ({"kind": "sport", "count": 3, "points": [[103.9]]}, 400, "points"),
        ({"kind": "sport", "count": 3, "points": [["a", "b"]]}, 400, "points"),
        ({"kind": "sport", "count": 3, "points": [[200, 52]]}, 400, "points"),
        ({"kind": "sport", "count": 3, "points": [[10.0, 50.0]]}, 400, "points"),
        ({"kind": "sport", "count": 3, "points": [[103.9, 52.5]] * 501}, 400, "points"),
        ({"kind": "sport", "count": 3, "colour": "red"}, 400, "colour"),
        ([1, 2], 400, "body"),
    ],
)
def test_bad_plans_are_named_and_start_nothing(client, district, body, status, field):
    response = post(client, body)
    assert response.status_code == status
    assert response.json()["field"] == field
    assert not Analysis.objects.exists()
    assert not ProcrastinateJob.objects.exists()


@pytest.mark.django_db
def test_a_point_outside_the_district_is_named_by_its_number(client, district):
    inside = [103.888, 52.54]
    response = post(client, {"kind": "sport", "count": 1, "points": [inside, [10, 50]]})
    assert response.status_code == 400
    assert response.json()["error"].startswith("точка 2:")


@pytest.mark.django_db
def test_plans_per_client_are_limited(client, three_yards, settings):
    settings.COVERAGE_PLANS_HOURLY_PER_CLIENT = 2
    assert post(client, {"kind": "sport", "count": 1}).status_code == 202
    assert post(client, {"kind": "sport", "count": 2}).status_code == 202
    # The same plan again is no new job and is not counted ...
    assert post(client, {"kind": "sport", "count": 2}).status_code == 202
    refused = post(client, {"kind": "sport", "count": 3})
    assert refused.status_code == 429
    assert refused.json()["field"] == "rate"
    assert 3000 < int(refused["Retry-After"]) <= 3600
    # ... and another client has its own quota.
    other = post(client, {"kind": "sport", "count": 3}, REMOTE_ADDR="192.0.2.99")
    assert other.status_code == 202
    assert ProcrastinateJob.objects.count() == 3


@pytest.mark.django_db
def test_a_plan_from_another_site_is_refused(client, three_yards):
    response = post(
        client, {"kind": "sport", "count": 1}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert response.json()["field"] == "csrf"
    assert not ProcrastinateJob.objects.exists()


@pytest.mark.django_db
def test_an_unknown_plan_is_404(client, three_yards):
    assert client.get(f"{PLANS}999999/").status_code == 404
    assert client.get(f"{PLANS}99999999999999999999999/").status_code == 404
    assert client.get(f"{PLANS}x/").json()["field"] == "id"
    client.get(f"{CANDIDATES}?kind=sport")  # a kept analysis of another kind
    kept = Analysis.objects.get()
    assert client.get(f"{PLANS}{kept.pk}/").status_code == 404


# --- through the real worker -------------------------------------------------------


@pytest.fixture
def norms(db):
    """The norms the migrations seed, again after an earlier transactional test's
    flush."""
    migration = importlib.import_module(
        "territories.planning.migrations.0002_default_norms"
    )
    migration.seed(apps, None)


@JOBS
def test_a_plan_runs_as_a_job_with_its_progress(
    client, norms, three_yards, monkeypatch
):
    seen = []
    next_site = spatial_siting.GreedyPlan.next_site

    def watched(self):
        row = Analysis.objects.values_list("state", "progress").get()
        seen.append(row)
        return next_site(self)

    monkeypatch.setattr(spatial_siting.GreedyPlan, "next_site", watched)
    started = post(client, {"kind": "playground", "radius": 100, "count": 3})
    assert started.status_code == 202
    job = started.json()
    assert set(job) == {"id", "state", "progress", "url"}
    assert (job["state"], job["progress"]) == ("queued", 0)
    assert job["url"] == f"{PLANS}{job['id']}/" == started["Location"]
    assert client.get(job["url"]).json() == {
        "id": job["id"],
        "state": "queued",
        "progress": 0,
        "result": None,
        "error": None,
    }

    run_jobs()

    # The progress was written, and visible, before each round.
    assert seen == [("running", 50), ("running", 66), ("running", 83)]
    done = client.get(job["url"]).json()
    assert (done["state"], done["progress"], done["error"]) == ("done", 100, None)
    result = done["result"]
    assert by_yard(three_yards, result["sites"]) == [("A", 167), ("C", 80), ("B", 50)]
    assert [s["rank"] for s in result["sites"]] == [1, 2, 3]
    assert result["residents_covered_before"] == 500
    assert result["residents_covered_after"] == 797
    assert set(result["sites"][0]) >= {
        "rank",
        "lon",
        "lat",
        "yard",
        "residents_newly_covered",
        "covered_after",
    }


@JOBS
def test_the_same_plan_on_the_same_data_is_answered_at_once(client, norms, three_yards):
    body = {"kind": "playground", "radius": 100, "count": 2}
    first = post(client, body).json()
    assert post(client, body).status_code == 202  # still queued: the same job
    assert ProcrastinateJob.objects.count() == 1
    run_jobs()
    again = post(client, body)
    assert again.status_code == 200
    kept = again.json()
    assert kept["id"] == first["id"] and kept["state"] == "done"
    assert kept["progress"] == 100 and kept["url"] == first["url"]
    assert [s["residents_newly_covered"] for s in kept["result"]["sites"]] == [167, 80]
    assert not ProcrastinateJob.objects.filter(status="todo").exists()
    # New data: a new plan.
    house(20, 40, 11)
    changed = post(client, body)
    assert changed.status_code == 202 and changed.json()["id"] != first["id"]


@JOBS
def test_a_failed_plan_says_so_and_can_be_started_again(
    client, norms, three_yards, monkeypatch
):
    def broken(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(spatial_siting.GreedyPlan, "next_site", broken)
    body = {"kind": "playground", "radius": 100, "count": 2}
    job = post(client, body).json()
    run_jobs()
    failed = client.get(job["url"]).json()
    assert failed["state"] == "failed" and failed["result"] is None
    assert "RuntimeError" in failed["error"]
    assert ProcrastinateJob.objects.get().status == "failed"
    monkeypatch.undo()
    again = post(client, body)
    assert again.status_code == 202 and again.json()["id"] == job["id"]
    run_jobs()
    assert client.get(job["url"]).json()["state"] == "done"
