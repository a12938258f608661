"""Vector tiles and TileJSON of the layer catalogue (docs/architecture.md, "Vector
tiles"). Plain Django views, outside the REST API's OpenAPI document: map clients
read them through TileJSON, the format made for them. Refusals are the API's
{"field", "error"} JSON."""

from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .layers import layers
from .spatial import _as_expression, layer_statistics
from .tiles import (
    MAX_ZOOM,
    TileError,
    check_tile,
    render_tile,
    render_with_version,
    tile_etag,
    tile_properties,
)

MVT = "application/vnd.mapbox-vector-tile"
# The Web Mercator world in WGS 84, TileJSON's default bounds.
WORLD_BOUNDS = [-180, -85.051129, 180, 85.051129]


def refusal(field, message, status):
    return JsonResponse({"field": field, "error": str(message)}, status=status)


def unknown_layer(name):
    return refusal(
        "layer",
        _("слой «%(name)s» не найден; есть: %(known)s")
        % {"name": name, "known": ", ".join(layers)},
        404,
    )


def cached(response, etag):
    response["ETag"] = etag
    # Public, but asked again each time: the ETag makes that a 304.
    patch_cache_control(response, public=True, no_cache=True)
    return response


@require_safe
def tile(request, layer, z, x, y):
    """A tile as MVT; 204 when empty; 400 for a z/x/y outside the grid, 404 for a
    zoom outside the layer's range."""
    found = layers.get(layer)
    if found is None:
        return unknown_layer(layer)
    try:
        z, x, y = check_tile(found, z, x, y)
    except TileError as refused:
        return refusal(refused.part, refused, 404 if refused.missing else 400)
    if request.headers.get("If-None-Match"):
        version, etag = tile_etag(found, z, x, y)
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        data = render_tile(found, z, x, y, version)
    else:
        # Nothing to compare: the version and the tile in one statement.
        etag, data = render_with_version(found, z, x, y)
    if not data:
        return cached(HttpResponse(status=204), etag)
    return cached(HttpResponse(data, content_type=MVT), etag)


@require_safe
def tilejson(request, layer):
    """TileJSON 3.0.0 of a layer: where its tiles are, zooms, bounds, fields."""
    found = layers.get(layer)
    if found is None:
        return unknown_layer(layer)
    # The document names its tiles by absolute URL: the host asked is part of it.
    base = request.build_absolute_uri("/")
    etag, _modified = found.version({"_tilejson": "1", "_base": base})
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    _count, extent = layer_statistics({found.name: found.select({})})[found.name]
    options = found.tiles
    template = request.build_absolute_uri(f"/tiles/{found.name}/") + "{z}/{x}/{y}.mvt"
    fields = {name: field_type(found, name) for name in tile_properties(found)}
    bounds = list(extent) if extent else WORLD_BOUNDS
    document = {
        "tilejson": "3.0.0",
        "name": found.name,
        "description": f"{found.title_ru} / {found.title_en}",
        "scheme": "xyz",
        "tiles": [template],
        "minzoom": options.minzoom,
        "maxzoom": options.maxzoom,
        "bounds": bounds,
        "center": [
            (bounds[0] + bounds[2]) / 2,
            (bounds[1] + bounds[3]) / 2,
            max(options.minzoom, min(14, MAX_ZOOM)),
        ],
        "vector_layers": [
            {
                "id": found.name,
                "description": found.title_en,
                "minzoom": options.minzoom,
                "maxzoom": options.maxzoom,
                "fields": fields,
            }
        ],
    }
    return cached(
        JsonResponse(document, json_dumps_params={"ensure_ascii": False}), etag
    )


NUMBERS = {
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "FloatField",
    "DecimalField",
    "AutoField",
    "BigAutoField",
}


def field_type(layer, name):
    """A property's type in TileJSON's words: Number, Boolean or String (dates and
    everything else are text in a tile)."""
    queryset = layer.queryset().annotate(
        tile_field=_as_expression(layer.properties[name])
    )
    kind = queryset.query.annotations["tile_field"].output_field.get_internal_type()
    if kind in NUMBERS:
        return "Number"
    if kind == "BooleanField":
        return "Boolean"
    return "String"
