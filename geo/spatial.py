"""PostGIS expressions that render features to RFC 7946 GeoJSON inside the database."""

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import Polygon
from django.db.models import CharField, Count, Expression, F, TextField, Value

from .wgs84 import to_wgs84


class AsFeature(Expression):
    """One GeoJSON Feature as text: geometry in EPSG:4326 with at most `precision`
    decimals and counter-clockwise exterior rings; properties from `properties`
    (name → expression). `srid` and `flip` serve another CRS (the OGC API's `crs=`,
    geo/ogc/): latitude first for EPSG:4326 by its definition, or metres with
    centimetre precision."""

    output_field = TextField()

    def __init__(self, geom, pk, properties, precision=None, srid=4326, flip=False):
        super().__init__()
        self.geom, self.pk = geom, pk
        self.properties = dict(properties)
        self.srid, self.flip = int(srid), bool(flip)
        if precision is None:
            precision = 6 if self.srid == 4326 else 2
        self.precision = precision

    def get_source_expressions(self):
        return [self.geom, self.pk, *self.properties.values()]

    def set_source_expressions(self, exprs):
        self.geom, self.pk, *values = exprs
        self.properties = dict(zip(self.properties, values, strict=True))

    def resolve_expression(self, *args, **kwargs):
        clone = self.copy()
        clone.geom = _as_expression(self.geom).resolve_expression(*args, **kwargs)
        clone.pk = _as_expression(self.pk).resolve_expression(*args, **kwargs)
        clone.properties = {
            name: _as_expression(expr).resolve_expression(*args, **kwargs)
            for name, expr in self.properties.items()
        }
        return clone

    def as_sql(self, compiler, connection):
        geom_sql, geom_params = compiler.compile(self.geom)
        pk_sql, pk_params = compiler.compile(self.pk)
        pairs, pair_params = [], []
        for name, expr in self.properties.items():
            sql, params = compiler.compile(expr)
            # Property names come from code (layer definitions), never from a request.
            assert name.isidentifier(), name
            pairs.append(f"'{name}', {sql}")
            pair_params += params
        projected = f"ST_ForcePolygonCCW(ST_Transform({geom_sql}, {self.srid}))"
        if self.flip:
            projected = f"ST_FlipCoordinates({projected})"
        geometry = f"ST_AsGeoJSON({projected}, {int(self.precision)})"
        properties = f"json_build_object({', '.join(pairs)})::text"
        sql = (
            f"""('{{"type":"Feature","id":' || ({pk_sql}) || ',"geometry":' """
            f"""|| {geometry} || ',"properties":' || {properties} || '}}')"""
        )
        return sql, (*pk_params, *geom_params, *pair_params)


def _as_expression(value):
    if isinstance(value, str):
        return F(value)
    if hasattr(value, "resolve_expression"):
        return value
    return Value(value)


def layer_statistics(querysets):
    """{layer name: (count, (minlon, minlat, maxlon, maxlat) or None)} for
    {layer name: queryset}: what each layer publishes (its own filters apply), in one
    UNION ALL query."""
    parts = [
        queryset.order_by()
        .annotate(layer=Value(name, output_field=CharField()))
        .values("layer")
        .annotate(n=Count("pk"), extent=Extent("geom"))
        .values_list("layer", "n", "extent")
        for name, queryset in querysets.items()
    ]
    if not parts:
        return {}
    rows = parts[0].union(*parts[1:], all=True)
    found = {name: (n, _to_wgs84(extent)) for name, n, extent in rows}
    return {name: found.get(name, (0, None)) for name in querysets}


def _to_wgs84(extent):
    """A stored-CRS extent as the WGS 84 box around its four corners."""
    if extent is None:
        return None
    box = Polygon.from_bbox(extent)
    box.srid = settings.GIS_SRID
    return to_wgs84(box).extent


def cluster_sql(inner, cell_m, zoom, limit):
    """SQL of the points of `inner` (a query with `geom` in GIS_SRID; its parameters
    are the statement's) counted on a grid of `cell_m` metres of the metric CRS: per
    occupied cell (the fullest first, at most `limit`) the total count of the points
    and the cell as a GeoJSON Feature at the points' mean, with properties `cluster`,
    `count` and `extent` (the points' WGS 84 box, for zooming in). The grid is in
    metres, not degrees, so cells are squares on the ground (docs/architecture.md,
    "Bounded layers")."""
    srid, cell, zoom, limit = (
        int(settings.GIS_SRID),
        float(cell_m),
        int(zoom),
        int(limit),
    )
    # The cells are counted and cut first; each one kept is then drawn once: its
    # mean and its box each transformed to WGS 84 a single time.
    return f"""
        SELECT total,
               json_build_object(
                   'type', 'Feature',
                   'id', 'cluster-{zoom}-' || i || '-' || j,
                   'geometry', ST_AsGeoJSON(ST_Transform(
                       ST_SetSRID(ST_MakePoint(mean_x, mean_y), {srid}), 4326), 6
                   )::json,
                   'properties', json_build_object(
                       'cluster', true,
                       'count', n,
                       'extent', json_build_array(
                           round(ST_XMin(box)::numeric, 6),
                           round(ST_YMin(box)::numeric, 6),
                           round(ST_XMax(box)::numeric, 6),
                           round(ST_YMax(box)::numeric, 6)))
               )::text
          FROM (SELECT sum(count(*)) OVER ()::bigint AS total, i, j, count(*) AS n,
                       avg(x) AS mean_x, avg(y) AS mean_y,
                       ST_Transform(ST_MakeEnvelope(
                           min(x), min(y), max(x), max(y), {srid}), 4326) AS box
                  FROM (SELECT ST_X(q.geom) AS x, ST_Y(q.geom) AS y,
                               floor(ST_X(q.geom) / {cell!r})::bigint AS i,
                               floor(ST_Y(q.geom) / {cell!r})::bigint AS j
                          FROM ({inner}) AS q) AS points
                 GROUP BY i, j
                 ORDER BY count(*) DESC, i, j
                 LIMIT {limit}) AS cells
         ORDER BY n DESC, i, j"""
