"""PostGIS expressions that render features to RFC 7946 GeoJSON inside the database."""

from django.db.models import Expression, F, TextField, Value


class AsFeature(Expression):
    """One GeoJSON Feature as text: geometry in EPSG:4326 with at most `precision`
    decimals and counter-clockwise exterior rings; properties from `properties`
    (name → expression)."""

    output_field = TextField()

    def __init__(self, geom, pk, properties, precision=6):
        super().__init__()
        self.geom, self.pk = geom, pk
        self.properties = dict(properties)
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
        geometry = (
            f"ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform({geom_sql}, 4326)), "
            f"{int(self.precision)})"
        )
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


def layer_statistics(tables):
    """{layer name: (count, (minlon, minlat, maxlon, maxlat) or None)} for
    {layer name: table}, in one UNION ALL query."""
    from django.conf import settings
    from django.db import connection

    if not tables:
        return {}
    parts = []
    for table in tables.values():
        parts.append(
            "SELECT %s, count(*), ST_Transform(ST_SetSRID(ST_Extent(geom)::geometry, "
            f"{int(settings.GIS_SRID)}), 4326) FROM {connection.ops.quote_name(table)}"
        )
    sql = (
        "SELECT name, n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM ("
        + " UNION ALL ".join(parts)
        + ") AS s(name, n, e)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(tables))
        rows = cursor.fetchall()
    return {
        name: (n, None if xmin is None else (xmin, ymin, xmax, ymax))
        for name, n, xmin, ymin, xmax, ymax in rows
    }
