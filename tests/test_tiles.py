"""Vector tiles of the layer catalogue (docs/architecture.md, "Vector tiles"): decoded
with an independent MVT reader, their features, properties and positions checked
against what was stored."""

import math
import re

import mapbox_vector_tile
import pytest

from geo.layers import layers
from territories.registry.models import Building, Tree

from .conftest import utm_box, utm_point

pytestmark = pytest.mark.django_db
MVT = "application/vnd.mapbox-vector-tile"
EXTENT = 4096


def tile_of(point, z):
    """(x, y) of the z tile holding a WGS 84 point, and the point's position inside
    it in tile coordinates (y down, as stored in MVT)."""
    lon, lat = point.transform(4326, clone=True).coords
    n = 1 << z
    fx = (lon + 180) / 360 * n
    fy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    x, y = int(fx), int(fy)
    return x, y, ((fx - x) * EXTENT, (fy - y) * EXTENT)


def decode(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == MVT
    # mapbox_vector_tile turns y up by default; y_coord_down keeps MVT's own axis.
    return mapbox_vector_tile.decode(
        response.content, default_options={"y_coord_down": True}
    )


def test_a_tree_lands_in_its_tile_with_its_properties(client):
    tree = Tree.objects.create(
        species="берёза", campaign="Укоренись", geom=utm_point(120, 80)
    )
    Tree.objects.create(species="сосна", geom=utm_point(5000, 5000))  # other tile
    x, y, (px, py) = tile_of(tree.geom, 16)
    tile = decode(client.get(f"/tiles/trees/16/{x}/{y}.mvt"))
    features = tile["trees"]["features"]
    assert [f["id"] for f in features] == [tree.pk]
    assert features[0]["properties"]["species"] == "берёза"
    assert features[0]["properties"]["campaign"] == "Укоренись"
    gx, gy = features[0]["geometry"]["coordinates"]
    # Quantised to the 4096 grid: within a unit of where the point is.
    assert abs(gx - px) <= 1 and abs(gy - py) <= 1


def test_a_building_is_an_outline_around_its_centre(client):
    building = Building.objects.create(
        address="ул. Тестовая, 1", flats=12, geom=utm_box(100, 100, 40, 20)
    )
    x, y, (px, py) = tile_of(building.geom.centroid, 16)
    tile = decode(client.get(f"/tiles/buildings/16/{x}/{y}.mvt"))
    (feature,) = tile["buildings"]["features"]
    assert feature["id"] == building.pk
    assert feature["properties"]["address"] == "ул. Тестовая, 1"
    assert feature["properties"]["flats"] == 12
    assert feature["geometry"]["type"] == "Polygon"
    ring = feature["geometry"]["coordinates"][0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    assert min(xs) < px < max(xs) and min(ys) < py < max(ys)
    # 40 m wide: a z16 tile spans 40 075 km / 2¹⁶ × cos(latitude) on the ground.
    lat = building.geom.centroid.transform(4326, clone=True).y
    ground = 40_075_017 / (1 << 16) * math.cos(math.radians(lat))
    assert max(xs) - min(xs) == pytest.approx(40 / ground * EXTENT, rel=0.05)


def test_an_empty_tile_is_204(client):
    Tree.objects.create(species="берёза", geom=utm_point(0, 0))
    response = client.get("/tiles/trees/16/0/0.mvt")
    assert response.status_code == 204 and response.content == b""


def test_an_unchanged_tile_is_304_and_a_new_tree_changes_its_etag(client):
    tree = Tree.objects.create(species="берёза", geom=utm_point(0, 0))
    x, y, _pos = tile_of(tree.geom, 15)
    url = f"/tiles/trees/15/{x}/{y}.mvt"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    Tree.objects.create(species="липа", geom=utm_point(10, 10))
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert len(decode(changed)["trees"]["features"]) == 2


@pytest.mark.parametrize(
    ("path", "status", "part"),
    [
        ("trees/23/0/0", 400, "z"),
        ("trees/a/0/0", 400, "z"),
        ("trees/14/16384/0", 400, "x"),
        ("trees/14/0/-1", 400, "y"),
        ("trees/14/0/1.5", 400, "y"),
        # Within the grid, below the layer's minzoom (13): no such tile.
        ("trees/12/0/0", 404, "z"),
        ("buildings/13/0/0", 404, "z"),
        ("nothing/14/0/0", 404, "layer"),
    ],
)
def test_a_bad_address_names_its_part(client, path, status, part):
    response = client.get(f"/tiles/{path}.mvt")
    assert response.status_code == status
    assert response.json()["field"] == part


def test_tilejson_describes_the_layer(client):
    Building.objects.create(address="дом", flats=3, geom=utm_box(0, 0, 30, 30))
    response = client.get("/tiles/buildings.json")
    assert response.status_code == 200
    document = response.json()
    required = {"tilejson", "tiles", "vector_layers"}
    assert required <= set(document)
    assert document["tilejson"] == "3.0.0"
    assert document["tiles"][0].endswith("/tiles/buildings/{z}/{x}/{y}.mvt")
    assert (document["minzoom"], document["maxzoom"]) == (14, 22)
    west, south, east, north = document["bounds"]
    # Angarsk, about 103.9°E 52.5°N.
    assert 103 < west < east < 105 and 52 < south < north < 53
    (vector_layer,) = document["vector_layers"]
    assert vector_layer["id"] == "buildings"
    assert set(vector_layer["fields"]) == set(layers["buildings"].properties)
    assert vector_layer["fields"]["flats"] == "Number"
    assert vector_layer["fields"]["address"] == "String"
    assert client.get("/tiles/nothing.json").status_code == 404


def test_every_layer_has_tilejson_and_serves_its_minzoom(client):
    for name, layer in layers.items():
        assert client.get(f"/tiles/{name}.json").status_code == 200, name
        z = layer.tiles.minzoom
        response = client.get(f"/tiles/{name}/{z}/0/0.mvt")
        assert response.status_code in (200, 204), (name, response.content[:300])


def test_a_changed_setting_reaches_the_kept_statement(client, settings):
    """The compiled statement is kept per layer version; the household size is a
    parameter of the buildings' query, so it must not outlive a change of it."""
    building = Building.objects.create(
        address="ул. Тестовая, 2", flats=10, geom=utm_box(100, 100, 40, 20)
    )
    x, y, _pos = tile_of(building.geom.centroid, 16)
    url = f"/tiles/buildings/16/{x}/{y}.mvt"
    settings.AVERAGE_HOUSEHOLD = 2.0
    before = decode(client.get(url))["buildings"]["features"][0]["properties"]
    settings.AVERAGE_HOUSEHOLD = 3.0
    after = decode(client.get(url))["buildings"]["features"][0]["properties"]
    assert (before["residents"], after["residents"]) == (20, 30)


def scans(plan, table):
    """The plan's nodes that read `table`."""
    if plan.get("Relation Name") == table:
        yield plan
    for child in plan.get("Plans", ()):
        yield from scans(child, table)


def test_every_layers_tile_pushes_its_envelope_down_to_the_table():
    """The tile's envelope is applied around the layer's query; PostgreSQL must push
    it down to the scan of the layer's table, where its GiST index can take it
    (which index the planner takes over a test's few rows depends on what other
    tests left: the envelope is then that scan's filter, still at the table)."""
    from django.db import connection

    from geo.tiles import tile_sql

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for name, layer in layers.items():
            table = layer.queryset().model._meta.db_table
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s "
                "AND indexdef ILIKE %s AND indexdef NOT ILIKE %s",
                [table, "%USING gist (geom)%", "%WHERE%"],
            )
            # One whole-table index (partial ones aside, e.g. the active reports'),
            # not two: a spatial field declared again in a subclass
            # once added Django's own beside the named one (forum 0003).
            [(index,)] = cursor.fetchall()
            sql, params = tile_sql(layer, 15, 25839, 10743)
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0][0]["Plan"]
            reads = list(scans(plan, table))
            assert reads, (name, plan)
            conditions = " ".join(
                node.get(key, "")
                for node in reads
                for key in ("Index Cond", "Recheck Cond", "Filter")
            )
            assert "&&" in conditions, (name, plan)
            assert index  # whether the planner takes it is up to its costs


