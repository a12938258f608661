"""Mapbox Vector Tiles of the layer catalogue, cut and encoded in PostGIS
(docs/architecture.md, "Vector tiles"). A layer declares only its zoom range and the
properties its tiles carry (`TileOptions`); the rest is generic: the layer's own
public queryset and property expressions, wrapped in one `ST_AsMVT` statement."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from .numbers import whole_number
from .spatial import _as_expression

MAX_ZOOM = 22
EXTENT = 4096  # tile coordinates per side, MVT's usual
BUFFER = 64  # coordinates kept beyond each edge, so that fills and lines join
WORLD = 2 * 20037508.342789244  # the side of the Web Mercator square, metres
PREFIX = "mvt_"  # the inner query's aliases: a property may share a field's name


@dataclass(frozen=True)
class TileOptions:
    """What a layer serves as tiles: zoom levels [minzoom, maxzoom] and the names of
    its properties that each feature carries (None: all of them)."""

    minzoom: int = 0
    maxzoom: int = MAX_ZOOM
    properties: tuple | None = None

    def __post_init__(self):
        assert 0 <= self.minzoom <= self.maxzoom <= MAX_ZOOM, self


class TileError(ValueError):
    """A z/x/y that names no tile of a layer; `part` is "z", "x" or "y"; `missing`
    when the tile exists in the grid but not in the layer's zoom range."""

    def __init__(self, part, message, missing=False):
        super().__init__(message)
        self.part, self.missing = part, missing


def tile_properties(layer):
    """{name: expression} of the layer's properties that go into its tiles."""
    names = layer.tiles.properties
    if names is None:
        return dict(layer.properties)
    return {name: layer.properties[name] for name in names}


def envelope_sql(srid):
    """SQL of the tile plus its buffer as a polygon in `srid`, with the parameters
    z, x, y, margin, step. The edges are densified before the transformation, so the
    bounding box that `&&` compares (through the column's index) covers the whole
    tile however the two grids are turned to each other."""
    return (
        "ST_Transform(ST_Segmentize(ST_Expand(ST_TileEnvelope(%s, %s, %s), %s), %s), "
        f"{int(srid)})"
    )


def tile_rows(layer):
    """The layer's public queryset: id, geometry and the tile's properties under
    PREFIX aliases. The same for every tile: the tile's envelope is applied around
    it (`tile_sql`), and PostgreSQL pushes that condition down to the table's
    spatial index."""
    columns = {
        f"{PREFIX}{name}": _as_expression(expr)
        for name, expr in tile_properties(layer).items()
    }
    return (
        layer.select({})
        .order_by()
        .values(
            **{
                f"{PREFIX}id": _as_expression("pk"),
                f"{PREFIX}geom": _as_expression("geom"),
            },
            **columns,
        )
    )


STATEMENTS = {}  # (id(layer), version) → (layer, SQL, parameters)
STATEMENTS_KEPT = 256


def tile_statement(layer, version):
    """(SQL, parameters of the layer's query) of the layer's tiles: z, x, y go around
    them (`tile_sql`). Compiling the ORM query cost as much as running it, so it is
    kept per layer and version: the version covers everything the query depends on
    — tables, settings and, for layers that select by the clock, the moment their
    selection next changes (docs/architecture.md, "Layers and their versions")."""
    key = (id(layer), version)
    kept = STATEMENTS.get(key)
    # The layer itself is kept with its statement, so its id is not reused.
    if kept is not None and kept[0] is layer:
        return kept[1:]
    inner, params = tile_rows(layer).query.sql_with_params()
    names = tile_properties(layer)
    for name in names:
        # Property names come from code (layer definitions), never from a request.
        assert name.isidentifier(), name
    properties = "".join(f', q."{PREFIX}{name}" AS "{name}"' for name in names)
    sql = (
        f"SELECT ST_AsMVT(t.*, %s, {EXTENT}, 'geom', 'id') FROM ("
        f'SELECT q."{PREFIX}id" AS id, ST_AsMVTGeom(ST_Transform(q."{PREFIX}geom", '
        f"3857), ST_TileEnvelope(%s, %s, %s), {EXTENT}, {BUFFER}, true) AS geom"
        f"{properties} FROM ({inner}) AS q "
        f'WHERE q."{PREFIX}geom" && {envelope_sql(settings.GIS_SRID)}'
        ") AS t WHERE t.geom IS NOT NULL"
    )
    if len(STATEMENTS) >= STATEMENTS_KEPT:
        STATEMENTS.clear()
    STATEMENTS[key] = (layer, sql, tuple(params))
    return sql, tuple(params)


