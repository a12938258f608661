"""Synthetic OpenStreetMap files near the centre of Angarsk: built in metres from a
reference point, written by hand as OSM XML and converted by pyosmium to any other
format osmium writes (.osm.pbf, .osm.gz, .osm.bz2)."""

import math
from pathlib import Path
from xml.sax.saxutils import quoteattr

import osmium

LON0, LAT0 = 103.89, 52.54
METRES_PER_DEGREE = 111_320.0


def lonlat(x, y):
    """WGS 84 of a point `x` metres east and `y` metres north of the reference."""
    east = METRES_PER_DEGREE * math.cos(math.radians(LAT0))
    return round(LON0 + x / east, 7), round(LAT0 + y / METRES_PER_DEGREE, 7)


class OsmFile:
    def __init__(self):
        self.nodes, self.ways, self.relations = {}, {}, {}

    def node(self, x, y, tags=None):
        node_id = len(self.nodes) + 1
        self.nodes[node_id] = (*lonlat(x, y), tags or {})
        return node_id

    def way(self, refs, tags=None):
        way_id = 1000 + len(self.ways)
        self.ways[way_id] = (list(refs), tags or {})
        return way_id

    def outline(self, points, tags=None, closed=True):
        """A way through new nodes at `points` (metres), closed back to the first."""
        refs = [self.node(x, y) for x, y in points]
        return self.way(refs + refs[:1] if closed else refs, tags)

    def box(self, x, y, width, height, tags=None):
        corners = [(x, y), (x + width, y), (x + width, y + height), (x, y + height)]
        return self.outline(corners, tags)

    def relation(self, members, tags):
        """A relation of ways: `members` is [(way id, role)]."""
        relation_id = 5000 + len(self.relations)
        self.relations[relation_id] = (list(members), tags)
        return relation_id

    def xml(self):
        lines = ["<?xml version='1.0' encoding='UTF-8'?>", '<osm version="0.6">']
        for node_id, (lon, lat, tags) in self.nodes.items():
            lines.append(f'<node id="{node_id}" version="1" lat="{lat}" lon="{lon}">')
            lines += [*_tags(tags), "</node>"]
        for way_id, (refs, tags) in self.ways.items():
            lines.append(f'<way id="{way_id}" version="1">')
            lines += [f'<nd ref="{ref}"/>' for ref in refs]
            lines += [*_tags(tags), "</way>"]
        for relation_id, (members, tags) in self.relations.items():
            lines.append(f'<relation id="{relation_id}" version="1">')
            lines += [
                f'<member type="way" ref="{ref}" role="{role}"/>'
                for ref, role in members
            ]
            lines += [*_tags(tags), "</relation>"]
        lines.append("</osm>")
        return "\n".join(lines)

    def write(self, path):
        """Write to `path` in the format its name says; returns the path as text."""
        path = Path(path)
        xml = path.with_name(path.name.split(".")[0] + "-source.osm")
        xml.write_text(self.xml(), encoding="utf-8")
        if path.name.endswith(".osm"):
            xml.replace(path)
            return str(path)
        writer = osmium.SimpleWriter(str(path), overwrite=True)
        try:
            for obj in osmium.FileProcessor(str(xml)):
                writer.add(obj)
        finally:
            writer.close()
        return str(path)


def _tags(tags):
    return [f"<tag k={quoteattr(k)} v={quoteattr(str(v))}/>" for k, v in tags.items()]
