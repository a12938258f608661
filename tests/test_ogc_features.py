"""OGC API – Features at /ogc/ (geo/ogc/): the documents' shapes, paging, bbox,
property filters, datetime, refusals, and the catalogue as collections."""

import datetime as dt
import json
from urllib.parse import urlsplit

import pytest

from geo.layers import Layer, layers
from geo.ogc.params import CRS84
from territories.registry.models import Building, Tree

from .conftest import CENTRE, utm_box, utm_point

pytestmark = pytest.mark.django_db

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def get(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, body(response)
    return response, json.loads(body(response))


def path_of(href):
    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def rels(document):
    """rel → href, the non-HTML one where a rel comes in both encodings."""
    links = sorted(document["links"], key=lambda link: link["type"] != "text/html")
    return {link["rel"]: link["href"] for link in links}


def test_landing_page_links_the_service_parts(client):
    response, landing = get(client, "/ogc/")
    assert response["Content-Type"] == "application/json"
    links = rels(landing)
    assert {"self", "service-desc", "conformance", "data"} <= set(links)
    assert path_of(links["service-desc"]) == "/ogc/api"
    assert path_of(links["conformance"]) == "/ogc/conformance"
    assert path_of(links["data"]) == "/ogc/collections"


def test_conformance_declares_what_is_served(client):
    _response, document = get(client, "/ogc/conformance")
    classes = set(document["conformsTo"])
    for name in ("core", "oas30", "geojson", "html"):
        assert (
            f"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{name}" in classes
        )
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in classes
    # Part 3 (CQL2 filters) is declared with what it serves (tests/test_ogc_cql2.py).
    assert "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter" in classes


def test_openapi_describes_every_collections_items_with_its_filters(client):
    response, document = get(client, "/ogc/api")
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert document["openapi"].startswith("3.0")
    for name, layer in layers.items():
        operation = document["paths"][f"/collections/{name}/items"]["get"]
        params = {p["name"] for p in operation["parameters"]}
        assert {"limit", "bbox", "offset"} <= params
        assert {f.param for f in layer.filters} <= params
        assert ("datetime" in params) == (layer.datetime_field is not None)
    ids = [op["get"]["operationId"] for op in document["paths"].values()]
    assert len(ids) == len(set(ids))


def test_every_layer_is_a_collection_with_its_extent(client):
    Tree.objects.create(species="берёза", geom=utm_point(0, 0))
    Tree.objects.create(species="ель", geom=utm_point(500, 300))
    _response, document = get(client, "/ogc/collections")
    collections = {c["id"]: c for c in document["collections"]}
    assert set(collections) == set(layers)
    trees = collections["trees"]
    assert trees["itemType"] == "feature"
    assert trees["crs"][0] == CRS84
    assert trees["storageCrs"] == "http://www.opengis.net/def/crs/EPSG/0/32648"
    assert trees["storageCrs"] in trees["crs"]
    (bbox,) = trees["extent"]["spatial"]["bbox"]
    minlon, minlat, maxlon, maxlat = bbox
    assert minlon == pytest.approx(103.888, abs=1e-4)
    assert minlat == pytest.approx(52.5406, abs=1e-4)
    assert maxlon > minlon and maxlat > minlat
    assert "extent" not in collections["grounds"]  # empty: no extent to tell
    _response, one = get(client, "/ogc/collections/trees")
    assert one["id"] == "trees" and one["extent"] == trees["extent"]
    assert path_of(rels(one)["items"]) == "/ogc/collections/trees/items"


def test_items_is_a_feature_collection_with_counts(client):
    trees = [
        Tree.objects.create(species="сосна", geom=utm_point(i, 0)) for i in range(3)
    ]
    response, page = get(client, "/ogc/collections/trees/items")
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Crs"] == f"<{CRS84}>"
    assert page["type"] == "FeatureCollection"
    assert page["numberMatched"] == 3 == page["numberReturned"]
    assert [f["id"] for f in page["features"]] == [t.pk for t in trees]
    assert page["features"][0]["properties"]["species"] == "сосна"
    assert dt.datetime.fromisoformat(page["timeStamp"])
    links = rels(page)
    assert {"self", "collection"} <= set(links) and "next" not in links


def test_next_links_walk_every_feature_once(client):
    for i in range(23):
        Tree.objects.create(geom=utm_point(i * 5, 0))
    seen, url, pages = [], "/ogc/collections/trees/items?limit=5", 0
    while url:
        _response, page = get(client, url)
        assert page["numberMatched"] == Tree.objects.count()
        assert page["numberReturned"] == len(page["features"])
        seen += [f["id"] for f in page["features"]]
        url = path_of(rels(page)["next"]) if "next" in rels(page) else None
        pages += 1
    assert pages == 5
    assert sorted(seen) == sorted(Tree.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen))
    # And back: prev from the last page walks down to the first.
    back = []
    while True:
        back = [f["id"] for f in page["features"]] + back
        if "prev" not in rels(page):
            break
        _response, page = get(client, path_of(rels(page)["prev"]))
    assert back == seen