def test_a_tile_and_its_etag_come_from_one_snapshot_even_after_a_change(client):
    """Without If-None-Match the tile and the layer's table changes are read in one
    statement, compiled for the layer's last version: a change since must show in
    the tile and its ETag, and that ETag must be the one a conditional request
    compares with."""
    tree = Tree.objects.create(species="берёза", geom=utm_point(0, 0))
    x, y, _pos = tile_of(tree.geom, 15)
    url = f"/tiles/trees/15/{x}/{y}.mvt"
    first, second = client.get(url), client.get(url)  # compiled, then kept
    assert second["ETag"] == first["ETag"]
    Tree.objects.create(species="липа", geom=utm_point(10, 10))
    changed = client.get(url)
    assert changed["ETag"] != first["ETag"]
    assert len(decode(changed)["trees"]["features"]) == 2
    assert client.get(url, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_tilejson_etag_follows_the_host_its_urls_name(client):
    first = client.get("/tiles/trees.json", HTTP_HOST="127.0.0.1")
    other = client.get(
        "/tiles/trees.json", HTTP_HOST="localhost", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert other.status_code == 200
    assert other.json()["tiles"][0].startswith("http://localhost/")


def test_the_map_page_links_the_ogc_api_and_the_tiles(client):
    """Discoverability (issue 12): the map's footer names the OGC API and the
    TileJSON of the tiled layers, and each link answers."""
    page = client.get("/").content.decode()
    links = re.findall(r'href="(/(?:ogc|tiles)/[^"]*)"', page)
    assert {"/ogc/", "/tiles/buildings.json", "/tiles/trees.json"} <= set(links)
    for link in links:
        assert client.get(link).status_code == 200, link
