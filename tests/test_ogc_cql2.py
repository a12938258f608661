"""OGC API – Features Part 3 at /ogc/ (geo/ogc/cql2.py, geo/ogc/filtering.py): the
queryables, each CQL2 operator against what the ORM selects by itself, the filter
with bbox, datetime, property parameters and paging, values sent only as parameters,
and refusals that name what is not supported."""

import datetime as dt
from urllib.parse import parse_qs, quote, urlsplit

import jsonschema
import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from geo.layers import layers
from territories.registry.models import Building, Tree

from .conftest import CENTRE, utm_box, utm_point
from .report_helpers import report_at
from .test_ogc_features import (
    extra_layer,  # noqa: F401
    get,
    path_of,
    rels,
)

pytestmark = pytest.mark.django_db

ITEMS = "/ogc/collections/trees/items"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"


def lonlat(x, y):
    """The CRS84 coordinates of utm_point(x, y)."""
    point = utm_point(x, y).transform(4326, clone=True)
    return point.x, point.y


@pytest.fixture
def trees():
    """Eight trees 100 m apart eastwards, of several species, dates and campaigns."""
    rows = [
        ("дуб", dt.date(2018, 5, 1), "Укоренись в Ангарске"),
        ("дуб", None, ""),
        ("липа", dt.date(2020, 6, 1), "Укоренись в Ангарске"),
        ("берёза", dt.date(2021, 9, 1), ""),
        ("берёза", dt.date(2024, 5, 1), "Чистый дворик"),
        ("ель", None, "Чистый дворик"),
        ("клён_остролистный", dt.date(2019, 1, 1), ""),
        ("it's", dt.date(2023, 3, 3), ""),
    ]
    return [
        Tree.objects.create(
            species=species,
            planted_on=planted,
            campaign=campaign,
            geom=utm_point(i * 100, 0),
        )
        for i, (species, planted, campaign) in enumerate(rows)
    ]


def selected(client, query):
    _response, page = get(client, f"{ITEMS}?limit=1000&filter={quote(query)}")
    assert page["numberMatched"] == len(page["features"])
    return sorted(f["id"] for f in page["features"])


def ids(condition):
    return sorted(Tree.objects.filter(condition).values_list("pk", flat=True))


D2020 = dt.date(2020, 6, 1)


