"""`manage.py import_osm` on small synthetic extracts near the centre of Angarsk."""

import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from territories.registry.management.commands.import_osm import Command as ImportOsm
from territories.registry.models import Building, Ground, Tree, Way
from territories.registry.osm import importer as osm_import

from .conftest import utm_box
from .osm_files import OsmFile, lonlat

APARTMENTS = {
    "building": "apartments",
    "building:levels": "9",
    "addr:street": "улица Ленина",
    "addr:housenumber": "12",
}


def run(path, *args):
    """The summary the command prints."""
    out = StringIO()
    call_command("import_osm", path, *args, "--no-progress", stdout=out)
    return out.getvalue()


def write_one(tmp_path, add, name="extract.osm"):
    """A file holding what `add(osm)` puts into it."""
    osm = OsmFile()
    add(osm)
    return osm.write(tmp_path / name)


@pytest.fixture
def city(tmp_path):
    """One of each kind of feature, and the OsmFile to write it again changed."""
    osm = OsmFile()
    osm.box(0, 0, 60, 12, APARTMENTS)
    osm.box(100, 0, 20, 10, {"building": "garage"})
    osm.box(0, 50, 30, 20, {"leisure": "playground", "name": "Солнышко"})
    osm.box(50, 50, 40, 20, {"leisure": "pitch", "sport": "soccer;basketball"})
    osm.node(5, 40, {"natural": "tree", "species:ru": "Берёза повислая"})
    street = [osm.node(-20, 30), osm.node(60, 30), osm.node(140, 30)]
    osm.way(street, {"highway": "residential", "name": "улица Ленина"})
    osm.way([street[1], osm.node(60, 45)], {"highway": "footway"})
    return osm


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".osm", ".osm.pbf", ".osm.gz", ".osm.bz2"])
def test_every_format_loads_every_layer(city, tmp_path, suffix):
    run(city.write(tmp_path / f"city{suffix}"))
    models = (Building, Ground, Tree, Way)
    assert [model.objects.count() for model in models] == [2, 2, 1, 2]


@pytest.mark.django_db
def test_apartment_block_gets_address_levels_and_residents(city, tmp_path):
    run(city.write(tmp_path / "city.osm.pbf"))
    block = Building.objects.get(kind="apartments")
    assert (block.osm_id, block.address, block.levels) == (
        "way/1000",
        "улица Ленина, 12",
        9,
    )
    assert block.residents_estimated == round(9 * block.area_m2 / 25.0)


@pytest.mark.django_db
def test_footprint_is_stored_in_metres(city, tmp_path):
    run(city.write(tmp_path / "city.osm"))
    block = Building.objects.get(kind="apartments")
    assert (block.geom.srid, block.geom.geom_type) == (32648, "MultiPolygon")
    assert block.area_m2 == pytest.approx(60 * 12, rel=0.01)


@pytest.mark.django_db
def test_flats_give_residents_by_household(tmp_path):
    tags = {"building": "yes", "building:flats": "60"}
    run(write_one(tmp_path, lambda osm: osm.box(0, 0, 60, 12, tags)))
    building = Building.objects.get()
    assert (building.flats, building.residents_estimated) == (60, round(60 * 2.3))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tags, levels",
    [
        ({"building": "apartments"}, 5),
        ({"building": "house"}, 1),
        ({"building": "yes", "addr:housenumber": "7"}, 1),
    ],
)
def test_untagged_levels_take_a_default_by_kind(tmp_path, tags, levels):
    run(write_one(tmp_path, lambda osm: osm.box(0, 0, 20, 10, tags)))
    building = Building.objects.get()
    assert building.levels is None
    assert building.residents_estimated == round(levels * building.area_m2 / 25.0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tags", [{"building": "garage"}, {"building": "yes"}, {"building": "school"}]
)
def test_buildings_that_are_not_housing_get_no_residents(tmp_path, tags):
    run(write_one(tmp_path, lambda osm: osm.box(0, 0, 20, 10, tags)))
    assert Building.objects.get().residents_estimated is None