def test_bbox_in_crs84_and_epsg4326(client):
    near = Tree.objects.create(geom=utm_point(0, 0))
    Tree.objects.create(geom=utm_point(5000, 5000))
    box = "103.887,52.540,103.889,52.541"
    _response, page = get(client, f"/ogc/collections/trees/items?bbox={box}")
    assert [f["id"] for f in page["features"]] == [near.pk]
    assert page["numberMatched"] == 1
    # EPSG:4326 names latitude first.
    latlon = "52.540,103.887,52.541,103.889"
    crs = "http://www.opengis.net/def/crs/EPSG/0/4326"
    _response, page = get(
        client, f"/ogc/collections/trees/items?bbox={latlon}&bbox-crs={crs}"
    )
    assert [f["id"] for f in page["features"]] == [near.pk]


EPSG = "http://www.opengis.net/def/crs/EPSG/0/"


def test_crs_by_reference(client):
    tree = Tree.objects.create(geom=utm_point(0, 0))
    items = "/ogc/collections/trees/items"
    response, page = get(client, items)
    lon, lat = page["features"][0]["geometry"]["coordinates"]
    assert response["Content-Crs"] == f"<{CRS84}>"
    response, page = get(client, f"{items}?crs={EPSG}4326")
    assert response["Content-Crs"] == f"<{EPSG}4326>"
    assert page["features"][0]["geometry"]["coordinates"] == [lat, lon]
    response, page = get(client, f"{items}?crs={EPSG}32648")
    assert response["Content-Crs"] == f"<{EPSG}32648>"
    x, y = page["features"][0]["geometry"]["coordinates"]
    assert (x, y) == (
        pytest.approx(CENTRE.x, abs=0.01),
        pytest.approx(CENTRE.y, abs=0.01),
    )
    response, feature = get(client, f"{items}/{tree.pk}?crs={EPSG}32648")
    assert response["Content-Crs"] == f"<{EPSG}32648>"
    assert feature["geometry"]["coordinates"] == [x, y]


def test_bbox_in_the_storage_crs(client):
    near = Tree.objects.create(geom=utm_point(0, 0))
    Tree.objects.create(geom=utm_point(300, 0))
    box = f"{CENTRE.x - 10},{CENTRE.y - 10},{CENTRE.x + 10},{CENTRE.y + 10}"
    _response, page = get(
        client, f"/ogc/collections/trees/items?bbox={box}&bbox-crs={EPSG}32648"
    )
    assert [f["id"] for f in page["features"]] == [near.pk]
    assert page["numberMatched"] == 1


def test_property_filters_are_the_layers_own(client):
    oak = Tree.objects.create(species="дуб", geom=utm_point(0, 0))
    Tree.objects.create(species="липа", geom=utm_point(1, 0))
    _response, page = get(client, "/ogc/collections/trees/items?species=дуб")
    assert [f["id"] for f in page["features"]] == [oak.pk]
    assert page["numberMatched"] == 1
    # Paging links keep the filter.
    assert "species=" in rels(page)["self"]


def test_datetime_selects_on_the_layers_date(client):
    old = Tree.objects.create(geom=utm_point(0, 0), planted_on=dt.date(2020, 5, 1))
    new = Tree.objects.create(geom=utm_point(1, 0), planted_on=dt.date(2024, 5, 1))
    Tree.objects.create(geom=utm_point(2, 0))  # no date: never selected by one
    url = "/ogc/collections/trees/items?datetime="
    cases = {
        "2020-05-01": [old.pk],
        "2023-01-01/..": [new.pk],
        "../2021-01-01": [old.pk],
        "2019-01-01/2025-01-01": [old.pk, new.pk],
        "2024-05-01T12:00:00Z": [new.pk],
    }
    for value, expected in cases.items():
        _response, page = get(client, url + value)
        assert [f["id"] for f in page["features"]] == expected, value


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=0", "limit"),
        ("limit=10001", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("bbox=1,2,3", "bbox"),
        ("bbox-crs=EPSG:3857&bbox=1,2,3,4", "bbox-crs"),
        ("bbox-crs=http://www.opengis.net/def/crs/EPSG/0/32648&bbox=5,2,3,4", "bbox"),
        ("bbox-crs=http://www.opengis.net/def/crs/EPSG/0/32648&bbox=a,2,3,4", "bbox"),
        ("crs=http://www.opengis.net/def/crs/EPSG/0/3857", "crs"),
        ("datetime=yesterday", "datetime"),
        ("datetime=2024-01-01T00:00:00", "datetime"),
        ("datetime=2025-01-01/2024-01-01", "datetime"),
        ("colour=red", "colour"),
        ("f=xml", "f"),
    ],
)
def test_bad_items_parameters_are_refused_by_name(client, query, field):
    _response, refusal = get(client, f"/ogc/collections/trees/items?{query}", 400)
    assert refusal["field"] == field and refusal["description"]