def tile_sql(layer, z, x, y, version=None):
    """(SQL, params) of the tile as one bytea: the layer's rows within the tile's
    envelope, their geometry in EPSG:3857 clipped and quantised by ST_AsMVTGeom,
    encoded by ST_AsMVT."""
    if version is None:
        version, _modified = layer.version({})
    sql, params = tile_statement(layer, version)
    margin = WORLD / (1 << z) * BUFFER / EXTENT
    return sql, (layer.name, z, x, y, *params, z, x, y, margin, margin * 4)


def render_tile(layer, z, x, y, version=None):
    """The tile as MVT bytes (empty when no feature falls in it)."""
    sql, params = tile_sql(layer, z, x, y, version)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        data = cursor.fetchone()[0]
    return bytes(data or b"")


LATEST = {}  # id(layer) → the version its tiles' statement was last compiled for


def render_with_version(layer, z, x, y):
    """(ETag, MVT bytes) in one statement: the layer's table changes and the
    tile, read from one snapshot, so the ETag is that of the very rows in the body,
    and a tile costs one round trip. The statement is the one compiled for the
    layer's latest version; if the changes read say the version moved on, it is
    compiled again and the tile rendered again. A layer whose version reads more than
    its tables (`version_in_one_statement` False: the events' clock) takes two
    statements."""
    from .layers import TABLE_CHANGES

    compiled = LATEST.get(id(layer))
    if not layer.version_in_one_statement or compiled is None:
        version, _modified = layer.version({})
        LATEST[id(layer)] = version
        return tile_etag_of(version, layer, z, x, y), render_tile(
            layer, z, x, y, version
        )
    sql, params = tile_sql(layer, z, x, y, compiled)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.*, t.* FROM ({TABLE_CHANGES}) AS c, ({sql}) AS t",
            (list(layer.tables), *params),
        )
        names, times, data = cursor.fetchone()
    changed = dict(zip(names or (), times or (), strict=True))
    version, _modified = layer.version_of(changed, {})
    if version != compiled:
        LATEST[id(layer)] = version
        data = render_tile(layer, z, x, y, version)
    return tile_etag_of(version, layer, z, x, y), bytes(data or b"")


def zoom_level(raw, refuse):
    """`raw` as a zoom level 0…MAX_ZOOM, or `refuse(message)` raises: one check for
    the tiles' `z` and the map's `zoom` (geo/bounds.py)."""
    zoom = whole_number(raw, 0, MAX_ZOOM)
    if zoom is None:
        refuse(
            _("«%(value)s» — ожидается целое число от 0 до %(high)d")
            % {"value": raw, "high": MAX_ZOOM}
        )
    return zoom


def check_tile(layer, z, x, y):
    """(z, x, y) as numbers if they name a tile the layer serves, else TileError."""

    def refuse(message):
        raise TileError("z", message)

    zoom = zoom_level(z, refuse)
    size = 1 << zoom
    numbers = {}
    for part, raw in (("x", x), ("y", y)):
        numbers[part] = whole_number(raw, 0, size - 1)
        if numbers[part] is None:
            raise TileError(
                part,
                _(
                    "«%(value)s» — на уровне %(zoom)d ожидается целое число "
                    "от 0 до %(high)d"
                )
                % {"value": raw, "zoom": zoom, "high": size - 1},
            )
    options = layer.tiles
    if not options.minzoom <= zoom <= options.maxzoom:
        # A 404, not a 400: the address is well-formed, the layer has no such tile
        # (its TileJSON says minzoom/maxzoom, so map clients do not ask).
        raise TileError(
            "z",
            _("слой «%(name)s» отдаёт тайлы с уровня %(min)d по %(max)d")
            % {"name": layer.name, "min": options.minzoom, "max": options.maxzoom},
            missing=True,
        )
    return zoom, numbers["x"], numbers["y"]


def tile_etag(layer, z, x, y):
    """(the layer's version, the tile's ETag): the layer's version (its tables,
    settings) with z/x/y and what the layer puts in tiles."""
    version, _modified = layer.version({})
    return version, tile_etag_of(version, layer, z, x, y)


def tile_etag_of(version, layer, z, x, y):
    parts = [version, f"{z}/{x}/{y}", repr(layer.tiles)]
    return '"' + hashlib.sha1("|".join(parts).encode()).hexdigest()[:32] + '"'
