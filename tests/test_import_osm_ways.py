"""`manage.py import_osm` loads the ways people walk, and the walking network made of
them joins ways where OpenStreetMap does: at shared nodes (docs/domain.md, "Walking
distance")."""

import pytest

from territories.planning import walking
from territories.registry.models import Building, Way

from .osm_files import OsmFile
from .test_import_osm import run, write_one


def line(osm, points, tags):
    return osm.way([osm.node(x, y) for x, y in points], tags)


@pytest.mark.django_db
def test_streets_and_footways_load_as_lines_in_metres(tmp_path):
    def add(osm):
        line(
            osm,
            [(0, 0), (120, 0), (120, 50)],
            {"highway": "residential", "name": "улица Ленина"},
        )
        line(osm, [(0, 20), (0, 40)], {"highway": "footway"})

    summary = run(write_one(tmp_path, add))
    street = Way.objects.get(osm_id="way/1000")
    assert (street.kind, street.name, street.geom.srid) == (
        "residential",
        "улица Ленина",
        32648,
    )
    assert street.geom.length == pytest.approx(170, rel=0.01)
    # Two nodes make a line, though too few for an outline.
    assert Way.objects.get(osm_id="way/1001").geom.length == pytest.approx(20, rel=0.01)
    assert "Пешеходные пути: загружено 2 (создано 2" in summary


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tags, loaded",
    [
        ({"highway": "footway"}, True),
        ({"highway": "steps"}, True),
        ({"highway": "cycleway"}, True),
        ({"highway": "cycleway", "foot": "no"}, False),
        ({"highway": "service", "access": "private"}, False),
        ({"highway": "service", "access": "private", "foot": "yes"}, True),
        ({"highway": "track"}, True),
        ({"highway": "trunk"}, False),
        ({"highway": "trunk", "foot": "designated"}, True),
        ({"highway": "construction"}, False),
        ({"highway": "proposed", "foot": "yes"}, False),
    ],
)
def test_only_ways_open_to_pedestrians_load(tmp_path, tags, loaded):
    def add(osm):
        line(osm, [(0, 0), (50, 0)], tags)
        osm.box(0, 10, 20, 10, {"building": "yes"})  # so the file is never empty

    run(write_one(tmp_path, add))
    assert Way.objects.exists() is loaded


@pytest.mark.django_db
def test_a_closed_way_and_a_pedestrian_area_load_as_their_rings(tmp_path):
    def add(osm):
        osm.box(0, 0, 40, 30, {"highway": "service"})  # a loop round a block
        outer, inner = osm.box(100, 0, 60, 60), osm.box(120, 20, 20, 20)
        tags = {"type": "multipolygon", "highway": "pedestrian", "area": "yes"}
        osm.relation([(outer, "outer"), (inner, "inner")], tags)

    run(write_one(tmp_path, add))
    loop = Way.objects.get(osm_id="way/1000")
    square = Way.objects.get(osm_id="relation/5000")
    assert (len(loop.geom), loop.geom.length) == (1, pytest.approx(140, rel=0.01))
    assert (len(square.geom), square.geom.length) == (2, pytest.approx(320, rel=0.01))


@pytest.mark.django_db
def test_ways_that_cannot_be_lines_are_skipped_with_reason(tmp_path):
    def add(osm):
        refs = [osm.node(0, 0), osm.node(20, 0)]
        osm.way([*refs, 999], {"highway": "footway"})
        osm.node(50, 50, {"highway": "path"})

    summary = run(write_one(tmp_path, add))
    assert not Way.objects.exists()
    assert "1 — в файле нет координат части точек" in summary
    assert "1 — точка, а не линия" in summary


@pytest.mark.django_db
def test_rerun_updates_ways_by_osm_id_without_duplicates(tmp_path):
    osm = OsmFile()
    street = line(osm, [(0, 0), (100, 0)], {"highway": "residential"})
    line(osm, [(0, 10), (0, 60)], {"highway": "footway"})
    run(osm.write(tmp_path / "first.osm"))
    first = Way.objects.get(osm_id=f"way/{street}").pk
    osm.ways[street][1]["name"] = "улица Мира"
    summary = run(osm.write(tmp_path / "second.osm"))
    assert Way.objects.count() == 2
    assert Way.objects.get(osm_id=f"way/{street}").pk == first
    assert (
        "Пешеходные пути: загружено 2 (создано 0, обновлено 1, без изменений 1)"
        in summary
    )


@pytest.fixture
def pgrouting(db):
    if not walking.pgrouting_installed():
        pytest.skip("pgRouting is not installed in this database")


def diamond(osm, x, y, r, tags):
    osm.outline([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], tags)


@pytest.mark.usefixtures("pgrouting")
def test_imported_ways_join_at_shared_nodes_only(tmp_path):
    """A street; a footbridge crossing it without a shared node, whose north end a
    footway joins to the street's west end; a house by the bridge and a
    playground by the street east of the crossing."""

    def add(osm):
        west = osm.node(0, 0)
        osm.way([west, osm.node(300, 0)], {"highway": "residential"})
        north = osm.node(200, 150)
        osm.way([osm.node(200, -100), north], {"highway": "footway", "bridge": "yes"})
        osm.way([north, osm.node(0, 150), west], {"highway": "footway"})
        diamond(osm, 210, 100, 5, {"building": "apartments"})
        diamond(osm, 250, -15, 5, {"leisure": "playground"})

    run(write_one(tmp_path, add))
    house = Building.objects.get()
    # 5 m to the bridge, 50 m up it, 200 m west, 150 m south, 250 m east along the
    # street and 10 m to the playground; not 165 m down the bridge to the street.
    distances = walking.network_distances("playground", 1000)
    assert distances == {house.pk: pytest.approx(665, rel=0.01)}
