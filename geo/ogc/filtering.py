"""Queryables and the `filter` of OGC API – Features Part 3 (docs/architecture.md,
"CQL2 filters"). A collection's queryables are its layer's declared properties, each
typed by its expression's output field, and its geometry: a layer registered later
has them with no code. A CQL2 tree (`geo.ogc.cql2`) becomes ORM conditions on
aliases of those same expressions, so a filter sees exactly what the features show
(a report's hidden description is NULL to it too); values are only ever query
parameters and names only ever the whitelist's."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import (
    GeometryCollection,
    GEOSException,
    LinearRing,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)
from django.core.exceptions import FieldError
from django.db import models
from django.db.models import F, Lookup, Q, Value
from django.utils.translation import gettext as _

from geo.bbox import BBoxError, parse_bbox
from geo.errors import QueryError

from . import cql2
from .cql2_reader import refuse

GEOMETRY = "geometry"
FILTER_LANG = "cql2-text"
# Each kind, the JSON Schema that says it, and the Python values that fit it.
KINDS = {
    "string": ({"type": "string"}, (str,)),
    "integer": ({"type": "integer"}, (int, float)),
    "number": ({"type": "number"}, (int, float)),
    "boolean": ({"type": "boolean"}, (bool,)),
    "date": ({"type": "string", "format": "date"}, (dt.date,)),
    "date-time": ({"type": "string", "format": "date-time"}, (dt.datetime,)),
}
ORDERED = ("integer", "number", "date", "date-time", "string")


@dataclass(frozen=True)
class Queryable:
    name: str
    expression: object
    kind: str
    choices: tuple = ()

    def schema(self):
        entry = {"title": self.name, **KINDS[self.kind][0]}
        if self.choices:
            entry["enum"] = list(self.choices)
        return entry

    def fits(self, value):
        if isinstance(value, bool) and self.kind != "boolean":
            return False
        if self.kind == "date" and isinstance(value, dt.datetime):
            return False
        return isinstance(value, KINDS[self.kind][1])


def kind_of(field):
    """The queryable kind of a model field, or None when CQL2 cannot compare it."""
    for types, kind in (
        ((models.BooleanField,), "boolean"),
        ((models.IntegerField, models.AutoField), "integer"),
        ((models.FloatField, models.DecimalField), "number"),
        ((models.DateTimeField,), "date-time"),
        ((models.DateField,), "date"),
        ((models.CharField, models.TextField), "string"),
    ):
        if isinstance(field, types):
            return kind
    return None


def queryables(layer):
    """{name: Queryable} of the layer's properties that CQL2 can compare, in the
    order the layer declares them. Resolving an expression reads no rows."""
    found = {}
    for name, expression in layer.properties.items():
        expression = F(expression) if isinstance(expression, str) else expression
        try:
            field = expression.resolve_expression(layer.queryset().query).output_field
        except (FieldError, AttributeError):
            continue
        kind = kind_of(field)
        if kind is not None:
            choices = tuple(value for value, _label in (field.choices or ()))
            found[name] = Queryable(name, expression, kind, choices)
    return found


GEOMETRY_FORMATS = {
    "Point": "geometry-point",
    "MultiPoint": "geometry-multipoint",
    "LineString": "geometry-linestring",
    "MultiLineString": "geometry-multilinestring",
    "Polygon": "geometry-polygon",
    "MultiPolygon": "geometry-multipolygon",
}


def schema(layer, url):
    """The queryables as a JSON Schema document (Part 3, "Queryables")."""
    properties = {
        GEOMETRY: {
            "title": GEOMETRY,
            "format": GEOMETRY_FORMATS.get(layer.geometry_type, "geometry-any"),
            "x-ogc-role": "primary-geometry",
        }
    }
    for name, queryable in queryables(layer).items():
        properties[name] = queryable.schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": url,
        "type": "object",
        "title": layer.title_en,
        "description": layer.title_ru,
        "properties": properties,
        "additionalProperties": False,
    }


class Like(Lookup):
    """`lhs LIKE pattern`: CQL2's wildcards % and _ are SQL's, and so is its escape
    character, the backslash; the pattern is a parameter."""

    lookup_name = "cql2_like"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", (*lhs_params, *rhs_params)


LOOKUPS = {"=": "exact", "<": "lt", ">": "gt", "<=": "lte", ">=": "gte"}


class Translation:
    """A CQL2 tree as a Q on the aliases `cql_<name>` of the queryables it names;
    `geometries` are S_INTERSECTS literals in the storage CRS."""

    def __init__(self, layer, crs):
        self.layer, self.crs = layer, crs
        self.known = queryables(layer)
        self.used = {}

    def alias(self, name, kinds=None, operator=None):
        queryable = self.known.get(name)
        if queryable is None:
            if name == GEOMETRY:
                raise refuse(
                    _("геометрия «%s» сравнивается только в S_INTERSECTS") % name
                )
            raise refuse(
                _("«%(name)s» — неизвестное свойство; у коллекции есть: %(known)s")
                % {"name": name, "known": ", ".join([GEOMETRY, *self.known])}
            )
        if kinds is not None and queryable.kind not in kinds:
            raise refuse(
                _("%(operator)s неприменим к свойству «%(name)s» (тип %(kind)s)")
                % {"operator": operator, "name": name, "kind": queryable.kind}
            )
        self.used[f"cql_{name}"] = queryable.expression
        return f"cql_{name}", queryable

    def value(self, queryable, value):
        """The literal as a typed parameter, after checking that it fits."""
        if not queryable.fits(value):
            raise refuse(
                _(
                    "«%(name)s» — свойство типа %(kind)s, значение %(value)s "
                    "другого типа"
                )
                % {
                    "name": queryable.name,
                    "kind": queryable.kind,
                    "value": literal(value),
                }
            )
        for python, field in (
            (bool, models.BooleanField),
            (dt.datetime, models.DateTimeField),
            (dt.date, models.DateField),
            (str, models.TextField),
            (float, models.FloatField),
        ):
            if isinstance(value, python):
                return Value(value, output_field=field())
        # A whole number beyond bigint goes as numeric, which PostgreSQL compares.
        return Value(value, output_field=models.IntegerField())

    def q(self, node):
        handler = getattr(self, f"q_{type(node).__name__.lower()}")
        return handler(node)

    def q_both(self, node):
        parts = [self.q(part) for part in node.parts]
        combined = parts[0]
        for part in parts[1:]:
            combined = (combined | part) if node.any_ else (combined & part)
        return combined

    def q_not(self, node):
        return ~self.q(node.part)

    def q_always(self, node):
        return Q(pk__isnull=not node.value)

    def q_compare(self, node):
        kinds = ORDERED if node.op not in ("=", "<>") else None
        alias, queryable = self.alias(node.name, kinds, node.op)
        value = self.value(queryable, node.value)
        if node.op == "<>":
            return ~Q(**{f"{alias}__exact": value})
        return Q(**{f"{alias}__{LOOKUPS[node.op]}": value})

    def q_in(self, node):
        alias, queryable = self.alias(node.name)
        return Q(**{f"{alias}__in": [self.value(queryable, v) for v in node.values]})

    def q_between(self, node):
        alias, queryable = self.alias(node.name, ORDERED[:4], "BETWEEN")
        low, high = (self.value(queryable, v) for v in (node.low, node.high))
        return Q(**{f"{alias}__gte": low, f"{alias}__lte": high})

    def q_like(self, node):
        alias, queryable = self.alias(node.name, ("string",), "LIKE")
        return Q(Like(F(alias), self.value(queryable, node.pattern)))

    def q_isnull(self, node):
        if node.name == GEOMETRY:
            return Q(geom__isnull=True)
        alias, _queryable = self.alias(node.name)
        return Q(**{f"{alias}__isnull": True})

    def q_intersects(self, node):
        if node.name != GEOMETRY:
            raise refuse(
                _(
                    "S_INTERSECTS: «%(name)s» — не геометрия; "
                    "геометрия коллекции — %(g)s"
                )
                % {"name": node.name, "g": GEOMETRY}
            )
        return Q(geom__intersects=stored(node.shape, self.crs))


def literal(value):
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP('{value.isoformat()}')"
    if isinstance(value, dt.date):
        return f"DATE('{value.isoformat()}')"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value).upper() if isinstance(value, bool) else str(value)


def check_language(params):
    """`filter-lang`: only CQL2 text, the default."""
    lang = params.get("filter-lang", FILTER_LANG)
    if lang != FILTER_LANG:
        raise QueryError(
            "filter-lang",
            _("«%(lang)s» не поддерживается; поддерживается: %(known)s")
            % {"lang": lang, "known": FILTER_LANG},
        )


def select(layer, queryset, text, crs):
    """`queryset` narrowed by the CQL2 text `text`, whose geometries are in `crs`
    (a geo.ogc.params.CRS)."""
    translation = Translation(layer, crs)
    condition = translation.q(cql2.parse(text))
    return queryset.alias(**translation.used).filter(condition)


# Geometry literals, from the filter CRS to the stored one.
def stored(shape, crs):
    """The literal as a GEOS geometry in settings.GIS_SRID. In lon/lat it is clipped
    to settings.GIS_AREA first, as a bbox is (geo/bbox.py): a UTM zone is only defined
    near its area; what lies outside selects nothing."""
    if shape.kind == "BBOX":
        return stored_bbox(shape.coordinates, crs)
    try:
        geometry = build(shape, crs.flip)
    except (GEOSException, ValueError, TypeError) as error:
        raise refuse(
            _("%(kind)s: неверная геометрия (%(why)s)")
            % {"kind": shape.kind, "why": error}
        ) from None
    if not geometry.valid:
        raise refuse(
            _("%(kind)s: неверная геометрия (%(why)s)")
            % {"kind": shape.kind, "why": geometry.valid_reason}
        )
    geometry.srid = crs.srid
    if crs.srid == settings.GIS_SRID:
        return geometry
    minx, miny, maxx, maxy = geometry.extent
    if not (-180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90):
        raise refuse(
            _("%s: долгота должна быть от -180 до 180, широта от -90 до 90")
            % shape.kind
        )
    area = Polygon.from_bbox(settings.GIS_AREA)
    area.srid = 4326
    try:
        clipped = geometry.intersection(area)
        if clipped.empty:
            return Polygon(srid=settings.GIS_SRID)
        return clipped.transform(settings.GIS_SRID, clone=True)
    except (GEOSException, GDALException) as error:
        raise refuse(f"{shape.kind}: {error}") from None


def stored_bbox(numbers, crs):
    minx, miny, maxx, maxy = numbers
    if crs.flip:
        minx, miny, maxx, maxy = miny, minx, maxy, maxx
    if crs.srid == settings.GIS_SRID:
        if minx >= maxx or miny >= maxy:
            raise refuse(
                _("BBOX: минимальные значения должны быть меньше максимальных")
            )
        box = Polygon.from_bbox((minx, miny, maxx, maxy))
        box.srid = crs.srid
        return box
    try:
        box = parse_bbox(",".join(str(n) for n in (minx, miny, maxx, maxy)))
    except BBoxError as error:
        raise refuse(f"BBOX: {error}") from None
    return box.polygon(settings.GIS_SRID)


def build(shape, flip):
    """A GEOS geometry of a Shape; (y, x) pairs read as (x, y) when `flip`."""

    def xy(pair):
        return (pair[1], pair[0]) if flip else pair

    def ring(points):
        return LinearRing([xy(p) for p in points])

    def polygon(rings):
        return Polygon(*(ring(r) for r in rings))

    def line(points):
        return LineString([xy(p) for p in points])

    c = shape.coordinates
    return {
        "POINT": lambda: Point(*xy(c)),
        "LINESTRING": lambda: line(c),
        "POLYGON": lambda: polygon(c),
        "MULTIPOINT": lambda: MultiPoint(*(Point(*xy(p)) for p in c)),
        "MULTILINESTRING": lambda: MultiLineString(*(line(p) for p in c)),
        "MULTIPOLYGON": lambda: MultiPolygon(*(polygon(p) for p in c)),
        "GEOMETRYCOLLECTION": lambda: GeometryCollection(
            *(build(member, flip) for member in c)
        ),
    }[shape.kind]()
