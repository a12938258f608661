"""No 5xx from the OGC API (geo/ogc/) on hostile input: each answer is a 4xx in JSON
that names the parameter, or a 200 (docs/architecture.md, "Refusing what cannot be
served")."""

import pytest

from territories.registry.models import Tree

from .conftest import utm_point

pytestmark = pytest.mark.django_db

ITEMS = "/ogc/collections/trees/items"


@pytest.mark.parametrize(
    "url, field",
    [
        (f"{ITEMS}/99999999999999999999999", "featureId"),
        (f"{ITEMS}?offset=99999999999999999999", "offset"),
        (f"{ITEMS}?limit=99999999999999999999", "limit"),
        (f"{ITEMS}?limit=%EF%BC%91", "limit"),  # a full-width digit one
        (f"{ITEMS}?datetime=2024-13-45", "datetime"),
        (f"{ITEMS}?datetime=0000-01-01", "datetime"),
        (f"{ITEMS}?datetime=9999-12-31T23:59:59-14:00/9999-12-31", "datetime"),
        (f"{ITEMS}?datetime=/", None),
        (f"{ITEMS}?datetime=../..", None),
        (f"{ITEMS}?datetime=0001-01-01T00:00:00%2B14:00/..", "datetime"),
        (f"{ITEMS}?bbox=nan,1,2,3", "bbox"),
        (f"{ITEMS}?bbox=1,2,3,4,5,6", "bbox"),
        (
            f"{ITEMS}?bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326&bbox=1,2",
            "bbox",
        ),
        (f"{ITEMS}?year=0x10", "year"),
        (f"{ITEMS}?territory=99999999999999999999999", "territory"),
        ("/ogc/collections/reports/items?datetime=2024-01-01T00:00:00Z/..", None),
        ("/ogc/collections/events/items?datetime=2024-01-01", None),
    ],
)
def test_hostile_items_queries_are_refused_by_name(client, url, field):
    Tree.objects.create(geom=utm_point(0, 0))
    response = client.get(url)
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if field is None:
        assert response.status_code == 200, content[:300]
        return
    assert response.status_code in (400, 404), content[:300]
    assert response["Content-Type"] == "application/json"
    assert response.json()["field"] == field


DEEP = "(" * 30 + "species = 'x'" + ")" * 30
MANY_NOTS = "NOT " * 30 + "species = 'x'"
RING = ", ".join(f"{103.8 + i / 10000} 52.5" for i in range(1200))
LONG = "species = '" + "x" * 4000 + "'"
BOWTIE = "POLYGON((103.8 52.5, 103.9 52.6, 103.9 52.5, 103.8 52.6, 103.8 52.5))"


@pytest.mark.parametrize(
    "cql, field, named",
    [
        (LONG, "filter", "4000"),
        (DEEP, "filter", "20"),
        (MANY_NOTS, "filter", "20"),
        ("(" * 5000, "filter", "4000"),
        (f"S_INTERSECTS(geometry, LINESTRING({RING}))", "filter", "4000"),
        (
            "S_INTERSECTS(geometry, MULTIPOINT(" + ",".join(["1 2"] * 501) + "))",
            "filter",
            "500",
        ),
        ("species = 'a\x00b'", "filter", "NUL"),
        ("species = 'unclosed", "filter", "кавычки"),
        ("species = 1e999", "filter", "1e999"),
        ("species = ", "filter", "обрывается"),
        ("", "filter", "пуст"),
        ("species = 'x' ;", "filter", ";"),
        ("species = 'x' \\", "filter", "\\"),
        (f"S_INTERSECTS(geometry, {BOWTIE})", "filter", "POLYGON"),
        ("S_INTERSECTS(geometry, POLYGON((1 1, 2 2, 3 1)))", "filter", "POLYGON"),
        ("S_INTERSECTS(geometry, LINESTRING(1 1))", "filter", "LINESTRING"),
        ("S_INTERSECTS(geometry, POINT(1000 1000))", "filter", "POINT"),
        ("S_INTERSECTS(geometry, POINT(nan 1))", "filter", "nan"),
        ("S_INTERSECTS(geometry, BBOX(104, 53, 103, 52))", "filter", "BBOX"),
        ("S_INTERSECTS(geometry, BBOX(1, 2, 3))", "filter", "BBOX"),
        ("S_INTERSECTS(geometry, POINT EMPTY)", "filter", "EMPTY"),
        ("S_INTERSECTS(geometry, geometry)", "filter", "S_INTERSECTS"),
        ("planted_on = DATE('2024-02-30')", "filter", "DATE"),
        ("planted_on = DATE('2024-02-01T00:00:00Z')", "filter", "DATE"),
        ("planted_on = DATE(2024)", "filter", "DATE"),
        ("planted_on > TIMESTAMP('9999-12-31T23:59:59-14:00')", "filter", "9999"),
        ("species IN ()", "filter", ")"),
        ("species NOT = 'x'", "filter", "="),
        ("species IS 'x'", "filter", "NULL"),
        ("'a' = 'a'", "filter", "сравнение двух значений"),
        ("species LIKE species", "filter", "LIKE"),
        ("species BETWEEN 1", "filter", "обрывается"),
        ("species = 'дуб' § TRUE", "filter", "§"),
    ],
)
def test_hostile_filters_are_refused_by_name(client, cql, field, named):
    Tree.objects.create(species="дуб", geom=utm_point(0, 0))
    response = client.get(ITEMS, {"filter": cql})
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    refusal = response.json()
    assert refusal["field"] == field
    assert named in refusal["error"], refusal["error"]
    assert Tree.objects.count() == 1


@pytest.mark.parametrize(
    "cql",
    [
        "planted_on > DATE('0001-01-01') AND species <> 'x'",
        "species = '" + "'" * 200 + "'",
        "species LIKE '%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%x'",
        "species IN (" + ",".join(["'x'"] * 500) + ")",
        " OR ".join(["species = 'x'"] * 200),
        "S_INTERSECTS(geometry, BBOX(-180, -90, 180, 90))",
        "S_INTERSECTS(geometry, POINT(-180 -90))",
        "species = '\U0001f333'",
    ],
)
def test_hostile_but_valid_filters_are_served(client, cql):
    Tree.objects.create(species="дуб", geom=utm_point(0, 0))
    response = client.get(ITEMS, {"filter": cql})
    assert response.status_code == 200
    assert b"".join(response.streaming_content).endswith(b"}")
