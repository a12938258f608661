"""Walking distance over the street network (territories/planning/walking.py),
checked against distances worked out by hand and against a small Dijkstra of our own
over the same ways (docs/domain.md, "Walking distance").

The places are built in whole metres from a point with whole UTM coordinates, and
buildings and grounds are diamonds whose nearest point to a street is a corner, so
that lengths, connectors and the fractions where they join are exact in floating
point and a building can stand exactly at the radius."""

import heapq
import json
import random

import pytest
import shapely
import shapely.ops
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Polygon

from territories.planning import walking
from territories.registry.models import Building, Ground, Way

from .conftest import CENTRE, SRID

X0, Y0 = round(CENTRE.x), round(CENTRE.y)


@pytest.fixture
def pgrouting(db):
    if not walking.pgrouting_installed():
        pytest.skip("pgRouting is not installed in this database")


def way(*points, kind="footway"):
    line = LineString([(X0 + x, Y0 + y) for x, y in points], srid=SRID)
    return Way.objects.create(kind=kind, geom=MultiLineString(line, srid=SRID))


def diamond(x, y, r):
    """A square turned 45° around (x, y), its corners `r` metres from the centre."""
    corners = [(x, y - r), (x + r, y), (x, y + r), (x - r, y), (x, y - r)]
    shell = Polygon([(X0 + cx, Y0 + cy) for cx, cy in corners], srid=SRID)
    return MultiPolygon(shell, srid=SRID)


def building(x, y, r=5):
    return Building.objects.create(address=f"{x}, {y}", geom=diamond(x, y, r))


def ground(x, y, r=5, kind="playground"):
    return Ground.objects.create(kind=kind, geom=diamond(x, y, r))


def riverbanks():
    """Two streets 200 m apart, each with side streets every 100 m, and a river
    between them that nothing crosses."""
    way((0, 0), (100, 0), (200, 0), (300, 0), (400, 0), kind="residential")
    way((0, 200), (100, 200), (200, 200), (300, 200), (400, 200), kind="residential")
    for x in (0, 100, 200, 300, 400):
        way((x, 0), (x, -100))
        way((x, 200), (x, 300))


@pytest.mark.usefixtures("pgrouting")
def test_river_without_a_crossing_leaves_a_building_uncovered():
    riverbanks()
    near = building(150, -20)  # a corner 15 m from the south street
    playground = ground(150, 220)  # across the river, 15 m from the north street
    straight = near.geom.distance(playground.geom)
    assert straight == pytest.approx(230)
    assert walking.network_distances("playground", 300) == {}


@pytest.mark.usefixtures("pgrouting")
def test_bridge_joins_the_network_at_its_ends_only():
    riverbanks()
    way((400, 0), (500, 0), kind="residential")
    # A footbridge from the end of the south bank's last side street over the river
    # to the end of the north bank's: it crosses the south street at (450, 0)
    # without a shared vertex, as a bridge over a road does.
    way((400, -100), (450, -50), (450, 250), (400, 300))
    near = building(150, -20)
    ground(150, 220)
    # 15 m to the street, 250 m east, 100 m down the side street, the bridge
    # (50√2 + 300 + 50√2 m), 100 m down the north side street, 250 m west, 15 m.
    expected = 15 + 250 + 100 + 300 + 100 * 2**0.5 + 100 + 250 + 15
    assert walking.network_distances("playground", 2000) == {
        near.pk: pytest.approx(expected)
    }


@pytest.mark.usefixtures("pgrouting")
def test_building_exactly_at_the_radius_is_within_it():
    way((0, 0), (100, 0), (200, 0), (300, 0))
    way((100, 0), (100, -50))  # a junction at (100, 0)
    at_radius = building(150, 10)  # joins at 150: 5 m connector, 50 m to the junction
    ground(50, -20)  # joins at 50: 15 m connector, 50 m to the junction
    assert walking.network_distances("playground", 120) == {at_radius.pk: 120.0}
    assert walking.network_distances("playground", 119.999) == {}


@pytest.mark.usefixtures("pgrouting")
def test_building_and_ground_on_one_edge_walk_along_it():
    way((0, 0), (400, 0))
    near = building(300, 10)
    ground(100, -10)
    assert walking.network_distances("playground", 500) == {near.pk: 210.0}