@pytest.mark.django_db
def test_playground_and_sport_ground_get_kind_name_and_sports(city, tmp_path):
    run(city.write(tmp_path / "city.osm"))
    grounds = {g.kind: g for g in Ground.objects.all()}
    assert grounds["playground"].name == "Солнышко"
    assert grounds["sport"].equipment == "футбол, баскетбол"
    assert grounds["sport"].area_m2 == pytest.approx(40 * 20, rel=0.01)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tags, species",
    [
        (
            {"species:ru": "Берёза повислая", "species": "Betula pendula"},
            "Берёза повислая",
        ),
        ({"species": "Betula pendula", "genus": "Betula"}, "Betula pendula"),
        ({"genus": "Pinus"}, "Pinus"),
        ({"leaf_type": "needleleaved"}, "хвойное"),
    ],
)
def test_tree_species_comes_from_the_most_precise_tag(tmp_path, tags, species):
    path = write_one(tmp_path, lambda osm: osm.node(0, 0, {"natural": "tree", **tags}))
    run(path)
    tree = Tree.objects.get()
    assert (tree.species, tree.osm_id) == (species, "node/1")


@pytest.mark.django_db
def test_ground_mapped_as_a_point_is_skipped_with_reason(tmp_path):
    path = write_one(tmp_path, lambda osm: osm.node(0, 0, {"leisure": "playground"}))
    summary = run(path)
    assert not Ground.objects.exists()
    assert "пропущено 1: 1 — точка без контура" in summary


@pytest.mark.django_db
def test_rerun_updates_by_osm_id_without_duplicates(city, tmp_path):
    run(city.write(tmp_path / "first.osm.pbf"))
    first_pk = Building.objects.get(kind="apartments").pk
    city.ways[1000][1]["building:levels"] = "12"
    summary = run(city.write(tmp_path / "second.osm.pbf"))
    block = Building.objects.get(kind="apartments")
    assert (Building.objects.count(), block.pk, block.levels) == (2, first_pk, 12)
    assert "Здания: загружено 2 (создано 0, обновлено 1, без изменений 1)" in summary


@pytest.mark.django_db
def test_bow_tie_is_repaired_into_valid_parts(tmp_path):
    bow_tie = [(0, 0), (20, 20), (20, 0), (0, 20)]
    path = write_one(tmp_path, lambda osm: osm.outline(bow_tie, {"building": "yes"}))
    summary = run(path)
    building = Building.objects.get()
    assert (building.geom.valid, len(building.geom)) == (True, 2)
    assert building.area_m2 == pytest.approx(200, rel=0.02)
    assert "исправлено 1" in summary


@pytest.mark.django_db
def test_unclosed_ring_is_skipped_with_reason(tmp_path):
    open_line = [(0, 0), (20, 0), (20, 20), (0, 20)]
    tags = {"building": "yes"}
    summary = run(
        write_one(tmp_path, lambda osm: osm.outline(open_line, tags, closed=False))
    )
    assert not Building.objects.exists()
    assert "пропущено 1: 1 — незамкнутый контур, который не удалось замкнуть" in summary


@pytest.mark.django_db
def test_ring_left_open_by_a_few_centimetres_is_closed(tmp_path):
    almost = [(0, 0), (20, 0), (20, 20), (0, 20), (0, 0.05)]
    tags = {"building": "yes"}
    summary = run(
        write_one(tmp_path, lambda osm: osm.outline(almost, tags, closed=False))
    )
    assert Building.objects.get().area_m2 == pytest.approx(400, rel=0.02)
    assert "исправлено 1" in summary


@pytest.mark.django_db
def test_sliver_is_skipped_with_reason(tmp_path):
    tags = {"leisure": "playground"}
    summary = run(write_one(tmp_path, lambda osm: osm.box(0, 0, 0.5, 1, tags)))
    assert not Ground.objects.exists()
    assert "1 — площадь меньше 1 м²" in summary


