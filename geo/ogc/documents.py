"""The JSON documents of OGC API – Features, built from the layer catalogue: the
landing page, conformance, collections and the OpenAPI 3.0 description. Shapes as in
OGC 17-069r4 (Part 1) and as pygeoapi and tipg serve them."""

from .cql2 import MAX_LENGTH as MAX_FILTER_LENGTH
from .params import CRS84, DEFAULT_LIMIT, MAX_LIMIT, storage_crs, supported

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA = "application/schema+json"
QUERYABLES = "http://www.opengis.net/def/rel/ogc/1.0/queryables"

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    # Part 3 and CQL2: what geo/ogc/filtering.py and cql2.py serve.
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
]
TITLE = "Angarsk TOS — OGC API Features"


def link(href, rel, type_, title=None):
    entry = {"href": href, "rel": rel, "type": type_}
    if title:
        entry["title"] = title
    return entry


def self_links(url, json_type=JSON):
    """`self` in the encoding asked for and `alternate` in the other one; the caller
    tells which is which by `url(f)`."""
    return [
        link(url("json"), "self", json_type, "This document as JSON"),
        link(url("html"), "alternate", HTML, "This document as HTML"),
    ]


def landing(base, url):
    return {
        "title": TITLE,
        "description": (
            "Public layers of the Angarsk neighbourhood self-government (TOS) "
            "platform as OGC API – Features collections."
        ),
        "links": [
            *self_links(url),
            link(f"{base}api", "service-desc", OPENAPI, "OpenAPI 3.0 definition"),
            link(f"{base}conformance", "conformance", JSON, "Conformance classes"),
            link(
                f"{base}conformance",
                "http://www.opengis.net/def/rel/ogc/1.0/conformance",
                JSON,
                "Conformance classes",
            ),
            link(f"{base}collections", "data", JSON, "Collections"),
            link(
                f"{base}collections",
                "http://www.opengis.net/def/rel/ogc/1.0/data",
                JSON,
                "Collections",
            ),
        ],
    }


def collection(base, layer, extent):
    """A layer as a collection; `extent` is its CRS84 box from the layer statistics
    (None when it is empty)."""
    href = f"{base}collections/{layer.name}"
    entry = {
        "id": layer.name,
        "title": layer.title_en,
        "description": f"{layer.title_ru} / {layer.title_en} ({layer.geometry_type})",
        "itemType": "feature",
        "crs": list(supported()),
        "storageCrs": storage_crs(),
        "links": [
            link(href, "self", JSON, layer.title_en),
            link(f"{href}?f=html", "alternate", HTML, layer.title_en),
            link(f"{href}/items", "items", GEOJSON, "Items as GeoJSON"),
            link(f"{href}/items?f=html", "items", HTML, "Items as HTML"),
            link(f"{href}/queryables", QUERYABLES, SCHEMA, "Queryables"),
        ],
    }
    if extent is not None:
        entry["extent"] = {"spatial": {"bbox": [list(extent)], "crs": CRS84}}
    return entry


def collections(base, url, catalogue, statistics):
    return {
        "links": self_links(url),
        "collections": [
            collection(base, layer, statistics[layer.name][1])
            for layer in catalogue.values()
        ],
    }


def conformance():
    return {"conformsTo": CONFORMANCE}


def _parameter(name, schema, description="", required=False, where="query"):
    entry = {
        "name": name,
        "in": where,
        "required": required,
        "schema": schema,
        "style": "form",
        "explode": False,
    }
    if description:
        entry["description"] = description
    if where == "path":
        entry.pop("style")
        entry.pop("explode")
    return entry


def _responses(media, description, errors=(400, 404)):
    responses = {
        "200": {
            "description": description,
            "content": {media: {"schema": {"type": "object"}}},
        }
    }
    for code in errors:
        responses[str(code)] = {
            "description": {400: "Bad request", 404: "Not found"}[code],
            "content": {JSON: {"schema": {"$ref": "#/components/schemas/exception"}}},
        }
    return responses