@pytest.mark.parametrize(
    "query, condition",
    [
        ("species = 'дуб'", Q(species="дуб")),
        ("species <> 'дуб'", ~Q(species="дуб")),
        ("'дуб' = species", Q(species="дуб")),
        ("planted_on < DATE('2020-06-01')", Q(planted_on__lt=D2020)),
        ("planted_on <= DATE('2020-06-01')", Q(planted_on__lte=D2020)),
        ("planted_on > DATE('2020-06-01')", Q(planted_on__gt=D2020)),
        ("planted_on >= DATE('2020-06-01')", Q(planted_on__gte=D2020)),
        ("DATE('2020-06-01') < planted_on", Q(planted_on__gt=D2020)),
        # NULL compares to nothing: SQL's three-valued logic, as in CQL2.
        (
            "planted_on <> DATE('2020-06-01')",
            ~Q(planted_on=D2020) & Q(planted_on__isnull=False),
        ),
        ("species IN ('дуб', 'ель')", Q(species__in=["дуб", "ель"])),
        ("species NOT IN ('дуб', 'ель')", ~Q(species__in=["дуб", "ель"])),
        (
            "planted_on BETWEEN DATE('2019-01-01') AND DATE('2021-12-31')",
            Q(planted_on__range=(dt.date(2019, 1, 1), dt.date(2021, 12, 31))),
        ),
        (
            "planted_on NOT BETWEEN DATE('2019-01-01') AND DATE('2021-12-31')",
            ~Q(planted_on__range=(dt.date(2019, 1, 1), dt.date(2021, 12, 31)))
            & Q(planted_on__isnull=False),
        ),
        ("species LIKE 'бер%'", Q(species__startswith="бер")),
        ("species LIKE '_уб'", Q(species__regex=r"^.уб$")),
        ("species NOT LIKE '%а'", ~Q(species__endswith="а")),
        # The backslash escapes a wildcard: only the literal underscore matches.
        ("species LIKE 'клён\\_%'", Q(species__startswith="клён_")),
        ("species = 'it''s'", Q(species="it's")),
        ("planted_on IS NULL", Q(planted_on__isnull=True)),
        ("planted_on IS NOT NULL", Q(planted_on__isnull=False)),
        ("campaign = ''", Q(campaign="")),
        (
            "species = 'дуб' OR campaign = 'Чистый дворик'",
            Q(species="дуб") | Q(campaign="Чистый дворик"),
        ),
        (
            "NOT (species = 'дуб' OR planted_on IS NULL) AND campaign <> ''",
            ~(Q(species="дуб") | Q(planted_on__isnull=True)) & ~Q(campaign=""),
        ),
        # AND binds tighter than OR.
        (
            "species = 'ель' OR species = 'дуб' AND planted_on IS NOT NULL",
            Q(species="ель") | (Q(species="дуб") & Q(planted_on__isnull=False)),
        ),
        ("TRUE", Q()),
        ("FALSE", Q(pk__in=[])),
        ("species = 'дуб' and NOT \"species\" = 'липа'", Q(species="дуб")),
    ],
)
def test_each_operator_selects_what_the_orm_selects(client, trees, query, condition):
    expected = ids(condition)
    assert 0 < len(expected) < len(trees) or query in ("TRUE", "FALSE")
    assert selected(client, query) == expected


def test_s_intersects_with_wkt_and_bbox_in_crs84(client, trees):
    (x0, y0), (x2, y2) = lonlat(-10, -10), lonlat(210, 10)
    first_three = [t.pk for t in trees[:3]]
    box = f"BBOX({x0}, {y0}, {x2}, {y2})"
    assert selected(client, f"S_INTERSECTS(geometry, {box})") == first_three
    polygon = f"POLYGON(({x0} {y0}, {x2} {y0}, {x2} {y2}, {x0} {y2}, {x0} {y0}))"
    assert selected(client, f"S_INTERSECTS(geometry, {polygon})") == first_three
    assert selected(client, f"S_INTERSECTS({polygon}, geometry)") == first_three
    others = sorted(t.pk for t in trees[3:])
    assert selected(client, f"NOT S_INTERSECTS(geometry, {polygon})") == others
    (cx, cy), (dx, dy) = lonlat(690, -5), lonlat(710, 5)
    multi = (
        f"MULTIPOLYGON((({x0} {y0}, {x2} {y0}, {x2} {y2}, {x0} {y0})),"
        f"(({cx} {cy}, {dx} {cy}, {dx} {dy}, {cx} {dy}, {cx} {cy})))"
    )
    query = f"S_INTERSECTS(geometry, {multi}) AND species <> 'дуб'"
    assert selected(client, query) == [trees[2].pk, trees[7].pk]


def test_s_intersects_in_epsg4326_and_the_storage_crs(client, trees):
    (x0, y0), (x1, y1) = lonlat(-10, -10), lonlat(110, 10)
    box = f"BBOX({y0}, {x0}, {y1}, {x1})"  # EPSG:4326 names latitude first
    url = f"{ITEMS}?filter-crs={EPSG}4326&filter=" + quote(
        f"S_INTERSECTS(geometry, {box})"
    )
    _response, page = get(client, url)
    assert sorted(f["id"] for f in page["features"]) == [trees[0].pk, trees[1].pk]
    x, y = CENTRE.x + 300, CENTRE.y
    metric = (
        f"POLYGON(({x - 5} {y - 5}, {x + 5} {y - 5}, {x + 5} {y + 5}, {x - 5} {y - 5}))"
    )
    url = f"{ITEMS}?filter-crs={EPSG}32648&filter=" + quote(
        f"S_INTERSECTS(geometry, {metric})"
    )
    _response, page = get(client, url)
    assert [f["id"] for f in page["features"]] == [trees[3].pk]
    # A point exactly on a tree, in metres.
    url = f"{ITEMS}?filter-crs={EPSG}32648&filter=" + quote(
        f"S_INTERSECTS(geometry, POINT({x} {y}))"
    )
    _response, page = get(client, url)
    assert [f["id"] for f in page["features"]] == [trees[3].pk]