def test_datetime_is_refused_where_a_layer_has_no_date(client):
    _response, refusal = get(
        client, "/ogc/collections/buildings/items?datetime=2024-01-01", 400
    )
    assert refusal["field"] == "datetime"


def test_unknown_parameter_on_other_documents(client):
    for url in ("/ogc/?x=1", "/ogc/collections?x=1", "/ogc/collections/trees?x=1"):
        _response, refusal = get(client, url, 400)
        assert refusal["field"] == "x"


def test_one_feature_and_the_missing_ones(client):
    tree = Tree.objects.create(species="клён", geom=utm_point(0, 0))
    response, feature = get(client, f"/ogc/collections/trees/items/{tree.pk}")
    assert response["Content-Type"] == "application/geo+json"
    assert feature["id"] == tree.pk and feature["properties"]["species"] == "клён"
    assert path_of(rels(feature)["collection"]) == "/ogc/collections/trees"
    _response, missing = get(client, f"/ogc/collections/trees/items/{tree.pk + 1}", 404)
    assert missing["field"] == "featureId"
    for url in ("/ogc/collections/nope", "/ogc/collections/nope/items", "/ogc/nowhere"):
        response, refusal = get(client, url, 404)
        assert response["Content-Type"] == "application/json"


def test_etag_covers_the_layer_and_the_query(client):
    Tree.objects.create(geom=utm_point(0, 0))
    url = "/ogc/collections/trees/items?limit=1"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url + "&offset=1")["ETag"] != etag
    Tree.objects.create(geom=utm_point(1, 0))
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_items_are_gzipped_on_the_fly_with_a_weak_etag(client):
    """Compressed as /api/layers/ compresses (geo/streaming.py): the same features,
    Content-Encoding gzip, a weak ETag that still answers 304."""
    import gzip

    Tree.objects.create(species="сосна", geom=utm_point(0, 0))
    url = "/ogc/collections/trees/items"
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = json.loads(gzip.decompress(b"".join(response.streaming_content)))
    assert page["numberReturned"] == 1 == page["numberMatched"]
    plain = client.get(url)
    assert response["ETag"] == "W/" + plain["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_html_by_f_or_accept(client):
    Building.objects.create(address="ул. Ленина, 1", geom=utm_box(0, 0, 10, 10))
    for url, headers in (
        ("/ogc/collections/buildings/items?f=html", {}),
        ("/ogc/collections/buildings/items", {"HTTP_ACCEPT": "text/html,*/*;q=0.8"}),
    ):
        response = client.get(url, **headers)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "ул. Ленина, 1" in response.content.decode()
    for url in ("/ogc/?f=html", "/ogc/collections?f=html", "/ogc/conformance?f=html"):
        response = client.get(url)
        assert response["Content-Type"].startswith("text/html"), url
    assert 'href="trees"' in client.get("/ogc/collections?f=html").content.decode()


@pytest.fixture
def extra_layer():
    layer = layers.register(
        Layer(
            "old_trees",
            "Старые деревья",
            "Old trees",
            "Point",
            lambda: Tree.objects.filter(planted_on__year__lt=1990),
            {"species": "species"},
        )
    )
    yield layer
    del layers[layer.name]


def test_a_layer_registered_later_is_a_collection_with_no_code(client, extra_layer):
    old = Tree.objects.create(geom=utm_point(0, 0), planted_on=dt.date(1970, 1, 1))
    Tree.objects.create(geom=utm_point(1, 0), planted_on=dt.date(2020, 1, 1))
    _response, document = get(client, "/ogc/collections")
    assert "old_trees" in {c["id"] for c in document["collections"]}
    _response, page = get(client, "/ogc/collections/old_trees/items")
    assert [f["id"] for f in page["features"]] == [old.pk]
    _response, api = get(client, "/ogc/api")
    assert "/collections/old_trees/items" in api["paths"]


def test_the_landing_page_answers_without_the_slash(client):
    """QGIS asks for the URL as typed in its dialog and follows no redirect."""
    bare, slashed = client.get("/ogc"), client.get("/ogc/")
    assert bare.status_code == 200 == slashed.status_code

    def others(response):
        skip = {"self", "alternate"}  # this very document
        return [link for link in response.json()["links"] if link["rel"] not in skip]

    assert others(bare) == others(slashed) and others(bare)
