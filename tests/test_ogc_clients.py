# The `angarsk` fixture is imported from browser_fixtures; pytest finds it by name.
# ruff: noqa: F811
"""Real OGC API – Features clients against the running server (geo/ogc/): OWSLib's
`Features` reader, GDAL's OAPIF driver through `ogrinfo` (Debian's gdal-bin) and
QGIS's OAPIF provider (Debian's python3-qgis)."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import Centroid, Transform
from owslib.ogcapi.features import Features

from geo.layers import layers
from territories.registry.models import Building, Tree

from .browser_fixtures import angarsk  # noqa: F401
from .conftest import utm_box, utm_point

pytestmark = pytest.mark.django_db(transaction=True)

OGRINFO = shutil.which("ogrinfo")


@pytest.fixture
def trees():
    return [
        Tree.objects.create(species="берёза", geom=utm_point(i * 20, 0))
        for i in range(7)
    ]


@pytest.fixture
def service(live_server):
    return Features(f"{live_server.url}/ogc/")


def test_owslib_reads_conformance_and_collections(service):
    classes = service.conformance()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in classes
    assert set(service.feature_collections()) == set(layers)
    assert service.collection("trees")["itemType"] == "feature"


def paged_ids(service, matched, **kwargs):
    """The ids of every page of trees, 3 at a time, following `next` while there
    is one; each page must say that `matched` features match."""
    seen, offset = [], 0
    while True:
        page = service.collection_items("trees", limit=3, offset=offset, **kwargs)
        assert page["numberMatched"] == matched
        seen += [f["id"] for f in page["features"]]
        if not any(link["rel"] == "next" for link in page["links"]):
            return seen
        offset += 3


def test_owslib_pages_through_items_with_limit(service, trees):
    assert paged_ids(service, len(trees)) == [t.pk for t in trees]


def test_owslib_items_with_bbox_and_filter(service, trees):
    Tree.objects.create(species="ель", geom=utm_point(0, 10))
    page = service.collection_items("trees", bbox=[103.887, 52.540, 103.889, 52.541])
    # 20 m steps: the first trees are within the ~70 m wide box, the ель too.
    inside = {f["id"] for f in page["features"]}
    assert trees[0].pk in inside and trees[-1].pk not in inside
    page = service.collection_items("trees", species="ель")
    assert [f["properties"]["species"] for f in page["features"]] == ["ель"]


def test_owslib_reads_queryables_and_items_with_a_cql2_filter(service, trees):
    """Part 3 through OWSLib: the queryables, then `filter` and `filter-lang` as
    query parameters (collection_items passes its keywords on), with bbox and
    paging."""
    Tree.objects.create(species="ель", geom=utm_point(0, 10))
    Tree.objects.create(species="ель", geom=utm_point(5000, 0))
    queryables = service.collection_queryables("trees")
    assert {"geometry", "species", "planted_on"} <= set(queryables["properties"])
    kwargs = {"filter": "species = 'ель'", "filter-lang": "cql2-text"}
    page = service.collection_items("trees", **kwargs)
    assert page["numberMatched"] == 2
    page = service.collection_items(
        "trees", bbox=[103.887, 52.540, 103.889, 52.541], **kwargs
    )
    assert page["numberMatched"] == 1
    query = "species = 'берёза' AND S_INTERSECTS(geometry, BBOX(103, 52, 104, 53))"
    assert paged_ids(service, len(trees), filter=query) == [t.pk for t in trees]


def ogrinfo(*args):
    if OGRINFO is None:
        pytest.skip("ogrinfo (Debian gdal-bin, installed by `make setup`) is missing")
    done = subprocess.run(
        [OGRINFO, "-ro", "-so", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_gdal_lists_every_collection(live_server):
    out = ogrinfo(f"OAPIF:{live_server.url}/ogc")
    listed = set(re.findall(r"^\d+: (\w+)", out, re.M))
    assert listed == set(layers)


def test_gdal_counts_equal_the_database(live_server, angarsk):
    """Every collection, counted by GDAL through the service, against the layer's
    own queryset (several layers have features in `angarsk`, the rest none)."""
    Building.objects.create(address="ул. Ленина, 1", geom=utm_box(0, 0, 10, 10))
    counted = {}
    for name in layers:
        out = ogrinfo(f"OAPIF:{live_server.url}/ogc", name)
        (count,) = re.findall(r"^Feature Count: (\d+)", out, re.M)
        counted[name] = int(count)
    expected = {name: layer.queryset().count() for name, layer in layers.items()}
    assert counted == expected
    assert sum(1 for n in expected.values() if n) >= 4


QGIS_SCRIPT = Path(__file__).parent / "clients" / "qgis_oapif.py"
SYSTEM_PYTHON = "/usr/bin/python3"


def qgis_read(url):
    """Each collection as QGIS's OAPIF provider reads it (tests/clients/qgis_oapif.py,
    run by Debian's Python with Debian's python3-qgis)."""
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, timeout=60
    )
    if probe.returncode:
        pytest.skip("python3-qgis (installed by `make test`'s set-up) is missing")
    done = subprocess.run(
        [SYSTEM_PYTHON, str(QGIS_SCRIPT), url],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {row["name"]: row for row in map(json.loads, done.stdout.splitlines())}


def database_figures(layer):
    """Count, WGS 84 extent and sums of centroids of a layer's features, by PostGIS."""
    queryset = layer.select({}).annotate(
        wgs=Transform("geom", 4326), centre=Centroid(Transform("geom", 4326))
    )
    count = queryset.count()
    sums = [0.0, 0.0]
    for centre in queryset.values_list("centre", flat=True):
        sums[0] += centre.x
        sums[1] += centre.y
    extent = queryset.aggregate(e=Extent("wgs"))["e"] if count else None
    return count, extent, sums


def test_qgis_reads_every_collection_as_stored(live_server, angarsk):
    """QGIS, the planners' tool, with the URL as docs/qgis.md gives it (no slash):
    every collection valid, in WGS 84, with the database's count, extent and
    features where they are stored (the sums of their centroids, to the
    GeoJSON's precision)."""
    Building.objects.create(address="ул. Ленина, 1", geom=utm_box(0, 0, 10, 10))
    Tree.objects.create(species="ель", geom=utm_point(35, -12))
    read = qgis_read(f"{live_server.url}/ogc")
    assert set(read) == set(layers)
    nonempty = 0
    for name, layer in layers.items():
        row = read[name]
        assert row["valid"], name
        count, extent, sums = database_figures(layer)
        assert row["count"] == count, name
        if not count:
            continue
        nonempty += 1
        assert row["crs"] == "EPSG:4326", name
        assert row["extent"] == pytest.approx(extent, abs=2e-6), name
        assert row["centroid_sums"] == pytest.approx(sums, abs=2e-6 * count), name
    assert nonempty >= 5
