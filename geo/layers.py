"""The layer catalogue: which tables are published as GeoJSON layers, with which
properties and filters. Domain apps register their layers in `AppConfig.ready()`."""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .bbox import BBOX_PATTERN, BBoxError, parse_bbox
from .bounds import MapBound, map_answer, zoom_param
from .errors import QueryError
from .models import LayerState
from .numbers import INT_MAX, whole_number
from .spatial import AsFeature, layer_statistics
from .streaming import feature_collection
from .tiles import TileOptions

CHUNK_ROWS = 2000


@dataclass(frozen=True)
class Filter:
    """An attribute filter: `?<param>=value` (or `a,b,c` when `many`) → ORM lookup.
    `openapi` is the parameter's schema when the cast cannot tell it (see `schema`)."""

    param: str
    lookup: str
    cast: Callable[[str], object] = str
    many: bool = False
    description: str = ""
    openapi: dict | None = None

    def cast_value(self, value):
        """`value` through `cast`; QueryError names the parameter if it fails."""
        try:
            return self.cast(value)
        except ValueError as error:
            raise QueryError(self.param, str(error)) from None

    def apply(self, queryset, raw):
        values = [v.strip() for v in raw.split(",")] if self.many else [raw.strip()]
        values = [self.cast_value(v) for v in values]
        if self.many:
            return queryset.filter(**{f"{self.lookup}__in": values})
        return queryset.filter(**{self.lookup: values[0]})

    def schema(self):
        """The parameter's OpenAPI schema, from the cast that checks it (its
        `schema()`; text for a plain `str`), a comma list of them when `many`."""
        if self.openapi is not None:
            return self.openapi
        item = self.cast.schema() if hasattr(self.cast, "schema") else {}
        if not self.many:
            return item or {"type": "string"}
        if "enum" in item:
            codes = "|".join(re.escape(code) for code in item["enum"])
            return {"type": "string", "pattern": f"^({codes})(,({codes}))*$"}
        return {"type": "string"}


class Choice:
    """A cast that accepts only `allowed` values."""

    def __init__(self, *allowed):
        self.allowed = allowed

    def __call__(self, value):
        if value not in self.allowed:
            raise ValueError(
                _("«%(value)s» — нет такого значения; допустимы: %(allowed)s")
                % {"value": value, "allowed": ", ".join(self.allowed)}
            )
        return value

    def schema(self):
        return {"type": "string", "enum": list(self.allowed)}


def choice(*allowed):
    return Choice(*allowed)


class Whole:
    """A cast to a whole number within [low, high], ASCII digits only
    (geo/numbers.py): a year, an id."""

    def __init__(self, low=0, high=INT_MAX):
        self.low, self.high = low, high

    def __call__(self, value):
        number = whole_number(value, self.low, self.high)
        if number is None:
            raise ValueError(
                _("«%(value)s» — ожидается целое число от %(low)d до %(high)d")
                % {"value": value, "low": self.low, "high": self.high}
            )
        return number

    def schema(self):
        return {"type": "integer", "minimum": self.low, "maximum": self.high}


integer = Whole()


