"""Import of an OpenStreetMap extract into buildings, grounds, trees and the ways
people walk (`manage.py import_osm`). The whole file is read and repaired before
anything is written, and the writes are one transaction: a file that fails midway
leaves the database as it was. Rows are matched by `osm_id`, so a re-run updates,
never doubles."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo.bulk import upsert_by_osm_id
from geo.osm import OsmReadError, Repair, line_of, read_osm, repair_outlines
from geo.reproject import reproject
from geo.validators import invalid, without_location
from territories.registry.models import Building, Ground, Tree, Way

from . import tags as osm_tags

KEYS = ("building", "leisure", "natural", "highway")
# An open way whose ends are this close is a ring its mapper forgot to close.
MAX_GAP_M = 1.0
# Smaller outlines are slivers, not buildings or grounds.
MIN_AREA_M2 = 1.0
NOT_A_POINT = gettext_lazy("дерево отмечено не точкой")


# What a layer's geometry is: MultiPolygon outlines, points or MultiLineStrings.
OUTLINE, POINT, LINE = "outline", "point", "line"


@dataclass(frozen=True)
class Layer:
    """How one model is filled from OSM: which tags it takes, which fields they give
    (`fields(tags, area in m²)`) and which `shape` its geometry has."""

    title: str
    model: type
    accepts: Callable
    fields: Callable
    shape: str = OUTLINE


LAYERS = (
    Layer(
        gettext_lazy("Здания"),
        Building,
        osm_tags.is_building,
        osm_tags.building_fields,
    ),
    Layer(
        gettext_lazy("Площадки"), Ground, osm_tags.ground_kind, osm_tags.ground_fields
    ),
    Layer(
        gettext_lazy("Деревья"),
        Tree,
        osm_tags.is_tree,
        osm_tags.tree_fields,
        shape=POINT,
    ),
    Layer(
        gettext_lazy("Пешеходные пути"),
        Way,
        osm_tags.is_walkable,
        osm_tags.way_fields,
        shape=LINE,
    ),
)


@dataclass
class LayerReport:
    title: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    repaired: int = 0
    outside: int = 0
    skipped: Counter = field(default_factory=Counter)

    def line(self):
        """One line of the summary, e.g. "Здания: загружено 5 (создано 4, обновлено
        1), исправлено 1, пропущено 3: 2 — площадь меньше 1 м²; 1 — …"."""
        loaded = _(
            "%(title)s: загружено %(n)d (создано %(c)d, обновлено %(u)d, "
            "без изменений %(k)d)"
        ) % {
            "title": self.title,
            "n": self.created + self.updated + self.unchanged,
            "c": self.created,
            "u": self.updated,
            "k": self.unchanged,
        }
        parts = [loaded, _("исправлено %d") % self.repaired, self._skipped()]
        if self.outside:
            parts.append(_("вне --bbox %d") % self.outside)
        return ", ".join(parts)

    def _skipped(self):
        text = _("пропущено %d") % self.skipped.total()
        reasons = [f"{n} — {why}" for why, n in self.skipped.most_common()]
        return f"{text}: {'; '.join(reasons)}" if reasons else text


@dataclass
class Plan:
    """What one layer will write: {osm_id: model fields} and their geometries (in
    GIS_SRID, shapely) in the same order, and the report so far."""

    layer: Layer
    report: LayerReport
    rows: dict = field(default_factory=dict)
    geometries: list = field(default_factory=list)

    def add(self, osm_id, fields, geometry):
        # Records are unique by osm_id (the reader keeps the last of duplicates).
        self.rows[osm_id] = fields
        self.geometries.append(geometry)

    def rows_with_geometry(self):
        """The rows, each with its geometry as hex EWKB under `geom`."""
        srid = settings.GIS_SRID
        ewkb = shapely.to_wkb(
            shapely.set_srid(np.asarray(self.geometries, dtype=object), srid),
            hex=True,
            include_srid=True,
        )
        return {
            osm_id: {**fields, "geom": geom}
            for (osm_id, fields), geom in zip(self.rows.items(), ewkb, strict=True)
        }


def import_osm(path, *, bbox=None, progress=None):
    """Load `path` (a `geo.bbox.BBox` may restrict it); returns a LayerReport per
    layer. Raises OsmReadError when the file cannot be read or has nothing to load."""
    records = read_osm(path, KEYS, wanted=_wanted, progress=progress)
    if not records:
        raise OsmReadError(
            _(
                "В файле %(path)s нет зданий, площадок, деревьев и пешеходных "
                "путей / No buildings, grounds, trees or walkways in %(path)s"
            )
            % {"path": path}
        )
    geometries = reproject([r.geometry for r in records], 4326, settings.GIS_SRID)
    outlines = _outlines(records, geometries)
    box = _box(bbox)
    shapes = list(zip(records, geometries, outlines, strict=True))
    plans = [_plan(layer, shapes, box) for layer in LAYERS]
    with transaction.atomic():
        for plan in plans:
            _upsert(plan, progress)
    return [plan.report for plan in plans]


def _wanted(tags):
    return any(layer.accepts(tags) for layer in LAYERS)


def _outlines(records, geometries):
    """The repaired outline of each record an outline layer takes, else None: ways
    need none, and the repair runs record by record on what is not a valid polygon."""
    takes = [
        any(layer.accepts(r.tags) for layer in LAYERS if layer.shape == OUTLINE)
        for r in records
    ]
    wanted = [g for g, take in zip(geometries, takes, strict=True) if take]
    repaired = iter(repair_outlines(wanted, max_gap=MAX_GAP_M, min_area=MIN_AREA_M2))
    return [next(repaired) if take else None for take in takes]


def _box(bbox):
    if bbox is None:
        return None
    box = shapely.from_wkb(bytes(bbox.polygon(settings.GIS_SRID).wkb))
    shapely.prepare(box)
    return box


def _plan(layer, shapes, box):
    plan = Plan(layer, LayerReport(str(layer.title)))
    for record, geometry, outline in shapes:
        if layer.accepts(record.tags):
            shape = _shape(layer, record, geometry, outline)
            _add(plan, record, geometry, shape, box)
    return plan


def _shape(layer, record, geometry, outline):
    """The record's Repair for this layer: its repaired outline, its line or its
    point."""
    if layer.shape == LINE:
        return line_of(record, geometry)
    if record.problem:
        return Repair(None, skip_reason=record.problem)
    if layer.shape == OUTLINE:
        return outline
    if geometry.geom_type != "Point":
        return Repair(None, skip_reason=NOT_A_POINT)
    return Repair(geometry)


def _add(plan, record, geometry, shape, box):
    """Put one record into the plan, or count it as skipped or outside the box."""
    report = plan.report
    if _outside(box, None if geometry is None else geometry.envelope):
        report.outside += 1
    elif shape.skip_reason:
        report.skipped[without_location(str(shape.skip_reason))] += 1
    elif _outside(box, shape.geometry):
        report.outside += 1
    else:
        report.repaired += shape.repaired
        fields = plan.layer.fields(record.tags, shape.geometry.area)
        plan.add(record.osm_id, fields, shape.geometry)


def _outside(box, geometry):
    return box is not None and geometry is not None and not box.intersects(geometry)


def _upsert(plan, progress):
    report = plan.report
    rows = plan.rows_with_geometry()
    desc = str(plan.layer.title)
    bar = progress and (lambda items: progress(items, desc))
    report.created, report.updated, report.unchanged, refused = upsert_by_osm_id(
        plan.layer.model, rows, bar
    )
    for reason in refused.values():
        report.skipped[invalid(without_location(reason))] += 1