@pytest.mark.usefixtures("pgrouting")
def test_other_kind_and_places_beyond_the_snap_distance_do_not_count(settings):
    settings.WALKING_SNAP_M = 30
    way((0, 0), (400, 0))
    near = building(100, 10)
    building(300, 40)  # its corner 35 m from the street: off the network
    ground(200, 10, kind="sport")
    ground(200, -40)  # a playground 35 m from the street
    assert walking.network_distances("playground", 1000) == {}
    assert walking.network_distances("sport", 1000) == {near.pk: 110.0}


@pytest.mark.usefixtures("pgrouting")
def test_network_follows_changes_of_the_ways():
    assert not walking.available()
    way((0, 0), (100, 0))
    way((200, 0), (300, 0))
    near = building(250, 10)
    ground(50, 10)
    assert walking.available()
    assert walking.network_distances("playground", 1000) == {}
    way((100, 0), (200, 0))
    assert walking.network_distances("playground", 1000) == {near.pk: 210.0}


def test_without_pgrouting_the_reason_names_it(db, monkeypatch):
    monkeypatch.setattr(walking, "pgrouting_installed", lambda: False)
    assert not walking.available()
    assert "pgRouting" in walking.unavailable_reason()


@pytest.mark.usefixtures("pgrouting")
def test_without_ways_the_reason_names_the_import():
    assert "import_osm" in walking.unavailable_reason()


# The independent computation: the ways' vertices are the graph's nodes (a vertex two
# ways share is one node), each place joins its nearest segment at the point shapely
# finds, and Dijkstra runs from every ground at once.


def dijkstra(graph, starts):
    best = dict(starts)
    queue = [(cost, node) for node, cost in starts.items()]
    heapq.heapify(queue)
    while queue:
        cost, node = heapq.heappop(queue)
        if cost > best.get(node, float("inf")):
            continue
        for neighbour, length in graph.get(node, ()):
            if cost + length < best.get(neighbour, float("inf")):
                best[neighbour] = cost + length
                heapq.heappush(queue, (cost + length, neighbour))
    return best


def segments(ways):
    return [(a, b) for points in ways for a, b in zip(points, points[1:], strict=False)]


def joined(place, segments, snap):
    """(segment, connector length, point where it joins) of the nearest segment."""
    lines = [shapely.LineString(s) for s in segments]
    distances = [line.distance(place) for line in lines]
    index = min(range(len(lines)), key=distances.__getitem__)
    if distances[index] > snap:
        return None
    point = shapely.ops.nearest_points(lines[index], place)[0]
    return segments[index], distances[index], point


def expected_distances(ways, buildings, grounds, radius, snap):
    segs = segments(ways)
    graph = {}
    for a, b in segs:
        length = shapely.Point(a).distance(shapely.Point(b))
        graph.setdefault(a, []).append((b, length))
        graph.setdefault(b, []).append((a, length))
    starts, on_segment = {}, []
    for place in grounds:
        join = joined(place, segs, snap)
        if join:
            (a, b), connector, point = join
            for end in (a, b):
                cost = connector + point.distance(shapely.Point(end))
                starts[end] = min(starts.get(end, float("inf")), cost)
            on_segment.append(join)
    best = dijkstra(graph, starts)
    answer = {}
    for pk, place in buildings.items():
        join = joined(place, segs, snap)
        if not join:
            continue
        segment, connector, point = join
        ways_there = [
            best[end] + point.distance(shapely.Point(end))
            for end in segment
            if end in best
        ]
        ways_there += [c + point.distance(p) for s, c, p in on_segment if s == segment]
        if ways_there and connector + min(ways_there) <= radius:
            answer[pk] = connector + min(ways_there)
    return answer