def test_a_box_outside_the_district_selects_nothing(client, trees):
    assert selected(client, "S_INTERSECTS(geometry, BBOX(-10, -10, 10, 10))") == []
    world = "POLYGON((-180 -90, 180 -90, 180 90, -180 90, -180 -90))"
    everywhere = f"S_INTERSECTS(geometry, {world})"
    assert len(selected(client, everywhere)) == len(trees)


def test_s_intersects_with_a_line_and_a_multipoint_on_outlines(client):
    """Buildings 10 m wide, 50 m apart: a line and points cross some of them."""
    buildings = [
        Building.objects.create(geom=utm_box(i * 50, 0, 10, 10)) for i in range(4)
    ]
    (ax, ay), (bx, by) = lonlat(-5, 5), lonlat(55, 5)
    url = "/ogc/collections/buildings/items?filter="
    line = f"S_INTERSECTS(geometry, LINESTRING({ax} {ay}, {bx} {by}))"
    _response, page = get(client, url + quote(line))
    assert [f["id"] for f in page["features"]] == [b.pk for b in buildings[:2]]
    (px, py), (qx, qy) = lonlat(105, 5), lonlat(155, 5)
    points = f"S_INTERSECTS(geometry, MULTIPOINT(({px} {py}), {qx} {qy}))"
    _response, page = get(client, url + quote(points))
    assert [f["id"] for f in page["features"]] == [b.pk for b in buildings[2:]]
    collection = (
        f"GEOMETRYCOLLECTION(POINT({px} {py}), LINESTRING({ax} {ay}, {bx} {by}))"
    )
    _response, page = get(client, url + quote(f"S_INTERSECTS(geometry, {collection})"))
    assert [f["id"] for f in page["features"]] == [b.pk for b in buildings[:3]]


def test_numbers_on_an_annotated_property(client):
    """`residents` of buildings is an annotation (recorded or flats × household)."""
    small = Building.objects.create(flats=10, levels=2, geom=utm_box(0, 0, 10, 10))
    big = Building.objects.create(flats=120, levels=9, geom=utm_box(50, 0, 10, 10))
    Building.objects.create(geom=utm_box(100, 0, 10, 10))  # nothing known
    url = "/ogc/collections/buildings/items?filter="
    expected = sorted(
        Building.objects.with_residents()
        .filter(resident_count__gt=100)
        .values_list("pk", flat=True)
    )
    _response, page = get(client, url + quote("residents > 100"))
    assert [f["id"] for f in page["features"]] == expected == [big.pk]
    _response, page = get(client, url + quote("levels BETWEEN 1.5 AND 2.5"))
    assert [f["id"] for f in page["features"]] == [small.pk]
    _response, page = get(client, url + quote("flats IN (10, 11) OR levels = 9"))
    assert sorted(f["id"] for f in page["features"]) == [small.pk, big.pk]
    _response, page = get(client, url + quote("levels > 99999999999999999999999"))
    assert page["features"] == []


