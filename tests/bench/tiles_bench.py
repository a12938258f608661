"""`make bench`, vector tiles: z15 tiles of the demo's buildings and of its trees
through the live view (GET /tiles/<layer>/15/<x>/<y>.mvt: URL routing, middleware,
the z/x/y checks, the layer's version for the ETag, the one ST_AsMVT statement)
against the bare hand-written `ST_AsMVT` query of the same rows, medians interleaved
in one run, as a ratio (target ≤ 1.2×); and the tile's bytes against the GeoJSON of
the same area (GET /api/layers/<layer>/?bbox=<the tile>), raw and gzipped.

Two tiles per layer: the one at the middle of the buildings and the layer's densest.
The same view answering 304 (request handling and the layer's version, without the
tile) is timed too: the view costs about that plus the bare statement, so the ratio
approaches 1 only as the tile's own statement grows (docs/architecture.md, "Vector
tiles").

The requests go through Django in-process (the test client), not over HTTP. A
database of its own (BENCH_TILES_DATABASE, default angarsk_bench_tiles) with the demo
loaded, dropped at the end.

    .venv/bin/python tests/bench/tiles_bench.py [--rounds 21]
"""

import argparse
import time

from harness import (
    database_urls,
    fresh_database,
    machine_facts,
    manage,
    print_footer,
    run_bench,
    server_facts,
)

TARGET = 1.2

MEASURE = """
import gzip, math, statistics, time
import mapbox_vector_tile
from django.conf import settings
from django.db import connection
from django.test import Client


ROUNDS, TARGET, Z = {rounds}, {target}, 15
SRID = settings.GIS_SRID
BARE = {{
    "buildings": (
        "address, kind, levels, flats, coalesce(residents_recorded, "
        "round(flats * %(household)s::float8)::int, residents_estimated) AS residents, "
        "round(area_m2::numeric, 1) AS area_m2",
        "territories_building",
    ),
    "trees": ("species, planted_on, campaign", "territories_tree"),
}}
SQL = (
    "SELECT ST_AsMVT(t.*, %(layer)s, 4096, 'geom', 'id') FROM ("
    "SELECT id, ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(%(z)s, %(x)s, "
    "%(y)s), 4096, 64, true) AS geom, {{columns}} FROM {{table}} WHERE geom && "
    "ST_Transform(ST_Expand(ST_TileEnvelope(%(z)s, %(x)s, %(y)s), %(margin)s), "
    "%(srid)s)) AS t WHERE t.geom IS NOT NULL"
)

# Per layer, two z15 tiles: the one at the middle of the demo's buildings, and the
# one holding the most of the layer's features (the dense case tiles are for).
DENSEST = (
    "SELECT ST_X(c), ST_Y(c) FROM (SELECT floor(ST_X(m) / %(side)s) AS i, "
    "floor(ST_Y(m) / %(side)s) AS j, ST_Transform(m, 4326) AS c FROM (SELECT "
    "ST_Transform(ST_PointOnSurface(geom), 3857) AS m FROM {{table}}) AS p) AS q "
    "ORDER BY count(*) OVER (PARTITION BY i, j) DESC, i, j LIMIT 1"
)
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Transform(ST_Centroid("
        "ST_Collect(geom)), 4326) AS c FROM territories_building) AS b"
    )
    middle = cursor.fetchone()
    densest = {{}}
    for layer, (_columns, table) in BARE.items():
        cursor.execute(
            DENSEST.format(table=table), {{"side": 40075016.685578488 / (1 << Z)}}
        )
        densest[layer] = cursor.fetchone()
n = 1 << Z


def tile_at(lon, lat):
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def lonlat(px, py):
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * py / n))))
    return px / n * 360 - 180, lat


client = Client()
ratios = []
for layer, (columns, table) in BARE.items():
    for label, (lon, lat) in (("middle", middle), ("densest", densest[layer])):
        x, y = tile_at(lon, lat)
        west, north = lonlat(x, y)
        east, south = lonlat(x + 1, y + 1)
        bbox = f"{{west:.6f}},{{south:.6f}},{{east:.6f}},{{north:.6f}}"
        url = f"/tiles/{{layer}}/{{Z}}/{{x}}/{{y}}.mvt"
        params = {{
            "layer": layer, "z": Z, "x": x, "y": y, "srid": SRID,
            "margin": 40075016.685578488 / n * 64 / 4096,
            "household": settings.AVERAGE_HOUSEHOLD,
        }}
        sql = SQL.format(columns=columns, table=table)
        views, bares, unchanged = [], [], []
        etag = client.get(url).get("ETag")
        for i in range(ROUNDS + 2):
            started = time.perf_counter()
            assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
            not_modified = time.perf_counter() - started
            started = time.perf_counter()
            response = client.get(url)
            view = time.perf_counter() - started
            assert response.status_code in (200, 204), (url, response.status_code)
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                bare_tile = bytes(cursor.fetchone()[0] or b"")
            bare = time.perf_counter() - started
            if i >= 2:  # warm-up
                views.append(view)
                bares.append(bare)
                unchanged.append(not_modified)
        tile = response.content
        if not tile:
            print(f"{{layer}}, {{label}} tile 15/{{x}}/{{y}}: empty (204)")
            continue
        area = client.get(f"/api/layers/{{layer}}/?bbox={{bbox}}")
        geojson = b"".join(area.streaming_content)
        features = mapbox_vector_tile.decode(tile)[layer]["features"]
        bare_features = mapbox_vector_tile.decode(bare_tile)[layer]["features"]
        assert sorted(f["id"] for f in features) == sorted(
            f["id"] for f in bare_features
        )
        view, bare = statistics.median(views), statistics.median(bares)
        fixed = statistics.median(unchanged)
        ratios.append((label, view / bare))
        print(
            f"{{layer}}, {{label}} tile 15/{{x}}/{{y}}, {{len(features)}} features:\\n"
            f"  view {{view * 1000:6.2f}} ms, bare ST_AsMVT {{bare * 1000:6.2f}} ms, "
            f"ratio {{view / bare:4.2f}}; the same view answering 304 (request "
            f"handling and the layer's version, no tile) {{fixed * 1000:5.2f}} ms\\n"
            f"  tile {{len(tile):>7}} B raw "
            f"{{len(gzip.compress(tile)):>7}} B gzip; GeoJSON of the tile's bbox "
            f"{{len(geojson):>7}} B raw {{len(gzip.compress(geojson)):>7}} B gzip"
        )
for label in ("densest", "middle"):
    worst = max(ratio for kind, ratio in ratios if kind == label)
    print(
        f"worst ratio on the {{label}} tiles {{worst:.2f}} (target ≤ {{TARGET}}) — "
        + ("met" if worst <= TARGET else "MISSED")
    )
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    started = time.monotonic()
    database = database_urls("BENCH_TILES_DATABASE", "angarsk_bench_tiles")
    with fresh_database(database):
        manage(database.django_url, "load_demo")
        postgres, postgis = server_facts(database.pg_url)
        print(f"Vector tiles — PostgreSQL {postgres}, PostGIS {postgis},")
        print(f"{machine_facts()}; demo district, medians of {args.rounds} rounds")
        script = MEASURE.format(rounds=args.rounds, target=TARGET)
        print(manage(database.django_url, "shell", "-c", script), end="")
    print_footer(started, database.name)


if __name__ == "__main__":
    run_bench(main)