@dataclass
class Layer:
    """A queryset published as GeoJSON. `depends_on` (models or table names) and
    `depends_on_settings` (setting names) are what the output reads beyond the tables
    of its features' query (its own and the joined ones, found from the query), e.g.
    a table that a filter or a subquery reads; they make up the layer's version.
    `tiles` says at which zooms and with which properties it is served as vector
    tiles (geo/tiles.py); `map_tiles`, that the site's map draws it from them rather
    than from GeoJSON (a dense layer; docs/architecture.md, "Vector tiles")."""

    name: str
    title_ru: str
    title_en: str
    geometry_type: str
    queryset: Callable[[], QuerySet]
    properties: dict = field(default_factory=dict)
    filters: tuple = ()
    depends_on: tuple = ()
    depends_on_settings: tuple = ()
    # Zoom range and properties of its vector tiles (geo/tiles.py).
    tiles: TileOptions = field(default_factory=TileOptions)
    map_tiles: bool = False
    # The date (or date-time) field the OGC API's `?datetime=` selects on, or None
    # when the layer's features have no date of their own (geo/ogc/).
    datetime_field: str | None = None
    # How the map's endpoint bounds a layer that grows without limit (geo/bounds.py,
    # docs/architecture.md, "Bounded layers"); None: it sends the whole selection.
    bound: MapBound | None = None
    # Whether `version({})` reads only the layer's tables and settings, so a tile
    # and its version can come from one statement (geo/tiles.py,
    # `render_with_version`); a class whose version reads more says False.
    version_in_one_statement: ClassVar[bool] = True

    @cached_property
    def tables(self):
        """Every table whose change can change the output, sorted."""
        query = self._features(self.queryset()).query
        joined = {alias.table_name for alias in query.alias_map.values()}
        declared = {
            table if isinstance(table, str) else table._meta.db_table
            for table in self.depends_on
        }
        return tuple(sorted(joined | declared))

    def parameters(self):
        """(name, OpenAPI schema, description) of each query parameter it takes:
        bbox, then its filters, each as checked by `select`."""
        bbox = {"type": "string", "pattern": BBOX_PATTERN}
        return [
            ("bbox", bbox, "minlon,minlat,maxlon,maxlat (EPSG:4326)"),
            *((f.param, f.schema(), str(f.description)) for f in self.filters),
        ]

    def map_selection(self, params):
        """(queryset, zoom) of the map's endpoint: `select` without `zoom`, narrowed
        to the bound's default unless the query asks otherwise."""
        if self.bound is None:
            return self.select(params), None
        zoom, params = zoom_param(params)
        queryset = self.select(params)
        if self.bound.applies_default(params):
            queryset = self.bound.narrow(queryset)
        return queryset, zoom

    def map_answer(self, queryset, zoom):
        """The bounded answer (geo/bounds.py), or None for a layer without a bound
        (its whole selection is streamed)."""
        return None if self.bound is None else map_answer(self, queryset, zoom)

    def map_version(self, params):
        """`version` of a map answer: the bound's default depends on the day."""
        if self.bound is not None and self.bound.applies_default(params):
            params = {**params, "_default_day": timezone.now().date().isoformat()}
        return self.version(params)

    def select(self, params):
        """The queryset for query parameters (a dict): bbox plus filters."""
        by_param = {f.param: f for f in self.filters}
        unknown = sorted(set(params) - {"bbox", *by_param})
        if unknown:
            allowed = ", ".join(["bbox", *by_param])
            raise QueryError(
                unknown[0],
                _("неизвестный параметр; этот слой понимает: %s") % allowed,
            )
        # PostgreSQL cannot compare text with NUL in it; refused before any query
        # (the features are streamed, so a later error would cut the response).
        with_nul = sorted(param for param, value in params.items() if "\x00" in value)
        if with_nul:
            raise QueryError(with_nul[0], _("недопустимый символ NUL"))
        queryset = self.queryset()
        if "bbox" in params:
            try:
                queryset = queryset.in_bbox(parse_bbox(params["bbox"]))
            except BBoxError as error:
                raise QueryError("bbox", str(error)) from None
        for param, flt in by_param.items():
            if param in params:
                queryset = flt.apply(queryset, params[param])
        return queryset

    def _features(self, queryset, srid=4326, flip=False):
        return queryset.annotate(
            feature=AsFeature("geom", "pk", self.properties, srid=srid, flip=flip)
        ).values_list("feature", flat=True)

    def stream(self, queryset):
        """A FeatureCollection as text chunks, read through a server-side cursor so that
        neither the web process nor PostgreSQL holds the whole layer at once."""
        return feature_collection({}, self.batches(queryset))

    def batches(
        self, queryset, offset=0, limit=None, srid=4326, flip=False, order=("pk",)
    ):
        """The features of `queryset` in `order` (pk) as lists of GeoJSON texts, at
        most CHUNK_ROWS each; `offset` and `limit` take a page of them, `srid` and
        `flip` another CRS (geo/ogc/, `AsFeature`)."""
        rows = self._features(queryset.order_by(*order), srid, flip)
        if offset or limit is not None:
            rows = rows[offset : None if limit is None else offset + limit]
        # Inside a transaction the cursor needs no WITH HOLD, which would make
        # PostgreSQL materialise the whole result before the first row is sent. Only
        # reads happen here, so an enclosing transaction needs no savepoint either.
        with transaction.atomic(savepoint=False):
            batch = []
            for feature in rows.iterator(chunk_size=CHUNK_ROWS):
                batch.append(feature)
                if len(batch) == CHUNK_ROWS:
                    yield batch
                    batch = []
            if batch:
                yield batch

    def feature(self, pk, srid=4326, flip=False):
        """One feature as GeoJSON text, or None."""
        return self._features(self.queryset().filter(pk=pk), srid, flip).first()

    def version(self, params):
        """(ETag, last modified) of a response for these parameters, in one query:
        the last change of each of the layer's tables (recorded by their triggers),
        the settings it reads and the normalised query."""
        return self.version_of(table_changes(self.tables), params)

    def version_of(self, changed, params):
        """(ETag, last modified) from {table: last change} as read (`version`, or
        with a tile in its own statement, `geo.tiles.render_with_version`)."""
        # Every table's time goes into the digest, not only the latest: a change
        # committed late may carry an earlier time than another table's.
        parts = [
            self.name,
            *(f"{table}@{changed.get(table)}" for table in self.tables),
            *(
                f"{name}={getattr(settings, name)!r}"
                for name in self.depends_on_settings
            ),
            "&".join(f"{k}={params[k]}" for k in sorted(params)),
        ]
        digest = hashlib.sha1("|".join(parts).encode()).hexdigest()
        return f'"{digest[:32]}"', max(changed.values(), default=None)


# {table: last change} as two arrays, one parameter: the tables' names. Plain SQL, not
# the ORM: it runs before every tile and every layer response, and compiling the
# query cost more than running it (docs/architecture.md, "Vector tiles").
TABLE_CHANGES = (
    'SELECT array_agg("table" ORDER BY "table"), array_agg(changed_at ORDER BY '
    f'"table") FROM {LayerState._meta.db_table} WHERE "table" = ANY(%s)'
)


def table_changes(tables):
    """{table: last change} of these tables."""
    with connection.cursor() as cursor:
        cursor.execute(TABLE_CHANGES, [list(tables)])
        names, times = cursor.fetchone()
    return dict(zip(names or (), times or (), strict=True))


class LayerRegistry(dict):
    def register(self, layer):
        self[layer.name] = layer
        return layer

    def statistics(self):
        """Count and WGS 84 extent of every layer, in one query."""
        return layer_statistics(
            {name: layer.queryset() for name, layer in self.items()}
        )


layers = LayerRegistry()
