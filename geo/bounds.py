"""Bounded layers: what the map's endpoint (/api/layers/<name>/) sends of a layer that
grows without limit (docs/architecture.md, "Bounded layers"). The layer's own
`select` stays complete — the OGC API pages through all of it and tiles cut it by
area —; only the map's answer is bounded, and always says so:

- by default a narrower set (`MapBound.narrow`, e.g. the reports that are active or
  recently closed) unless the query asks for something else;
- below `cluster_below` (the map's `zoom`), when more than LAYER_MAP_CLUSTER_OVER
  features match, clusters counted in SQL on a grid of about `cell_px` screen pixels
  instead of the points (fewer points come as they are: the browser groups them);
- at most `LAYER_MAP_CAP` features; beyond it the answer is cut, and its members
  `limited`, `numberMatched` and `limit` (and the headers Layer-Limited,
  Layer-Number-Matched) say so."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_lazy

from .errors import QueryError
from .spatial import cluster_sql
from .streaming import feature_collection
from .tiles import WORLD, zoom_level

TILE_PX = 256  # the side of a web map's tile, pixels


@dataclass(frozen=True)
class MapBound:
    """How the map's endpoint bounds a layer. `narrow(queryset, params)` is the
    default selection when `params` name none of `asks` (the parameters that choose
    for themselves, e.g. `status`); `cluster_below` the zoom under which points come
    as clusters (None: never)."""

    narrow: Callable | None = None
    asks: tuple = ()
    cluster_below: int | None = None
    cell_px: int = 60
    description: str = ""

    @staticmethod
    def cap():
        return settings.LAYER_MAP_CAP

    @staticmethod
    def cluster_over():
        return settings.LAYER_MAP_CLUSTER_OVER

    def clusters_below(self, zoom):
        """Whether the answer at `zoom` is clusters if enough features match."""
        below = self.cluster_below is not None and zoom is not None
        return below and zoom < self.cluster_below

    def applies_default(self, params):
        return self.narrow is not None and not any(p in params for p in self.asks)

    def catalogue(self):
        """The catalogue entry's `bound`: what a client needs to read the answers."""
        return {
            "limit": self.cap(),
            "cluster_below": self.cluster_below,
            "cluster_over": self.cluster_over(),
            "default": str(self.description),
            "asks": list(self.asks),
        }


# For a layer that grows with every season or round but has no narrower default
# (contest entries, forum projects): all of it, at most LAYER_MAP_CAP in one answer,
# and a cut answer says so (docs/architecture.md, "Bounded layers").
CAPPED = MapBound(
    description=gettext_lazy("все, не больше LAYER_MAP_CAP в одном ответе")
)


def zoom_param(params):
    """`zoom` out of the query parameters (a new dict without it), as a number or
    None; QueryError when it is not a whole number 0…22."""
    params = dict(params)
    raw = params.pop("zoom", None)
    if raw is None:
        return None, params

    def refuse(message):
        raise QueryError("zoom", message)

    return zoom_level(raw.strip(), refuse), params


def cell_metres(zoom, cell_px):
    """The side of a cluster's grid cell, metres: `cell_px` pixels at `zoom` on the
    equator of Web Mercator. At Angarsk's 52.5° N a metre of the metric CRS is 1.6 of
    Mercator's, so a cell looks about 1.6 × `cell_px` wide on the screen."""
    return WORLD / (TILE_PX << zoom) * cell_px


@dataclass
class MapAnswer:
    """One answer of the map's endpoint: points (a queryset) or clusters (rows of
    GeoJSON text), how many the query matched and whether the answer was cut."""

    layer: object
    queryset: object
    matched: int | None  # None: not counted beyond the cap
    limited: bool
    clusters: list | None = None

    @property
    def members(self):
        """The FeatureCollection's members besides its features; `numberMatched`
        only when it was counted (a cut answer of points says only that more than
        `limit` matched)."""
        counted = {} if self.matched is None else {"numberMatched": self.matched}
        return {
            **counted,
            "limited": self.limited,
            "limit": MapBound.cap(),
            "clustered": self.clusters is not None,
        }

    @property
    def headers(self):
        counted = self.matched is not None
        return {
            "Layer-Limited": "true" if self.limited else "false",
            **({"Layer-Number-Matched": str(self.matched)} if counted else {}),
        }

    def chunks(self):
        """The FeatureCollection as text chunks; the features come last."""
        if self.clusters is not None:
            batches = [self.clusters] if self.clusters else []
        else:
            cap = MapBound.cap()
            batches = self.layer.batches(self.queryset, limit=cap, order=("-pk",))
        return feature_collection(self.members, batches)


def map_answer(layer, queryset, zoom):
    """The bounded answer for `queryset` (the layer's selection, narrowed) at `zoom`."""
    bound, cap = layer.bound, MapBound.cap()
    if bound.clusters_below(zoom):
        # The clusters' query counts everything matched: a few come as points.
        rows = clusters(queryset, zoom, bound.cell_px, cap)
        matched = rows[0][0] if rows else 0
        if matched > bound.cluster_over():
            texts = [text for _total, text in rows]
            return MapAnswer(layer, queryset, matched, len(texts) > cap, texts[:cap])
        return MapAnswer(layer, queryset, matched, matched > cap)
    # Counted up to cap + 1 rows only, which costs what the answer costs: a cut
    # answer says it was cut and that more than `limit` matched, not how many
    # more, which would cost a count of the whole history (docs/architecture.md,
    # "Bounded layers").
    head = queryset.order_by()[: cap + 1].count()
    if head > cap:
        return MapAnswer(layer, queryset, None, True)
    return MapAnswer(layer, queryset, head, False)


def clusters(queryset, zoom, cell_px, cap):
    """[(reports matched in all, cluster Feature as text)] of at most cap + 1 grid
    cells, the fullest first."""
    inner, params = queryset.order_by().values("geom").query.sql_with_params()
    sql = cluster_sql(inner, cell_metres(zoom, cell_px), zoom, cap + 1)
    with connection.cursor() as cursor:
        # Without parallel workers: the planner's estimate of the GeoJSON it builds
        # makes a worker look worth it, but starting one cost 12 ms where a 1 km
        # box of 300,000 reports takes 5 ms serially (20 ms with it); for the whole
        # city it saves 12 % (docs/architecture.md, "Reports at scale"). One round
        # trip: the two statements of one query string run as one transaction, to
        # which SET LOCAL applies (client-side binding sends them as one).
        cursor.execute(f"SET LOCAL max_parallel_workers_per_gather = 0; {sql}", params)
        cursor.nextset()
        return cursor.fetchall()
