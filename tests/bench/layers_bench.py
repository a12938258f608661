"""`make bench`: the trees layer through the web stack against PostgreSQL's own GeoJSON.

For 1k, 10k and 100k trees, for the whole layer and for a 1 km window at the centre,
prints the median time of GET /api/layers/trees/ (gunicorn as served, one worker) next
to the median time of the raw SQL `json_agg(ST_AsGeoJSON(t.*))` of the same rows,
measured interleaved in the same run, as a ratio; and the peak memory (VmHWM) of the
web worker and of the PostgreSQL backends on both sides. gunicorn is restarted for
every size, so each peak belongs to one size.

Everything happens in a database of its own (BENCH_DATABASE, default angarsk_bench) in
the cluster of DATABASE_URL, dropped and re-created on every run and dropped at the end;
the development database is never touched.

    .venv/bin/python tests/bench/layers_bench.py [--sizes 1000,10000] [--rounds 7]
"""

import argparse
import gzip
import json
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from harness import (
    SERVED,
    BenchError,
    database_urls,
    fresh_database,
    get,
    gunicorn,
    machine_facts,
    print_footer,
    run_bench,
    server_facts,
)

CENTRE_LON, CENTRE_LAT = 103.89, 52.54  # Angarsk
SPREAD_M = 10_000  # trees are spread over SPREAD_M × SPREAD_M around the centre
WINDOW_M = 1_000  # the bbox window: WINDOW_M × WINDOW_M at the centre
SEED = 0.42
TARGET_RATIO = 1.3  # API / SQL at TARGET_SIZE trees, whole layer
TARGET_SIZE = 100_000
LAYER_PATH = "/api/layers/trees/"

FILL = """
INSERT INTO territories_tree
       (species, planted_on, campaign, geom, created_at, updated_at)
SELECT (ARRAY['берёза', 'сосна', 'липа', 'клён', 'рябина', 'черёмуха', 'лиственница'])
           [1 + floor(random() * 7)::int],
       date '2015-05-01' + floor(random() * 3000)::int,
       'Укоренись в Ангарске ' || (2015 + floor(random() * 9)::int),
       ST_Translate(c.geom, (random() - 0.5) * %(spread)s,
                    (random() - 0.5) * %(spread)s),
       now(), now()
FROM generate_series(1, %(n)s),
     (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326), %(srid)s)
      AS geom) AS c
"""
# The baseline: PostgreSQL builds the whole document itself. Six decimals, as the API.
BASELINE = """
SELECT json_build_object('type', 'FeatureCollection', 'features',
                         coalesce(json_agg(ST_AsGeoJSON(t.*, 'geom', 6)::json),
                                  '[]'::json))::text
FROM (SELECT id, species, planted_on, campaign, ST_Transform(geom, 4326) AS geom
      FROM territories_tree {where}) AS t
"""
WINDOW_WHERE = (
    "WHERE ST_Intersects(geom, ST_Transform("
    "ST_MakeEnvelope(%(minlon)s, %(minlat)s, %(maxlon)s, %(maxlat)s, 4326), %(srid)s))"
)


@dataclass
class Row:
    size: int
    window: str
    encoding: str
    features: int
    api_bytes: int
    sql_bytes: int
    sql: list
    api: list

    @property
    def ratio(self):
        return statistics.median(self.api) / statistics.median(self.sql)


# --- databases ---------------------------------------------------------------------


def fill_trees(url, n):
    """N seeded random trees; returns the column's SRID."""
    with psycopg.connect(url, autocommit=True) as conn:
        srid = conn.execute(
            "SELECT Find_SRID('public', 'territories_tree', 'geom')"
        ).fetchone()[0]
        conn.execute("TRUNCATE territories_tree RESTART IDENTITY CASCADE")
        conn.execute("SELECT setseed(%s)", [SEED])
        params = {"n": n, "spread": SPREAD_M, "lon": CENTRE_LON, "lat": CENTRE_LAT}
        conn.execute(FILL, {**params, "srid": srid})
        conn.execute("VACUUM ANALYZE territories_tree")
    return srid