def test_filter_combines_with_bbox_datetime_parameters_and_paging(client, trees):
    (x0, y0), (x5, y5) = lonlat(-10, -10), lonlat(510, 10)
    query = "species <> 'липа'"
    url = (
        f"{ITEMS}?limit=2&filter={quote(query)}&filter-lang=cql2-text"
        f"&bbox={x0},{y0},{x5},{y5}&datetime=2000-01-01/.."
    )
    # In the box: trees 0–5; with a date: 0, 2, 3, 4; not a липа: 0, 3, 4.
    expected = [trees[i].pk for i in (0, 3, 4)]
    seen, pages = [], 0
    while url:
        _response, page = get(client, url)
        assert page["numberMatched"] == len(expected)
        seen += [f["id"] for f in page["features"]]
        pages += 1
        next_ = rels(page).get("next")
        if next_:
            query_of_next = parse_qs(urlsplit(next_).query)
            assert query_of_next["filter"] == [query]
            assert query_of_next["filter-lang"] == ["cql2-text"]
        url = path_of(next_) if next_ else None
    assert seen == expected and pages == 2
    _response, page = get(client, f"{ITEMS}?filter={quote(query)}&campaign=")
    assert [f["id"] for f in page["features"]] == ids(
        ~Q(species="липа") & Q(campaign="")
    )
    _response, page = get(client, f"{ITEMS}?limit=1&filter={quote(query)}")
    assert page["numberMatched"] == len(ids(~Q(species="липа")))
    assert parse_qs(urlsplit(rels(page)["next"]).query)["filter"] == [query]


def test_the_etag_covers_the_filter(client, trees):
    oak, fir = quote("species = 'дуб'"), quote("species = 'ель'")
    first = client.get(f"{ITEMS}?filter={oak}")
    second = client.get(f"{ITEMS}?filter={fir}")
    assert first["ETag"] != second["ETag"]


def test_values_are_parameters_never_sql_text(client, trees):
    marker = "Маркер-42'; SELECT 1; --"
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    quoted = marker.replace("'", "''")
    query = (
        f"species = '{quoted}' OR species LIKE 'маркер%' "
        "OR planted_on > DATE('2031-02-03') OR species IN ('маркер-в-списке')"
    )
    with connection.execute_wrapper(capture):
        assert selected(client, query) == []
    filtered = [(sql, p) for sql, p in statements if "LIKE" in sql]
    assert filtered, statements
    for sql, params in filtered:
        for value in (marker, "маркер", "2031", "маркер-в-списке"):
            assert value not in sql
        assert marker in params and "маркер%" in params
        assert dt.date(2031, 2, 3) in params and "маркер-в-списке" in params


@pytest.mark.parametrize(
    "query",
    [
        "species = 'x'' OR ''1''=''1'",
        "species = 'x'' OR 1=1 --'",
        "species LIKE '%'' OR TRUE; DROP TABLE registry_tree; --'",
    ],
)
def test_injection_in_literals_selects_by_the_literal(client, trees, query):
    assert selected(client, query) == []
    assert Tree.objects.count() == len(trees)


@pytest.mark.parametrize(
    "query, named",
    [
        ('"species = 1 OR 1" = 1', "species = 1 OR 1"),
        ("\"species'; DROP TABLE registry_tree; --\" = 'x'", "DROP TABLE"),
        ("species = 'x'); DELETE FROM registry_tree; --", ";"),
        ("pk = 1", "pk"),
        ("id = 1", "id"),
        ("geom IS NULL", "geom"),
    ],
)
def test_injection_in_names_is_refused(client, trees, query, named):
    _response, refusal = get(client, f"{ITEMS}?filter={quote(query)}", 400)
    assert refusal["field"] == "filter"
    assert named in refusal["description"]
    assert Tree.objects.count() == len(trees)


