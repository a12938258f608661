"""The OpenAPI schema's layer operations, written from the layer catalogue, and the
401 of every operation that reads a token.

One view serves every layer at /api/layers/{name}/, but each layer takes its own
filters (geo.layers.Layer.parameters), and a filter of one layer is refused by
another. So the schema has one operation per layer, with the parameters that layer
checks, each with the schema of the cast that checks it; the layer name of a single
feature's path is an enum of the catalogue (docs/architecture.md, "Refusing what
cannot be served")."""

import copy

from django.utils.translation import gettext as _

from geo.layers import layers
from geo.tiles import MAX_ZOOM

FEATURES = "/api/layers/{name}/"
FEATURE = "/api/layers/{name}/{id}/"


def layer_operations(result, generator, request, public):
    """A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS)."""
    paths = {}
    for path, item in result["paths"].items():
        if path == FEATURES:
            paths |= {
                f"/api/layers/{layer.name}/": {"get": _features(item["get"], layer)}
                for layer in layers.values()
            }
            continue
        if path == FEATURE:
            item = _with_layer_names(item)
        paths[path] = item
    result["paths"] = paths
    return result


def _features(template, layer):
    operation = copy.deepcopy(template)
    operation["operationId"] = f"layers_{layer.name}_features"
    operation["summary"] = f"{layer.title_ru} / {layer.title_en}"
    operation["parameters"] = [
        {"in": "query", "name": name, "schema": schema, "description": description}
        for name, schema, description in _map_parameters(layer)
    ]
    if layer.bound is not None:
        operation["description"] += BOUNDED
    return operation


# The map's endpoint of a bounded layer (geo/bounds.py) takes `zoom` too; the OGC
# API, which reads the same `Layer.parameters`, does not.
ZOOM = {"type": "integer", "minimum": 0, "maximum": MAX_ZOOM}
BOUNDED = (
    " Bounded layer (docs/architecture.md, «Bounded layers»): without the parameters "
    "of its catalogue entry's `bound.asks` it sends its default selection; with "
    "`zoom` below `bound.cluster_below` and more than `bound.cluster_over` features it "
    "sends clusters (properties cluster, count, "
    "extent); at most `bound.limit` features, the collection's members `limited`, "
    "`numberMatched`, `limit`, `clustered` and the headers Layer-Limited, "
    "Layer-Number-Matched say whether the answer was cut (`numberMatched` and "
    "Layer-Number-Matched are left out when a cut answer of points was counted only "
    "up to the limit)."
)


def _map_parameters(layer):
    parameters = layer.parameters()
    if layer.bound is not None:
        parameters.append(
            ("zoom", ZOOM, _("масштаб карты: ниже порога слой приходит кластерами"))
        )
    return parameters


def _with_layer_names(item):
    item = copy.deepcopy(item)
    for parameter in item["get"]["parameters"]:
        if parameter["name"] == "name":
            parameter["schema"] = {"type": "string", "enum": sorted(layers)}
            parameter["description"] = _("слой из каталога /api/layers/")
    return item


def token_refusals(result, generator, request, public):
    """A drf-spectacular postprocessing hook: every operation that reads a token
    answers a wrong one with 401 {field, error} (geo/api/auth.py), whether or not
    its view declares it."""
    for item in result["paths"].values():
        for operation in item.values():
            if any("tokenAuth" in scheme for scheme in operation.get("security", [])):
                operation["responses"].setdefault("401", UNAUTHENTICATED)
    return result


UNAUTHENTICATED = {
    "description": "Wrong or missing token / неверный токен или его нет",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