def centre_window(url, srid):
    """The WINDOW_M square at the centre as a WGS 84 bbox (its envelope)."""
    sql = """
        SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (
          SELECT ST_Transform(ST_Expand(ST_Transform(
            ST_SetSRID(ST_MakePoint(%s, %s), 4326), %s), %s), 4326) AS e) AS w
    """
    with psycopg.connect(url) as conn:
        box = conn.execute(sql, [CENTRE_LON, CENTRE_LAT, srid, WINDOW_M / 2]).fetchone()
    return dict(zip(("minlon", "minlat", "maxlon", "maxlat"), box, strict=True))


def baseline(conn, where, params):
    start = time.perf_counter()
    text = conn.execute(BASELINE.format(where=where), params).fetchone()[0]
    return time.perf_counter() - start, text


def api_backend_peak_mb(conn):
    """The largest peak of the web worker's backends: the other clients of the bench
    database (one per thread of the worker that has served a request)."""
    pids = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
    ).fetchall()
    peaks = [mb for (pid,) in pids if (mb := peak_mb(pid)) is not None]
    return max(peaks, default=None)


# --- web server --------------------------------------------------------------------


def worker_pid(master_pid):
    for _ in range(50):
        children = [pid for pid in proc_pids() if parent_of(pid) == master_pid]
        if len(children) == 1:
            return children[0]
        time.sleep(0.1)
    raise BenchError(f"cannot find the worker of gunicorn {master_pid}")


