"""OpenStreetMap extracts read with pyosmium into plain records, and the repairs that
real-world outlines need before PostGIS accepts them.

Multipolygons are assembled here rather than by osmium's area assembler, which drops
broken outlines silently: an importer has to say what it skipped and why."""

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import osmium
import shapely
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)

from geo.validators import POLYGONAL, refusal_reason, too_small

# Why an object gave no usable outline (reasons are counted in import summaries).
MISSING_NODES = gettext_lazy("в файле нет координат части точек")
MISSING_MEMBERS = gettext_lazy("в файле нет части линий мультиполигона")
TOO_FEW_POINTS = gettext_lazy("меньше трёх различных точек")
UNCLOSED = gettext_lazy("незамкнутый контур, который не удалось замкнуть")
NO_AREA = gettext_lazy("после исправления не осталось площади")
POINT_WITHOUT_OUTLINE = gettext_lazy("точка без контура")
NOT_A_LINE = gettext_lazy("точка, а не линия")
POLYGON = shapely.GeometryType.POLYGON


@dataclass(slots=True)
class OsmRecord:
    """One tagged OSM object. `geometry` (EPSG:4326) is a Point for a node, a Polygon
    or MultiPolygon (possibly invalid) for a closed way or a multipolygon, a LineString
    for an open way; when `problem` says why no outline could be built, it holds
    whatever coordinates were found (or None), so the object can still be placed."""

    osm_id: str
    tags: dict
    geometry: object
    problem: str | None = None


class OsmReadError(Exception):
    """The file is missing, unreadable or not valid OSM data; the message says why."""


def read_osm(path, keys, wanted=None, progress=None):
    """Records of the nodes, ways and multipolygon relations having one of `keys`
    whose tags pass `wanted(tags)`. Raises OsmReadError for a file osmium cannot
    read to the end. `progress(iterable, desc)` may wrap the reading loops."""
    path = _readable(Path(path))
    wanted = wanted or (lambda tags: True)
    progress = progress or (lambda iterable, desc: iterable)
    try:
        relations = _read_relations(path, keys, wanted, progress)
        members = {ref for _tags, refs in relations.values() for ref, _role in refs}
        records, lines = _read_nodes_and_ways(path, keys, wanted, members, progress)
    except (RuntimeError, OSError, osmium.InvalidLocationError) as error:
        raise OsmReadError(_cannot_read(path, error)) from error
    records.update(
        (osm_id, _relation_record(osm_id, tags, refs, lines))
        for osm_id, (tags, refs) in relations.items()
    )
    return list(records.values())


def _readable(path):
    if not path.is_file():
        raise OsmReadError(
            _("Файл %(path)s не найден / File %(path)s not found") % {"path": path}
        )
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise OsmReadError(_cannot_read(path, error)) from error
    return path


def _cannot_read(path, error):
    return _("Не удалось прочитать файл %(path)s: %(error)s / Cannot read %(path)s") % {
        "path": path,
        "error": error,
    }


def _read_relations(path, keys, wanted, progress):
    """{osm_id: (tags, [(way id, role)])} of the wanted multipolygon relations."""
    processor = (
        osmium.FileProcessor(str(path), osmium.osm.RELATION)
        .with_filter(osmium.filter.TagFilter(("type", "multipolygon")))
        .with_filter(osmium.filter.KeyFilter(*keys))
    )
    relations = {}
    for relation in progress(processor, _("отношения")):
        tags = dict(relation.tags)
        if wanted(tags):
            refs = [(m.ref, m.role) for m in relation.members if m.type == "w"]
            relations[f"relation/{relation.id}"] = (tags, refs)
    return relations


def _read_nodes_and_ways(path, keys, wanted, members, progress):
    """({osm_id: record} of wanted nodes and ways, {way id: coordinates} of members)."""
    processor = (
        osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
        .with_locations()
        .with_filter(osmium.filter.KeyFilter(*keys).enable_for(osmium.osm.NODE))
    )
    nodes, ways, lines = [], [], {}
    factory = osmium.geom.WKBFactory()
    for obj in progress(processor, _("точки и линии")):
        if obj.is_node():
            _add_node(nodes, obj, wanted)
            continue
        if obj.id in members:
            lines[obj.id] = _coordinates(obj.nodes)
        if any(key in obj.tags for key in keys):
            tags = dict(obj.tags)
            if wanted(tags):
                ways.append((f"way/{obj.id}", tags, _line(factory, obj)))
    return {**_node_records(nodes), **_way_records(ways)}, lines


