"""`make bench`, boundaries section: the live check of a drawn TOS boundary
(`POST /api/territories/<id>/preview/`) on the demo district, against the bare SQL
of its main question in the same run (count the buildings whose point on surface
lies inside the drawn polygon), for rings of 50, 500 and 4,999 vertices.

The requests go through Django in-process (the API view, the GeoJSON reader, the
validity checks, the sliver fit and the four spatial queries), not over HTTP, so
the figure is what the live check itself costs. A database of its own
(BENCH_BOUNDARY_DATABASE, default angarsk_bench_boundary), dropped at the end.

    .venv/bin/python tests/bench/boundary_preview_bench.py [--rounds 15]
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

MEASURE = """
import json, math, statistics, time
from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework.test import APIClient
from territories.registry.models import Territory

ROUNDS = {rounds}
tos = Territory.objects.get(name="Перекресток")
user = get_user_model().objects.create_user("bench-previewer")
client = APIClient()
client.force_authenticate(user)
outline = tos.geom.transform(4326, clone=True)
x0, y0, x1, y1 = outline.extent
cx, cy, rx, ry = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 0.55, (y1 - y0) * 0.55
BARE = (
    "SELECT count(*) FROM territories_building b WHERE ST_Intersects("
    "ST_Transform(ST_GeomFromGeoJSON(%s), 32648), ST_PointOnSurface(b.geom))"
)
for n in (50, 500, 4999):
    turns = [2 * math.pi * i / n for i in range(n)]
    ring = [[cx + rx * math.cos(t), cy + ry * math.sin(t)] for t in turns]
    body = {{"type": "Polygon", "coordinates": [ring + [ring[0]]]}}
    url = f"/api/territories/{{tos.pk}}/preview/"
    answer = client.post(url, body, format="json")
    assert answer.status_code == 200, answer.content
    answer = answer.json()
    checks, bares = [], []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        client.post(url, body, format="json")
        checks.append(time.perf_counter() - started)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(BARE, [json.dumps(body)])
            bare_count = cursor.fetchone()[0]
        bares.append(time.perf_counter() - started)
    assert bare_count == answer["buildings"], (bare_count, answer["buildings"])
    check, bare = statistics.median(checks), statistics.median(bares)
    print(
        f"{{n:>5}} vertices: live check {{check * 1000:6.1f}} ms, bare SQL count "
        f"{{bare * 1000:5.1f}} ms, ratio {{check / bare:4.1f}}; "
        f"{{answer['buildings']}} buildings, {{answer['residents']}} residents, "
        f"{{answer['area_m2'] / 10000:.1f}} ha"
    )
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    started = time.monotonic()
    database = database_urls("BENCH_BOUNDARY_DATABASE", "angarsk_bench_boundary")
    with fresh_database(database):
        manage(database.django_url, "load_demo")
        postgres, postgis = server_facts(database.pg_url)
        print(f"Boundary live check — PostgreSQL {postgres}, PostGIS {postgis},")
        print(f"{machine_facts()}; demo district, medians of {args.rounds} rounds")
        print(
            manage(
                database.django_url, "shell", "-c", MEASURE.format(rounds=args.rounds)
            ),
            end="",
        )
    print_footer(started, database.name)


if __name__ == "__main__":
    run_bench(main)
