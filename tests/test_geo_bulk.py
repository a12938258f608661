"""`geo.bulk.upsert_by_osm_id`: COPY, refuse what PostGIS finds invalid, merge."""

import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry

from geo.bulk import upsert_by_osm_id
from territories.registry.models import Building

SRID = 32648
SQUARE = "MULTIPOLYGON (((0 0, 20 0, 20 20, 0 20, 0 0)))"
BOW_TIE = "MULTIPOLYGON (((0 0, 20 20, 20 0, 0 20, 0 0)))"


def ewkb(wkt):
    geometry = shapely.set_srid(shapely.from_wkt(wkt), SRID)
    return shapely.to_wkb(geometry, hex=True, include_srid=True)


@pytest.mark.django_db
def test_geometry_the_database_finds_invalid_is_refused_not_fatal():
    rows = {
        "way/1": {"kind": "yes", "geom": ewkb(BOW_TIE)},
        "way/2": {"kind": "yes", "geom": ewkb(SQUARE)},
    }
    created, updated, unchanged, refused = upsert_by_osm_id(Building, rows)
    assert (created, updated, unchanged, list(refused)) == (1, 0, 0, ["way/1"])
    assert refused["way/1"].startswith("Self-intersection")
    assert list(Building.objects.values_list("osm_id", flat=True)) == ["way/2"]


@pytest.mark.django_db
def test_existing_osm_id_is_updated_and_fields_not_written_are_kept():
    building = Building.objects.create(
        osm_id="way/2",
        kind="house",
        residents_recorded=7,
        geom=GEOSGeometry(SQUARE, srid=SRID),
    )
    rows = {"way/2": {"kind": "apartments", "geom": ewkb(SQUARE)}}
    assert upsert_by_osm_id(Building, rows) == (0, 1, 0, {})
    building.refresh_from_db()
    assert (building.kind, building.residents_recorded) == ("apartments", 7)


@pytest.mark.django_db
def test_new_row_gets_the_model_defaults_of_fields_not_written():
    upsert_by_osm_id(Building, {"way/3": {"kind": "yes", "geom": ewkb(SQUARE)}})
    building = Building.objects.get()
    assert (building.address, building.residents_recorded) == ("", None)


@pytest.mark.django_db
def test_unchanged_rows_are_not_rewritten():
    rows = {"way/4": {"kind": "yes", "geom": ewkb(SQUARE)}}
    upsert_by_osm_id(Building, rows)
    before = Building.objects.get().updated_at
    assert upsert_by_osm_id(Building, rows) == (0, 0, 1, {})
    assert Building.objects.get().updated_at == before