def _add_node(nodes, node, wanted):
    tags = dict(node.tags)
    if wanted(tags):
        nodes.append((f"node/{node.id}", tags, node.lon, node.lat))


def _node_records(nodes):
    """{osm_id: record} of [(osm_id, tags, lon, lat)], the points made in bulk."""
    xy = np.array([(lon, lat) for _id, _tags, lon, lat in nodes]).reshape(-1, 2)
    points = shapely.points(xy)
    return {
        osm_id: OsmRecord(osm_id, tags, point)
        for (osm_id, tags, _lon, _lat), point in zip(nodes, points, strict=True)
    }


def _line(factory, way):
    """The way as hex WKB of a line, or, when osmium cannot make one, its coordinates
    (None for a node the file has no location for)."""
    try:
        return factory.create_linestring(way)
    except (osmium.InvalidLocationError, RuntimeError):
        return _coordinates(way.nodes)


def _coordinates(nodes):
    """[(lon, lat)], with None in place of a node the file has no location for."""
    return [(n.lon, n.lat) if n.location.valid() else None for n in nodes]


def _way_records(ways):
    """{osm_id: record} of [(osm_id, tags, line)], the lines turned into outlines in
    bulk (a Python loop over shapely constructors costs more than reading the file)."""
    good = [way for way in ways if isinstance(way[2], str)]
    lines = shapely.from_wkb([line for _osm_id, _tags, line in good])
    outlines, too_few = _outlines(lines)
    records = {
        osm_id: OsmRecord(osm_id, tags, outline, TOO_FEW_POINTS if few else None)
        for (osm_id, tags, _), outline, few in zip(good, outlines, too_few, strict=True)
    }
    for osm_id, tags, coordinates in ways:
        if not isinstance(coordinates, str):
            records[osm_id] = _broken_way(osm_id, tags, coordinates)
    return records


def _outlines(lines):
    """(Polygons of the closed lines and the open lines as they are, which of them
    have fewer than three points besides the closing one)."""
    count = shapely.get_num_coordinates(lines)
    closed = shapely.is_closed(lines) & (count >= 4)
    outlines = lines.copy()
    if closed.any():
        xy, index = shapely.get_coordinates(lines[closed], return_index=True)
        outlines[closed] = shapely.polygons(shapely.linearrings(xy, indices=index))
    too_few = count - shapely.is_closed(lines) < 3
    return outlines, too_few


def _broken_way(osm_id, tags, coordinates):
    """A way osmium could not make a line of: nodes missing or all in one place."""
    problem = MISSING_NODES if None in coordinates else TOO_FEW_POINTS
    return OsmRecord(osm_id, tags, _points(coordinates), problem)


def _points(coordinates):
    found = [xy for xy in coordinates if xy is not None]
    return MultiPoint(found) if found else None


def _relation_record(osm_id, tags, refs, lines):
    found = [(lines[ref], role) for ref, role in refs if ref in lines]
    complete = [(xy, role) for xy, role in found if None not in xy]
    known = MultiLineString([xy for xy, _role in complete if len(xy) > 1]) or None
    if len(complete) < len(refs) or not refs:
        return OsmRecord(osm_id, tags, known, MISSING_MEMBERS)
    outer = _rings([xy for xy, role in complete if role != "inner"])
    inner = _rings([xy for xy, role in complete if role == "inner"])
    if outer is None or inner is None or not outer:
        return OsmRecord(osm_id, tags, known, UNCLOSED)
    return OsmRecord(osm_id, tags, _with_holes(outer, inner))


def _rings(lines):
    """Closed rings joined from way coordinates end to end; None if some stay open."""
    if not lines:
        return []
    merged = shapely.get_parts(shapely.line_merge(MultiLineString(lines)))
    if not all(part.is_closed and len(part.coords) >= 4 for part in merged):
        return None
    return [Polygon(part.coords) for part in merged]