def random_town(seed):
    """A 6 × 6 grid of 80 m blocks with a fifth of its streets missing, streets
    drawn as ways of several blocks, a footbridge crossing them diagonally, and
    buildings and grounds at random places off the streets."""
    rng = random.Random(seed)
    ways = []
    for fixed in range(0, 481, 80):
        for horizontal in (True, False):
            run = []
            for step in range(0, 481, 80):
                point = (step, fixed) if horizontal else (fixed, step)
                if run and rng.random() < 0.2:
                    if len(run) > 1:
                        ways.append(run)
                    run = []
                run.append(point)
            if len(run) > 1:
                ways.append(run)
    ways.append([(-40, -40), (520, 520)])
    places = []
    while len(places) < 30:
        x, y = rng.uniform(0, 480), rng.uniform(0, 480)
        if off_the_streets(x, y):
            places.append((x, y))
    return ways, places[:24], places[24:]


def off_the_streets(x, y, clear=8):
    """Whether a place at (x, y) stays `clear` metres from every street line: one
    lying on two edges at once could join either (docs/domain.md, "Walking
    distance", Snapping), and the two computations may take different ones."""
    return min(x % 80, -x % 80, y % 80, -y % 80, abs(x - y) / 2**0.5) > clear


@pytest.mark.usefixtures("pgrouting")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_distances_match_an_independent_dijkstra(settings, seed):
    settings.WALKING_SNAP_M = 60
    ways, homes, grounds = random_town(seed)
    for points in ways:
        way(*points)
    buildings = {building(x, y, 4).pk: (x, y) for x, y in homes}
    for x, y in grounds:
        ground(x, y, 6)

    def shape(x, y, r):
        corners = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
        return shapely.Polygon(corners)

    expected = expected_distances(
        ways,
        {pk: shape(x, y, 4) for pk, (x, y) in buildings.items()},
        [shape(x, y, 6) for x, y in grounds],
        radius=250,
        snap=60,
    )
    assert 5 <= len(expected) < len(homes)  # some covered, some not
    walked = walking.network_distances("playground", 250)
    assert walked == pytest.approx(expected)
    # Walking is never shorter than the straight line to the nearest ground.
    straight = {
        pk: min(shape(*home, 4).distance(shape(x, y, 6)) for x, y in grounds)
        for pk, home in buildings.items()
    }
    assert all(walked[pk] >= straight[pk] - 1e-9 for pk in walked)


# The coverage API with method=network (docs/domain.md, "Walking distance").


def coverage(client, **query):
    return client.get("/api/coverage/", {"kind": "playground", **query})


@pytest.fixture
def river_town(pgrouting):
    """The river town: a house across the river from the playground, another on
    its bank, a walk of 15 + 50 + 40 + 15 = 120 m from it."""
    riverbanks()
    ground(150, 220)
    across = Building.objects.create(geom=diamond(150, -20, 5), residents_recorded=30)
    same_bank = Building.objects.create(geom=diamond(60, 220, 5), residents_recorded=7)
    return across, same_bank


def test_api_counts_residents_by_walking_distance(client, river_town):
    straight = coverage(client, radius=300).json()
    walked = coverage(client, radius=300, method="network").json()
    assert (straight["method"], straight["residents_covered"]) == ("straight", 37)
    assert (walked["method"], walked["residents_covered"]) == ("network", 7)
    assert walked["residents_total"] == 37


def test_api_geojson_gives_walking_distances(client, river_town):
    across, same_bank = river_town
    body = coverage(client, radius=300, method="network", format="geojson")
    features = {f["id"]: f["properties"] for f in json.loads(body.content)["features"]}
    assert features[same_bank.pk]["covered"] is True
    assert features[same_bank.pk]["distance_m"] == 120.0
    assert (features[across.pk]["covered"], features[across.pk]["distance_m"]) == (
        False,
        None,
    )


@pytest.mark.usefixtures("pgrouting")
def test_api_refuses_network_without_ways(client):
    answer = coverage(client, method="network")
    assert answer.status_code == 400
    assert answer.json()["field"] == "method"
    assert "import_osm" in answer.json()["error"]


def test_api_refuses_network_without_pgrouting(client, db, monkeypatch):
    monkeypatch.setattr(walking, "pgrouting_installed", lambda: False)
    answer = coverage(client, method="network")
    assert (answer.status_code, answer.json()["field"]) == (400, "method")
    assert "pgRouting" in answer.json()["error"]
    assert coverage(client).status_code == 200