@pytest.mark.django_db
def test_way_with_nodes_missing_from_the_file_is_skipped(tmp_path):
    def add(osm):
        refs = [osm.node(0, 0), osm.node(20, 0), osm.node(20, 20)]
        osm.way([*refs, 999, refs[0]], {"building": "yes"})

    summary = run(write_one(tmp_path, add))
    assert not Building.objects.exists()
    assert "1 — в файле нет координат части точек" in summary


def courtyard_block(osm, inner_role="inner"):
    """A 40 × 40 m multipolygon building with a 10 × 10 m courtyard."""
    outer = osm.box(0, 0, 40, 40)
    inner = osm.box(15, 15, 10, 10)
    tags = {"type": "multipolygon", "building": "apartments"}
    return osm.relation([(outer, "outer"), (inner, inner_role)], tags)


@pytest.mark.django_db
def test_multipolygon_relation_keeps_its_hole(tmp_path):
    run(write_one(tmp_path, courtyard_block, "courtyard.osm.pbf"))
    building = Building.objects.get()
    assert building.osm_id == "relation/5000"
    assert len(building.geom[0]) == 2  # exterior ring and one hole
    assert building.area_m2 == pytest.approx(40 * 40 - 10 * 10, rel=0.02)


@pytest.mark.django_db
def test_multipolygon_ring_split_over_two_ways_is_joined(tmp_path):
    def add(osm):
        a, b, c, d = (osm.node(x, y) for x, y in [(0, 0), (30, 0), (30, 30), (0, 30)])
        halves = [osm.way([a, b, c]), osm.way([c, d, a])]
        tags = {"type": "multipolygon", "leisure": "pitch"}
        osm.relation([(way, "outer") for way in halves], tags)

    run(write_one(tmp_path, add))
    assert Ground.objects.get().area_m2 == pytest.approx(900, rel=0.02)


@pytest.mark.django_db
def test_multipolygon_rings_meeting_at_a_split_node_both_load(tmp_path):
    """Two squares touching at a corner, each drawn as two ways that end there."""

    def add(osm):
        corner = osm.node(20, 20)
        ways = []
        for (x1, y1), (x2, y2), (x3, y3) in [
            [(0, 0), (20, 0), (0, 20)],
            [(40, 40), (40, 20), (20, 40)],
        ]:
            far, first, second = osm.node(x1, y1), osm.node(x2, y2), osm.node(x3, y3)
            ways += [osm.way([far, first, corner]), osm.way([corner, second, far])]
        tags = {"type": "multipolygon", "building": "yes"}
        osm.relation([(way, "outer") for way in ways], tags)

    run(write_one(tmp_path, add))
    building = Building.objects.get()
    assert (len(building.geom), round(building.area_m2 / 100)) == (2, 8)


@pytest.mark.django_db
def test_multipolygon_with_a_missing_member_is_skipped(tmp_path):
    def add(osm):
        outer = osm.box(0, 0, 40, 40)
        tags = {"type": "multipolygon", "building": "yes"}
        osm.relation([(outer, "outer"), (4242, "inner")], tags)

    summary = run(write_one(tmp_path, add))
    assert not Building.objects.exists()
    assert "1 — в файле нет части линий мультиполигона" in summary


def two_buildings(osm):
    osm.box(0, 0, 20, 10, {"building": "house"})
    osm.box(2000, 0, 20, 10, {"building": "house"})


@pytest.mark.django_db
def test_bbox_keeps_only_features_intersecting_it(tmp_path):
    (west, south), (east, north) = lonlat(-50, -50), lonlat(50, 50)
    bbox = f"{west},{south},{east},{north}"
    summary = run(write_one(tmp_path, two_buildings), "--bbox", bbox)
    assert list(Building.objects.values_list("osm_id", flat=True)) == ["way/1000"]
    assert "вне --bbox 1" in summary


@pytest.mark.django_db
def test_bbox_cutting_through_an_outline_keeps_it(tmp_path):
    (west, south), (east, north) = lonlat(10, 5), lonlat(50, 50)
    run(write_one(tmp_path, two_buildings), "--bbox", f"{west},{south},{east},{north}")
    assert Building.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "104,52,103,53"])
