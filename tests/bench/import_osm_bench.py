"""How long `manage.py import_osm` takes on a city-sized synthetic extract.

Writes a seeded .osm.pbf near Angarsk (N buildings, default 20,000: blocks of flats,
houses and garages, ~1 % of them broken the way real data is — bow-ties, slivers, open
rings, missing nodes — some courtyard multipolygons, N/10 grounds, N/4 trees and
untagged streets), then imports it twice into a database of its own (BENCH_DATABASE,
default angarsk_osm_bench, in the cluster of DATABASE_URL; dropped at the end): the
first run creates, the second updates. Prints each run's wall and CPU time (of the
command's process; PostgreSQL's work shows in wall time only) and its summary.

    .venv/bin/python tests/bench/import_osm_bench.py [--buildings 20000] [--keep FILE]
"""

import argparse
import math
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import osmium
from harness import BenchError, database_urls, fresh_database, manage
from osmium.osm.mutable import Node, Relation, Way

LON0, LAT0 = 103.89, 52.54
EAST, NORTH = 111_320.0 * math.cos(math.radians(LAT0)), 111_320.0


class Extract:
    """Objects of a synthetic extract, kept in the order a PBF needs."""

    def __init__(self, seed=48):
        self.random = random.Random(seed)
        self.nodes, self.ways, self.relations = [], [], []

    def node(self, x, y, tags=None):
        node = Node(
            id=len(self.nodes) + 1, location=(LON0 + x / EAST, LAT0 + y / NORTH)
        )
        node.tags = tags or {}
        self.nodes.append(node)
        return node.id

    def way(self, points, tags=None, closed=True):
        refs = [self.node(x, y) for x, y in points]
        way = Way(id=len(self.ways) + 1, nodes=refs + refs[:1] if closed else refs)
        way.tags = tags or {}
        self.ways.append(way)
        return way.id

    def relation(self, members, tags):
        relation = Relation(id=len(self.relations) + 1, members=members)
        relation.tags = tags
        self.relations.append(relation)

    def write(self, path):
        writer = osmium.SimpleWriter(str(path), overwrite=True)
        try:
            for node in self.nodes:
                writer.add_node(node)
            for way in self.ways:
                writer.add_way(way)
            for relation in self.relations:
                writer.add_relation(relation)
        finally:
            writer.close()


def rectangle(x, y, width, height, angle):
    cos, sin = math.cos(angle), math.sin(angle)
    corners = [(0, 0), (width, 0), (width, height), (0, height)]
    return [(x + cx * cos - cy * sin, y + cx * sin + cy * cos) for cx, cy in corners]


def building_tags(rnd, number):
    kind = rnd.choices(["apartments", "house", "garages", "yes"], [5, 3, 1, 1])[0]
    tags = {"building": kind}
    if kind == "apartments":
        tags["building:levels"] = rnd.choice(["5", "5", "9", "12"])
        if rnd.random() < 0.3:
            tags["building:flats"] = str(rnd.randint(40, 200))
    if kind in ("apartments", "house"):
        tags["addr:place"] = f"{number % 300 + 1} микрорайон"
        tags["addr:housenumber"] = str(number % 40 + 1)
    return tags


def add_building(extract, number, x, y):
    rnd = extract.random
    tags = building_tags(rnd, number)
    fault = rnd.random()
    if fault < 0.004:  # bow-tie
        points = [(x, y), (x + 20, y + 12), (x + 20, y), (x, y + 12)]
        extract.way(points, tags)
    elif fault < 0.008:  # sliver
        extract.way(rectangle(x, y, 0.4, 0.4, 0), tags)
    elif fault < 0.010:  # ring left open
        extract.way(rectangle(x, y, 20, 12, 0), tags, closed=False)
    elif fault < 0.012:  # node missing from the extract
        way = Way(id=len(extract.ways) + 1, nodes=[extract.node(x, y), 10**9])
        way.tags = tags
        extract.ways.append(way)
    elif fault < 0.022:  # block with a courtyard
        outer = extract.way(rectangle(x, y, 40, 40, 0))
        inner = extract.way(rectangle(x + 15, y + 15, 10, 10, 0))
        members = [("w", outer, "outer"), ("w", inner, "inner")]
        extract.relation(members, {"type": "multipolygon", **tags})
    else:
        size = (rnd.uniform(10, 80), rnd.uniform(8, 14))
        extract.way(rectangle(x, y, *size, rnd.uniform(0, math.pi)), tags)


def city(buildings):
    extract = Extract()
    side = math.ceil(math.sqrt(buildings))
    for number in range(buildings):
        add_building(extract, number, (number % side) * 100, (number // side) * 100)
    rnd = extract.random
    for _number in range(buildings // 10):
        x, y = rnd.uniform(0, side * 100), rnd.uniform(0, side * 100)
        leisure = rnd.choice(["playground", "pitch", "fitness_station"])
        extract.way(rectangle(x, y, 20, 15, 0), {"leisure": leisure})
    for _number in range(buildings // 4):
        x, y = rnd.uniform(0, side * 100), rnd.uniform(0, side * 100)
        extract.node(x, y, {"natural": "tree", "genus": "Betula"})
    for row in range(side):
        street = [(column * 100 - 10, row * 100 - 10) for column in range(side)]
        extract.way(street, {"highway": "residential"}, closed=False)
    return extract


def children_cpu():
    """CPU seconds (user + system) of finished child processes so far; the load of a
    shared machine stretches wall time, not this."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--buildings", type=int, default=20_000)
    parser.add_argument("--keep", help="also keep the generated extract at this path")
    options = parser.parse_args()
    database = database_urls("BENCH_DATABASE", "angarsk_osm_bench")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(options.keep or Path(folder) / "city.osm.pbf")
        started = time.perf_counter()
        city(options.buildings).write(path)
        print(f"extract: {path.stat().st_size / 1e6:.1f} MB", end=" ")
        print(f"written in {time.perf_counter() - started:.1f} s")
        with fresh_database(database):
            for run in ("create", "update"):
                started, cpu = time.perf_counter(), children_cpu()
                summary = manage(
                    database.django_url, "import_osm", str(path), "--no-progress"
                )
                wall, cpu = time.perf_counter() - started, children_cpu() - cpu
                print(f"{run}: {wall:.1f} s wall, {cpu:.1f} s CPU of the command")
                print(summary)


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        sys.exit(str(error))