def proc_pids():
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def parent_of(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def peak_mb(pid):
    """VmHWM (peak resident set) of a local process in MB, or None."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, TypeError):
        return None
    return None


def timed_get(port, path, encoding):
    start = time.perf_counter()
    status, content_encoding, body = get(port, path, encoding)
    elapsed = time.perf_counter() - start
    if status != 200:
        raise BenchError(f"GET {path}: HTTP {status}: {body[:300]!r}")
    if encoding == "gzip" and content_encoding != "gzip":
        raise BenchError(f"GET {path} with gzip came back as {content_encoding!r}")
    return elapsed, body


# --- measurement -------------------------------------------------------------------


def measure(port, sql_conn, case, rounds, warmup):
    """Interleaved (SQL, API, SQL, API, …) timings of one case after a warm-up."""
    sql_times, api_times = [], []
    for i in range(warmup + rounds):
        sql_time, text = baseline(sql_conn, case["where"], case["params"])
        api_time, body = timed_get(port, case["path"], case["encoding"])
        if i >= warmup:
            sql_times.append(sql_time)
            api_times.append(api_time)
    features = check_same_features(text, body, case)
    return features, len(body), len(text.encode()), sql_times, api_times


def check_same_features(text, body, case):
    """The API's FeatureCollection has exactly the baseline's features; their count."""
    if case["encoding"] == "gzip":
        body = gzip.decompress(body)
    api, sql = json.loads(body), json.loads(text)
    if api.get("type") != "FeatureCollection":
        raise BenchError(f"{case['path']}: not a FeatureCollection")
    api_ids = sorted(f["id"] for f in api["features"])
    sql_ids = sorted(f["properties"]["id"] for f in sql["features"])
    if api_ids != sql_ids:
        raise BenchError(
            f"{case['path']}: {len(api_ids)} features from the API, "
            f"{len(sql_ids)} from SQL, or different ids"
        )
    return len(api_ids)


def cases(window, srid):
    bbox = ",".join(
        f"{window[k]:.6f}" for k in ("minlon", "minlat", "maxlon", "maxlat")
    )
    rounded = {k: float(f"{v:.6f}") for k, v in window.items()}
    whole = {"where": "", "params": {}, "path": LAYER_PATH}
    box = {
        "where": WINDOW_WHERE,
        "params": {**rounded, "srid": srid},
        "path": f"{LAYER_PATH}?bbox={bbox}",
    }
    return [
        ("layer", {**whole, "encoding": "identity"}),
        ("layer", {**whole, "encoding": "gzip"}),
        ("1 km bbox", {**box, "encoding": "identity"}),
    ]


def bench_size(database, n, rounds, warmup):
    django_url, pg_url = database.django_url, database.pg_url
    srid = fill_trees(pg_url, n)
    window = centre_window(pg_url, srid)
    rows, memory = [], {}
    with gunicorn(django_url, [*SERVED, "-w", "1"]) as server:
        port, worker = server.port, worker_pid(server.pid)
        memory["worker idle"] = peak_mb(worker)
        # Planned on every run, as Django does (it turns psycopg's auto-prepare off).
        with psycopg.connect(
            pg_url, autocommit=True, prepare_threshold=None
        ) as sql_conn:
            for name, case in cases(window, srid):
                measured = measure(port, sql_conn, case, rounds, warmup)
                rows.append(Row(n, name, case["encoding"], *measured))
                print_row(rows[-1], flush=True)
            memory["worker peak"] = peak_mb(worker)
            memory["PG backend API"] = api_backend_peak_mb(sql_conn)
            memory["PG backend SQL"] = peak_mb(sql_conn.info.backend_pid)
    print_memory(n, memory)
    return rows


# --- report ------------------------------------------------------------------------

HEADER = (
    f"{'trees':>7} {'window':<10} {'enc':<8} {'features':>8} {'API bytes':>10} "
    f"{'SQL bytes':>10} {'SQL med s':>9} {'API med s':>9} {'API min s':>9} {'ratio':>6}"
)


def print_row(row, flush=False):
    print(
        f"{row.size:>7} {row.window:<10} {row.encoding:<8} {row.features:>8} "
        f"{row.api_bytes:>10} {row.sql_bytes:>10} {statistics.median(row.sql):>9.4f} "
        f"{statistics.median(row.api):>9.4f} {min(row.api):>9.4f} {row.ratio:>6.2f}",
        flush=flush,
    )


def print_memory(n, memory):
    shown = ", ".join(
        f"{name} {'n/a' if mb is None else f'{mb:.0f} MB'}"
        for name, mb in memory.items()
    )
    print(f"{'':>7} peak RSS (VmHWM) at {n}: {shown}", flush=True)


def print_header(pg_url, args):
    pg, postgis, jit, work_mem = server_facts(pg_url, "jit", "work_mem")
    print(
        f"PostgreSQL {pg}, PostGIS {postgis}, jit={jit}, work_mem={work_mem}; "
        f"{machine_facts()}; gunicorn as served, 1 worker; {args.rounds} interleaved "
        f"rounds after {args.warmup} warm-up; medians"
    )
    print(HEADER)
    print("-" * len(HEADER), flush=True)


def print_target(rows):
    """The issue's target is for 100k features; other sizes are only reported."""
    largest = max(r.size for r in rows)
    row = next(
        r
        for r in rows
        if r.size == largest and r.window == "layer" and r.encoding == "identity"
    )
    label = f"ratio at {largest // 1000}k: {row.ratio:.2f} (target ≤ {TARGET_RATIO}"
    if largest != TARGET_SIZE:
        print(f"{label} at {TARGET_SIZE // 1000}k, not measured in this run)")
    elif row.ratio <= TARGET_RATIO:
        print(f"{label}) — met")
    else:
        print(f"{label}) — MISSED")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        type=lambda s: sorted(int(x) for x in s.split(",")),
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=2)
    return parser.parse_args()


def main():
    args = parse_args()
    database = database_urls("BENCH_DATABASE", "angarsk_bench")
    started = time.monotonic()
    with fresh_database(database):
        print_header(database.pg_url, args)
        rows = [
            r
            for n in args.sizes
            for r in bench_size(database, n, args.rounds, args.warmup)
        ]
        print_target(rows)
    print_footer(started, database.name)


if __name__ == "__main__":
    run_bench(main)
