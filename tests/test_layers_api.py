"""The layers API: catalogue, RFC 7946 FeatureCollections, filters, caching, errors."""

import gzip
import json

import geojson
import pytest
from shapely.geometry import shape

from territories.registry.models import Building, Ground, Territory, Tree

from .conftest import utm_box, utm_point

pytestmark = pytest.mark.django_db

LAYERS = {
    "territories",
    "buildings",
    "yards",
    "grounds",
    "trees",
    "resource_centres",
    "container_sites",
    "reports",
    "events",
    "contest_entries",
    "forum_projects",
    "implementation_projects",
}


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def collection(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, body(response)
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(body(response))


def test_catalogue_lists_every_layer_with_count_and_extent(client):
    Tree.objects.create(species="берёза", geom=utm_point(0, 0))
    response = client.get("/api/layers/")
    assert response.status_code == 200
    entries = {entry["name"]: entry for entry in response.json()}
    assert set(entries) == LAYERS
    trees = entries["trees"]
    assert trees["count"] == 1
    assert trees["title"] == {"ru": "Деревья", "en": "Trees"}
    assert trees["geometry_type"] == "Point"
    minlon, minlat, maxlon, maxlat = trees["extent"]
    assert minlon == pytest.approx(103.888, abs=1e-4)
    assert minlat == pytest.approx(52.5406, abs=1e-4)
    assert trees["url"].endswith("/api/layers/trees/")
    assert entries["grounds"]["count"] == 0 and entries["grounds"]["extent"] is None


def test_catalogue_costs_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/api/layers/").status_code == 200


def test_layer_is_a_valid_rfc7946_collection(client, district):
    Territory.objects.create(
        district=district, name="Уезд", geom=utm_box(0, 0, 300, 200)
    )
    Tree.objects.create(species="тополь", geom=utm_point(10, 10))
    for name in ("territories", "trees"):
        data = collection(client, f"/api/layers/{name}/")
        assert geojson.loads(json.dumps(data)).is_valid
        assert data["type"] == "FeatureCollection" and len(data["features"]) == 1


def test_coordinates_are_lon_lat_with_at_most_six_decimals(client):
    Tree.objects.create(geom=utm_point(0, 0))
    (feature,) = collection(client, "/api/layers/trees/")["features"]
    lon, lat = feature["geometry"]["coordinates"]
    assert lon == pytest.approx(103.8880, abs=1e-6)
    assert lat == pytest.approx(52.5406, abs=1e-6)
    for value in (lon, lat):
        assert len(repr(value).split(".")[1]) <= 6


def test_exterior_rings_counter_clockwise_and_holes_clockwise(client):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    outer = utm_box(0, 0, 100, 100)[0]
    hole = utm_box(40, 40, 20, 20)[0]
    # Stored the other way round: exterior clockwise, hole counter-clockwise.
    polygon = Polygon(outer.exterior_ring[::-1], hole.exterior_ring[:], srid=outer.srid)
    Ground.objects.create(kind="sport", geom=MultiPolygon(polygon, srid=outer.srid))
    (feature,) = collection(client, "/api/layers/grounds/")["features"]
    (stored,) = shape(feature["geometry"]).geoms
    assert stored.exterior.is_ccw
    assert not stored.interiors[0].is_ccw


def test_properties_are_escaped_json(client):
    nasty = 'Берёза "плакучая" \\ </script><img src=x onerror=alert(1)>\n'
    Tree.objects.create(species=nasty, geom=utm_point(0, 0))
    (feature,) = collection(client, "/api/layers/trees/")["features"]
    assert feature["properties"]["species"] == nasty


def test_building_residents_recorded_then_flats_then_estimate(client, settings):
    settings.AVERAGE_HOUSEHOLD = 2.5
    Building.objects.create(residents_recorded=7, flats=100, geom=utm_box(0, 0, 9, 9))
    Building.objects.create(flats=10, residents_estimated=99, geom=utm_box(20, 0, 9, 9))
    Building.objects.create(residents_estimated=40, geom=utm_box(40, 0, 9, 9))
    features = collection(client, "/api/layers/buildings/")["features"]
    assert [f["properties"]["residents"] for f in features] == [7, 25, 40]
    assert features[0]["properties"]["area_m2"] == pytest.approx(81, abs=0.5)


def test_bbox_keeps_only_features_in_the_window(client):
    near = Tree.objects.create(species="near", geom=utm_point(0, 0))
    Tree.objects.create(species="far", geom=utm_point(5000, 5000))
    data = collection(client, "/api/layers/trees/?bbox=103.88,52.53,103.90,52.55")
    assert [f["id"] for f in data["features"]] == [near.pk]


def test_attribute_filters(client):
    sport = Ground.objects.create(kind="sport", year=2018, geom=utm_box(0, 0, 20, 20))
    play = Ground.objects.create(kind="playground", geom=utm_box(50, 0, 20, 20))
    Ground.objects.create(kind="other", geom=utm_box(100, 0, 20, 20))

    def ids(query):
        data = collection(client, f"/api/layers/grounds/?{query}")
        return [f["id"] for f in data["features"]]

    assert ids("kind=sport") == [sport.pk]
    assert ids("kind=sport,playground") == [sport.pk, play.pk]
    assert ids("year=2018") == [sport.pk]


def test_territory_filter(client, district):
    tos = Territory.objects.create(
        district=district, name="Старица", geom=utm_box(0, 0, 100, 100)
    )
    inside = Tree.objects.create(geom=utm_point(50, 50))
    Tree.objects.create(geom=utm_point(500, 500))
    data = collection(client, f"/api/layers/trees/?territory={tos.pk}")
    assert [f["id"] for f in data["features"]] == [inside.pk]


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        ("bbox=1,2,3", "bbox", "четыре числа"),
        ("bbox=a,b,c,d", "bbox", "числами"),
        ("bbox=103,52,nan,53", "bbox", "конечными"),
        ("bbox=200,52,201,53", "bbox", "долгота"),
        ("bbox=103,95,104,96", "bbox", "широта"),
        ("bbox=104,52,103,53", "bbox", "меньше"),
        ("kind=swimming", "kind", "нет такого значения"),
        ("year=last", "year", "целое число"),
        ("territory=999999", "territory", "нет ТОС"),
        ("colour=red", "colour", "неизвестный параметр"),
    ],
)
def test_bad_query_gets_400_naming_the_field(client, query, field, reason):
    response = client.get(f"/api/layers/grounds/?{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert reason in response.json()["error"]


def test_errors_speak_english_when_asked(client):
    response = client.get("/api/layers/grounds/?bbox=1,2", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "four numbers" in response.json()["error"]


def test_unknown_layer_and_feature_are_404(client):
    response = client.get("/api/layers/parking/")
    assert response.status_code == 404 and response.json()["field"] == "name"
    response = client.get("/api/layers/trees/12345/")
    assert response.status_code == 404 and response.json()["field"] == "id"


def test_one_feature_by_id(client):
    tree = Tree.objects.create(species="липа", geom=utm_point(0, 0))
    response = client.get(f"/api/layers/trees/{tree.pk}/")
    assert response.status_code == 200
    feature = response.json()
    assert feature["type"] == "Feature" and feature["id"] == tree.pk
    assert feature["properties"]["species"] == "липа"


def test_gzip_when_the_client_accepts_it(client):
    for i in range(50):
        Tree.objects.create(species="сосна", geom=utm_point(i, i))
    plain = body(client.get("/api/layers/trees/"))
    response = client.get("/api/layers/trees/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(body(response)) == plain


def test_etag_and_last_modified_revalidate_until_the_layer_changes(client):
    tree = Tree.objects.create(species="ель", geom=utm_point(0, 0))
    first = client.get("/api/layers/trees/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/api/layers/trees/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    response = client.get("/api/layers/trees/", HTTP_IF_MODIFIED_SINCE=modified)
    assert response.status_code == 304
    other_window = client.get("/api/layers/trees/?bbox=103,52,104,53")
    assert other_window["ETag"] != etag
    tree.species = "пихта"
    tree.save()
    changed = client.get("/api/layers/trees/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_deleting_a_feature_changes_the_etag(client):
    tree = Tree.objects.create(geom=utm_point(0, 0))
    etag = client.get("/api/layers/trees/")["ETag"]
    tree.delete()
    response = client.get("/api/layers/trees/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert json.loads(body(response))["features"] == []


def test_layer_costs_two_queries_whatever_its_size(client, django_assert_num_queries):
    for i in range(30):
        Tree.objects.create(geom=utm_point(i * 3, 0))
    with django_assert_num_queries(2):  # the layer's version, then the features
        data = collection(client, "/api/layers/trees/?bbox=103,52,104,53")
    assert len(data["features"]) == 30


def test_openapi_schema_and_docs_without_a_cdn(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    # One operation per layer, with its own filters (geo/api/schema.py).
    assert {"/api/layers/", "/api/layers/trees/", "/api/layers/{name}/{id}/"} <= set(
        paths
    )
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower()


def test_layers_are_cacheable_by_shared_caches(client):
    response = client.get("/api/layers/trees/")
    assert "public" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("bbox", ["-180,-90,180,90", "100,40,180,85", "0,0,103.9,60"])
def test_a_bbox_far_wider_than_the_crs_still_selects_what_it_covers(client, bbox):
    tree = Tree.objects.create(geom=utm_point(0, 0))
    data = collection(client, f"/api/layers/trees/?bbox={bbox}")
    assert [f["id"] for f in data["features"]] == [tree.pk]


def test_a_bbox_outside_the_data_area_selects_nothing(client):
    Tree.objects.create(geom=utm_point(0, 0))
    data = collection(client, "/api/layers/trees/?bbox=30,50,40,60")
    assert data["features"] == []
