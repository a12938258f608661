"""`make bench`, OGC API – Features: 10,000 trees as one page of
GET /ogc/collections/trees/items?limit=10000 against the same rows through
GET /api/layers/trees/, both served by gunicorn (one worker, as in production),
medians interleaved in one run, as a ratio (target ≤ 1.3×, issue 12). Both are
rendered by PostgreSQL and streamed (docs/architecture.md, "OGC API – Features");
the OGC page adds the paging: its count (`numberMatched`) and an ORDER BY id.

A database of its own (BENCH_OGC_DATABASE, default angarsk_bench_ogc), filled with
the layers benchmark's seeded random trees, dropped at the end.

    .venv/bin/python tests/bench/ogc_bench.py [--rounds 15] [--trees 10000]
"""

import argparse
import gzip
import json
import statistics
import time

from harness import (
    SERVED,
    BenchError,
    database_urls,
    fresh_database,
    gunicorn,
    machine_facts,
    print_footer,
    run_bench,
    server_facts,
)
from layers_bench import fill_trees, timed_get

TARGET = 1.3
LAYER = "/api/layers/trees/"
OGC = "/ogc/collections/trees/items?limit={n}"


def timed(port, path, encoding):
    """`timed_get`, the body decompressed: the two answers are compared as JSON."""
    elapsed, body = timed_get(port, path, encoding)
    return elapsed, gzip.decompress(body) if encoding == "gzip" else body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--trees", type=int, default=10_000)
    args = parser.parse_args()
    started = time.monotonic()
    database = database_urls("BENCH_OGC_DATABASE", "angarsk_bench_ogc")
    ogc = OGC.format(n=args.trees)
    worst = 0
    with fresh_database(database):
        fill_trees(database.pg_url, args.trees)
        postgres, postgis = server_facts(database.pg_url)
        print(f"OGC API – Features items — PostgreSQL {postgres}, PostGIS {postgis},")
        print(f"{machine_facts()}; {args.trees} trees, medians of {args.rounds}")
        with gunicorn(database.django_url, [*SERVED, "-w", "1"]) as server:
            for encoding in ("identity", "gzip"):
                layer_times, ogc_times = [], []
                for i in range(args.rounds + 2):
                    # Each goes first in every other round: no side gains from
                    # its place (a warm cache, a busy moment of the other core).
                    if i % 2:
                        ogc_time, ogc_body = timed(server.port, ogc, encoding)
                    layer_time, layer_body = timed(server.port, LAYER, encoding)
                    if not i % 2:
                        ogc_time, ogc_body = timed(server.port, ogc, encoding)
                    if i >= 2:  # warm-up
                        layer_times.append(layer_time)
                        ogc_times.append(ogc_time)
                layer_doc, ogc_doc = json.loads(layer_body), json.loads(ogc_body)
                ids = sorted(f["id"] for f in layer_doc["features"])
                if sorted(f["id"] for f in ogc_doc["features"]) != ids:
                    raise BenchError("the two answers hold different features")
                if ogc_doc["numberReturned"] != args.trees or len(ids) != args.trees:
                    raise BenchError(f"expected {args.trees} features on both sides")
                layer_ms = statistics.median(layer_times) * 1000
                ogc_ms = statistics.median(ogc_times) * 1000
                worst = max(worst, ogc_ms / layer_ms)
                print(
                    f"{encoding:>8}: {LAYER} {layer_ms:7.1f} ms "
                    f"({len(layer_body):,} B), {ogc} {ogc_ms:7.1f} ms "
                    f"({len(ogc_body):,} B), ratio {ogc_ms / layer_ms:4.2f}"
                )
    print(
        f"worst ratio {worst:.2f} (target ≤ {TARGET}) — "
        + ("met" if worst <= TARGET else "MISSED")
    )
    print_footer(started, database.name)


if __name__ == "__main__":
    run_bench(main)