def _with_holes(outer, inner):
    """A MultiPolygon (not yet validated): each inner ring becomes a hole of the
    outer ring that covers its first point."""
    holes = {index: [] for index in range(len(outer))}
    for ring in inner:
        first = Point(ring.exterior.coords[0])
        index = next((i for i, o in enumerate(outer) if o.covers(first)), None)
        if index is not None:
            holes[index].append(ring.exterior)
    polygons = [Polygon(o.exterior, holes[i]) for i, o in enumerate(outer)]
    return MultiPolygon(polygons)


class Repair(NamedTuple):
    """An outline made fit to store: `geometry` a valid MultiPolygon, or None and
    `skip_reason` says why; `repaired` tells whether it had to be changed."""

    geometry: object
    repaired: bool = False
    skip_reason: str | None = None


def line_of(record, geometry):
    """A Repair holding the record's way as a MultiLineString (`geometry` is the
    record's, moved into a metric CRS): an open way as it is, a closed one or an area
    as its rings. A two-node way is a line though too short for an outline."""
    if isinstance(geometry, LineString):
        return Repair(MultiLineString([geometry]))
    if record.problem or geometry is None:
        return Repair(None, skip_reason=record.problem or NOT_A_LINE)
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        rings = shapely.get_parts(geometry.boundary)
        return Repair(MultiLineString(list(rings)))
    return Repair(None, skip_reason=NOT_A_LINE)


def repair_outlines(geometries, *, max_gap, min_area):
    """`repair_outline` of each geometry; the many that need no repair (valid
    polygons of at least `min_area`) are checked and wrapped in bulk."""
    array = np.asarray(geometries, dtype=object)
    fine = shapely.is_valid(array) & (shapely.get_type_id(array) == POLYGON)
    fine &= shapely.area(array) >= min_area
    wrapped = np.empty(len(array), dtype=object)
    wrapped[fine] = shapely.multipolygons(array[fine, np.newaxis])
    return [
        Repair(whole) if ok else repair_outline(g, max_gap=max_gap, min_area=min_area)
        for g, ok, whole in zip(array, fine, wrapped, strict=True)
    ]


def repair_outline(geometry, *, max_gap, min_area):
    """Repair a record's outline in a metric CRS: close an open way whose ends are at
    most `max_gap` apart, make an invalid outline valid keeping its polygonal parts,
    drop parts below `min_area`."""
    if geometry is None or geometry.geom_type in ("Point", "MultiPoint"):
        return Repair(None, skip_reason=POINT_WITHOUT_OUTLINE)
    repaired = geometry.geom_type == "LineString"
    if repaired:
        geometry = close_ring(geometry, max_gap)
        if geometry is None:
            return Repair(None, skip_reason=UNCLOSED)
    if not geometry.is_valid:
        geometry = shapely.make_valid(
            geometry, method="structure", keep_collapsed=False
        )
        repaired = True
    return _keep_areas(_polygons(geometry), repaired, min_area)


def close_ring(line, max_gap):
    """The polygon of an open line whose ends are at most `max_gap` apart, else None."""
    start, end = Point(line.coords[0]), Point(line.coords[-1])
    if start.distance(end) > max_gap:
        return None
    return Polygon([*line.coords, line.coords[0]])


def _keep_areas(polygons, repaired, min_area):
    """The polygons of at least `min_area` as one MultiPolygon (dropping slivers
    counts as a repair), or why there is none."""
    if not polygons:
        return Repair(None, skip_reason=NO_AREA)
    kept = [polygon for polygon in polygons if polygon.area >= min_area]
    if not kept:
        return Repair(None, skip_reason=too_small(min_area))
    whole = MultiPolygon(kept)
    reason = refusal_reason(whole, types=POLYGONAL, min_area=min_area)
    if reason:
        return Repair(None, skip_reason=reason)
    return Repair(whole, repaired or len(kept) < len(polygons))


def _polygons(geometry):
    """The non-empty polygons of a geometry, however nested in collections."""
    if geometry.geom_type == "Polygon":
        return [] if geometry.is_empty else [geometry]
    return [part for sub in getattr(geometry, "geoms", ()) for part in _polygons(sub)]