@pytest.mark.parametrize(
    "query, named",
    [
        ("S_WITHIN(geometry, POINT(103.88 52.54))", "S_WITHIN"),
        ("S_CONTAINS(geometry, POINT(103.88 52.54))", "S_CONTAINS"),
        ("T_AFTER(planted_on, DATE('2020-01-01'))", "T_AFTER"),
        ("A_CONTAINS(species, ('a'))", "A_CONTAINS"),
        ("CASEI(species) = casei('ДУБ')", "CASEI"),
        ("ACCENTI(species) = 'ёлка'", "ACCENTI"),
        ("species LIKE CASEI('д%')", "CASEI"),
        ("upper(species) = 'ДУБ'", "upper"),
        ("planted_on + 1 > 2", "+"),
        ("species = campaign", "species = campaign"),
        ("species = [1, 2]", "["),
        ("planted_on = INTERVAL('2020-01-01', '2021-01-01')", "INTERVAL"),
        ("S_INTERSECTS(geometry, POINT Z(1 2 3))", "Z"),
        ("S_INTERSECTS(geometry, POINT(1 2 3))", "Z"),
        ("S_INTERSECTS(species, BBOX(103, 52, 104, 53))", "species"),
        ("geometry = 'x'", "S_INTERSECTS"),
    ],
)
def test_unsupported_parts_are_named(client, query, named):
    _response, refusal = get(client, f"{ITEMS}?filter={quote(query)}", 400)
    assert refusal["field"] == "filter"
    assert named in refusal["description"], refusal


@pytest.mark.parametrize(
    "query, named",
    [
        ("species = 5", "species"),
        ("planted_on = '2020-01-01'", "planted_on"),
        ("planted_on = TIMESTAMP('2020-01-01T00:00:00Z')", "planted_on"),
        ("species > TRUE", "species"),
        ("planted_on LIKE '2020%'", "planted_on"),
        ("species BETWEEN 'a' AND 'b'", "species"),
        ("species IN ('a', 1)", "species"),
        ("height > 3", "height"),
    ],
)
def test_type_mismatches_and_unknown_properties_name_the_property(client, query, named):
    _response, refusal = get(client, f"{ITEMS}?filter={quote(query)}", 400)
    assert refusal["field"] == "filter"
    assert f"«{named}»" in refusal["description"], refusal


def test_unknown_property_lists_the_queryables(client):
    _response, refusal = get(client, f"{ITEMS}?filter={quote('height > 3')}", 400)
    for name in ("geometry", "species", "planted_on", "campaign"):
        assert name in refusal["description"]


def test_other_filter_languages_and_crs_are_refused_by_name(client):
    query = quote("species = 'дуб'")
    _response, refusal = get(
        client, f"{ITEMS}?filter={query}&filter-lang=cql2-json", 400
    )
    assert refusal["field"] == "filter-lang" and "cql2-json" in refusal["description"]
    _response, refusal = get(
        client, f"{ITEMS}?filter={query}&filter-crs=EPSG:3857", 400
    )
    assert refusal["field"] == "filter-crs"


def test_queryables_are_a_json_schema_of_the_layers_properties(client):
    response, document = get(client, "/ogc/collections/trees/queryables")
    assert response["Content-Type"] == "application/schema+json"
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(document)
    assert document["$id"].endswith("/ogc/collections/trees/queryables")
    assert document["type"] == "object"
    properties = document["properties"]
    assert properties["geometry"]["format"] == "geometry-point"
    assert properties["species"]["type"] == "string"
    assert properties["planted_on"] == {
        "title": "planted_on",
        "type": "string",
        "format": "date",
    }
    _response, grounds = get(client, "/ogc/collections/grounds/queryables")
    assert grounds["properties"]["geometry"]["format"] == "geometry-multipolygon"
    assert grounds["properties"]["kind"]["enum"] == ["sport", "playground", "other"]
    assert grounds["properties"]["year"]["type"] == "integer"
    assert grounds["properties"]["area_m2"]["type"] == "number"
    _response, events = get(client, "/ogc/collections/events/queryables")
    assert events["properties"]["starts_at"]["format"] == "date-time"
    assert events["properties"]["full"]["type"] == "boolean"
    assert events["properties"]["places_left"]["type"] == "integer"