def _get(operation_id, summary, media, parameters=(), errors=(400,)):
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "tags": ["OGC API – Features"],
            "parameters": [
                _parameter("f", {"type": "string", "enum": ["json", "html"]}),
                *parameters,
            ],
            "responses": _responses(media, summary, errors),
        }
    }


def openapi(base, catalogue):
    """The OpenAPI 3.0 document of this edge, one path per collection so that each
    lists its own filters (`Layer.parameters`)."""
    paths = {
        "/": _get("getLandingPage", "Landing page", JSON),
        "/conformance": _get("getConformance", "Conformance classes", JSON),
        "/collections": _get("getCollections", "Collections", JSON),
    }
    for layer in catalogue.values():
        name = layer.name
        own = [
            _parameter(
                "limit",
                {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_LIMIT,
                    "default": DEFAULT_LIMIT,
                },
                "Items per page",
            ),
            _parameter("offset", {"type": "integer", "minimum": 0, "default": 0}),
            _parameter(
                "bbox",
                {
                    "type": "array",
                    "minItems": 4,
                    "maxItems": 4,
                    "items": {"type": "number"},
                },
                "minx,miny,maxx,maxy in bbox-crs (CRS84 by default)",
            ),
            _parameter(
                "bbox-crs",
                {"type": "string", "format": "uri", "enum": list(supported())},
            ),
            _parameter(
                "crs", {"type": "string", "format": "uri", "enum": list(supported())}
            ),
        ]
        own += [
            _parameter(
                "filter",
                {"type": "string", "maxLength": MAX_FILTER_LENGTH},
                "CQL2 text over the collection's queryables: comparisons, AND/OR/NOT, "
                "IN, BETWEEN, LIKE, IS NULL, S_INTERSECTS(geometry, WKT or BBOX)",
            ),
            _parameter(
                "filter-lang", {"type": "string", "enum": ["cql2-text"]}, "cql2-text"
            ),
            _parameter(
                "filter-crs",
                {"type": "string", "format": "uri", "enum": list(supported())},
                "CRS of the filter's geometries (CRS84 by default)",
            ),
        ]
        if layer.datetime_field:
            own.append(
                _parameter(
                    "datetime",
                    {"type": "string"},
                    f"RFC 3339 instant or interval on `{layer.datetime_field}`",
                )
            )
        filters = [
            _parameter(param, schema, description)
            for param, schema, description in layer.parameters()
            if param != "bbox"
        ]
        paths[f"/collections/{name}"] = _get(
            f"describeCollection_{name}",
            f"{layer.title_en}: metadata",
            JSON,
            errors=(400, 404),
        )
        paths[f"/collections/{name}/queryables"] = _get(
            f"getQueryables_{name}",
            f"{layer.title_en}: queryables",
            SCHEMA,
            errors=(400, 404),
        )
        paths[f"/collections/{name}/items"] = _get(
            f"getFeatures_{name}", f"{layer.title_en}: features", GEOJSON, own + filters
        )
        paths[f"/collections/{name}/items/{{featureId}}"] = _get(
            f"getFeature_{name}",
            f"{layer.title_en}: one feature",
            GEOJSON,
            [_parameter("featureId", {"type": "integer"}, required=True, where="path")],
            errors=(400, 404),
        )
    return {
        "openapi": "3.0.3",
        "info": {"title": TITLE, "version": "1.0.0"},
        "servers": [{"url": base.rstrip("/")}],
        "paths": paths,
        "components": {
            "schemas": {
                "exception": {
                    "type": "object",
                    "required": ["code"],
                    "properties": {
                        "code": {"type": "string"},
                        "description": {"type": "string"},
                        "field": {"type": "string"},
                        "error": {"type": "string"},
                    },
                }
            }
        },
    }