def test_bad_bbox_is_an_error_naming_the_option(tmp_path, bbox):
    path = write_one(tmp_path, two_buildings)
    with pytest.raises(CommandError, match="--bbox"):
        run(path, "--bbox", bbox)
    assert not Building.objects.exists()


@pytest.fixture
def existing_building(db):
    return Building.objects.create(
        osm_id="way/1000", address="Старый адрес", geom=utm_box(0, 0, 10, 10)
    )


def garbage(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(os.urandom(200) + b"\x00" * 50)
    return str(path)


def truncated_pbf(tmp_path, name):
    def add(osm):
        for i in range(200):
            osm.box(i * 30, 0, 20, 10, {"building": "house"})

    path = tmp_path / name
    whole = write_one(tmp_path, add, name)
    path.write_bytes(path.read_bytes()[: os.path.getsize(whole) // 2])
    return str(path)


@pytest.mark.parametrize(
    "make, name",
    [
        (garbage, "garbage.osm.pbf"),
        (garbage, "garbage.osm"),
        (truncated_pbf, "truncated.osm.pbf"),
    ],
)
def test_unreadable_file_is_an_error_and_changes_nothing(
    existing_building, tmp_path, make, name
):
    with pytest.raises(
        CommandError, match="Не удалось прочитать файл .* / Cannot read"
    ):
        run(make(tmp_path, name))
    assert list(Building.objects.values_list("pk", "address")) == [
        (existing_building.pk, "Старый адрес")
    ]


@pytest.mark.django_db
def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="не найден / File .* not found"):
        run(str(tmp_path / "nowhere.osm.pbf"))


@pytest.mark.django_db
def test_file_without_features_is_an_error(tmp_path):
    path = write_one(tmp_path, lambda osm: osm.box(0, 0, 20, 10, {"landuse": "grass"}))
    with pytest.raises(CommandError, match="нет зданий, площадок, деревьев и пеш"):
        run(path)


def test_failure_while_writing_rolls_back_every_layer(
    existing_building, city, tmp_path, monkeypatch
):
    write = osm_import.upsert_by_osm_id

    def fail_at_trees(model, rows, progress=None):
        if model is Tree:
            raise RuntimeError("disk full")
        return write(model, rows, progress)

    monkeypatch.setattr(osm_import, "upsert_by_osm_id", fail_at_trees)
    with pytest.raises(RuntimeError, match="disk full"):
        run(city.write(tmp_path / "city.osm"))
    assert Ground.objects.count() == 0
    assert list(Building.objects.values_list("address", flat=True)) == ["Старый адрес"]


@pytest.mark.django_db
def test_summary_counts_loaded_repaired_and_skipped_per_layer(city, tmp_path):
    city.outline([(300, 0), (320, 20), (320, 0), (300, 20)], {"building": "yes"})
    city.box(400, 0, 0.5, 0.5, {"building": "yes"})
    city.node(0, 200, {"leisure": "pitch"})
    city.node(0, 210, {"highway": "footway"})
    summary = run(city.write(tmp_path / "city.osm")).splitlines()
    assert summary == [
        "Здания: загружено 3 (создано 3, обновлено 0, без изменений 0), исправлено 1, "
        "пропущено 1: 1 — площадь меньше 1 м²",
        "Площадки: загружено 2 (создано 2, обновлено 0, без изменений 0), "
        "исправлено 0, "
        "пропущено 1: 1 — точка без контура",
        "Деревья: загружено 1 (создано 1, обновлено 0, без изменений 0), "
        "исправлено 0, пропущено 0",
        "Пешеходные пути: загружено 2 (создано 2, обновлено 0, без изменений 0), "
        "исправлено 0, пропущено 1: 1 — точка, а не линия",
    ]


def test_help_names_every_option():
    parser = ImportOsm().create_parser("manage.py", "import_osm")
    assert {"--bbox", "--no-progress", "file"} <= set(parser.format_help().split())