def test_every_collection_links_its_queryables_and_each_can_be_filtered(client):
    rel = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
    for name, layer in layers.items():
        _response, collection = get(client, f"/ogc/collections/{name}")
        (link,) = [link for link in collection["links"] if link["rel"] == rel]
        assert path_of(link["href"]) == f"/ogc/collections/{name}/queryables"
        _response, schema = get(client, path_of(link["href"]))
        assert set(schema["properties"]) - {"geometry"} <= set(layer.properties)
        # Every queryable can be used: IS NULL takes any type.
        for prop in schema["properties"]:
            get(client, f"/ogc/collections/{name}/items?filter={quote(prop)}+IS+NULL")
    html = client.get("/ogc/collections/trees/queryables?f=html")
    assert html["Content-Type"].startswith("text/html")
    assert "planted_on" in html.content.decode()


def test_a_layer_registered_later_has_queryables(client, extra_layer):  # noqa: F811
    _response, schema = get(client, "/ogc/collections/old_trees/queryables")
    assert set(schema["properties"]) == {"geometry", "species"}


def test_typed_literals_on_date_times(client):
    url = "/ogc/collections/reports/items?filter="
    _response, page = get(
        client, url + quote("created_at > TIMESTAMP('2024-01-01T00:00:00+08:00')")
    )
    assert page["numberMatched"] == 0
    _response, refusal = get(
        client, url + quote("created_at > DATE('2024-01-01')"), 400
    )
    assert "«created_at»" in refusal["description"]


def test_conformance_and_openapi_declare_the_filter(client):
    _response, document = get(client, "/ogc/conformance")
    classes = set(document["conformsTo"])
    part3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
    for name in ("queryables", "filter", "features-filter"):
        assert part3 + name in classes
    cql2 = "http://www.opengis.net/spec/cql2/1.0/conf/"
    for name in ("cql2-text", "basic-cql2", "basic-spatial-functions"):
        assert cql2 + name in classes
    # Queryables as plain query parameters (`?species=`) are not all served.
    assert part3 + "queryables-query-parameters" not in classes
    _response, api = get(client, "/ogc/api")
    for name in layers:
        assert f"/collections/{name}/queryables" in api["paths"]
        operation = api["paths"][f"/collections/{name}/items"]["get"]
        params = {p["name"] for p in operation["parameters"]}
        assert {"filter", "filter-lang", "filter-crs"} <= params


def test_a_filter_adds_no_query(client, trees, django_assert_num_queries):
    """The queryables read no rows; a filter narrows the same queries (the version,
    the count, the page), it adds none."""
    with django_assert_num_queries(0):
        get(client, "/ogc/collections/events/queryables")
    with CaptureQueriesContext(connection) as plain:
        get(client, ITEMS)
    query = quote("species IN ('дуб', 'ель') AND planted_on IS NULL")
    with CaptureQueriesContext(connection) as filtered:
        _response, page = get(client, f"{ITEMS}?filter={query}")
    assert page["numberMatched"] == 2
    assert len(filtered.captured_queries) == len(plain.captured_queries)


def test_a_filter_sees_only_what_the_map_shows(client, district, categories):
    """A report waiting for moderation is on the map without its description
    (territories/reports/layers.py): a filter on the description cannot find it."""
    hidden = report_at(0, 0, status="moderation", description="Секретная яма у дома")
    shown = report_at(50, 0, status="open", description="Открытая яма у дома")
    url = "/ogc/collections/reports/items?filter="
    _response, page = get(client, url + quote("description LIKE '%яма%'"))
    assert [f["id"] for f in page["features"]] == [shown.pk]
    _response, page = get(client, url + quote("description LIKE 'Секрет%'"))
    assert page["numberMatched"] == 0
    _response, page = get(client, url + quote("description IS NULL"))
    assert [f["id"] for f in page["features"]] == [hidden.pk]
