"""`make bench`, scale section: what the report endpoints cost as the history grows.

The reports table of a database of its own (BENCH_SCALE_DATABASE, default
angarsk_bench_scale) grows to 10k, 100k and 300k reports, generated in SQL with a
realistic mix: 2 % on moderation, 10 % open, a few in progress or planned, most fixed
or closed; support counts with a long tail (most none, a few hundreds); dates over five
years; a photo for one report in ten. After each step (and ANALYZE) every request below
is timed in this process through Django's test client (the whole middleware stack,
DEBUG off): one warm-up, then the median of 5. The table prints each figure at every
size and the 300k/10k ratio, and the bytes of the reports layer (docs/architecture.md,
"Bounded layers"; the target is a ratio ≤ 1.5 for everything but the whole-city layer,
whose answer must stay under 2 MB at city zoom).

    .venv/bin/python tests/bench/reports_scale.py [--sizes 10000,100000,300000]
"""

import argparse
import json
import os
import statistics
import sys
import time
from urllib.parse import urlsplit

import psycopg
from harness import (
    REPO,
    BenchError,
    database_urls,
    fresh_database,
    machine_facts,
    print_footer,
    run_bench,
    server_facts,
)
from reports_load import load_district  # the district the reports must fall in

SIZES = (10_000, 100_000, 300_000)
RUNS = 5
CENTRE_LON, CENTRE_LAT = 103.89, 52.54  # Angarsk
# The reports fall in ≈ 11 × 10 km around the centre: the built-up city.
SPREAD_LON, SPREAD_LAT = 0.08, 0.045
CITY_BBOX = "103.80,52.49,103.98,52.59"  # the view of the map's first page (z13)
# ≈ 1 km × 1 km at the centre (0.0148° of longitude is 1 km at 52.5° N).
KM_BBOX = "103.8826,52.5355,103.8974,52.5445"
DEEP_ROWS = 5000  # how far into the list the deep page is
PAGE_SIZE = 100

# One INSERT … SELECT generate_series for a step: ids continue the table's.
GENERATE = """
WITH series AS (
    SELECT n, random() AS r, random() AS age, random() AS s
      FROM generate_series(%(first)s::int, %(last)s::int) AS n
), categories AS (
    SELECT array_agg(id ORDER BY id) AS ids FROM reports_category
)
INSERT INTO reports_problemreport (
    description, answers, status, geom, reporter_name, show_name, reporter_email,
    reporter_phone, manage_token_hash, source, client_hash, support_count,
    created_at, updated_at, category_id)
SELECT 'Сообщение ' || n || ': яма у подъезда, не горит фонарь.', '{}'::jsonb,
       CASE WHEN r < 0.02 THEN 'moderation' WHEN r < 0.12 THEN 'open'
            WHEN r < 0.15 THEN 'in_progress' WHEN r < 0.17 THEN 'planned'
            WHEN r < 0.72 THEN 'fixed' WHEN r < 0.90 THEN 'closed'
            WHEN r < 0.96 THEN 'duplicate' ELSE 'not_responsible' END,
       ST_Transform(ST_SetSRID(ST_MakePoint(
           %(lon)s + (random() * 2 - 1) * %(dlon)s,
           %(lat)s + (random() * 2 - 1) * %(dlat)s), 4326),
           Find_SRID('public', 'reports_problemreport', 'geom')),
       'Житель ' || n, false, '', '', '', 'web', '',
       -- a long tail: most reports no support, a few hundreds
       floor(power(s, 8) * 300)::int,
       now() - age * interval '5 years',
       -- closed ones were last changed some weeks after they came in
       least(now(), now() - age * interval '5 years'
                    + random() * interval '60 days'),
       ids[1 + n %% cardinality(ids)]
  FROM series, categories
"""
PHOTOS = """
INSERT INTO reports_reportphoto (image, width, height, created_at, report_id)
SELECT 'reports/bench/' || id || '.jpg', 640, 480, created_at, id
  FROM reports_problemreport WHERE id BETWEEN %(first)s AND %(last)s AND id %% 10 = 0
"""


def grow(pg_url, first, last):
    """Reports number `first`…`last` (and their photos), then ANALYZE."""
    values = {
        "first": first,
        "last": last,
        "lon": CENTRE_LON,
        "lat": CENTRE_LAT,
        "dlon": SPREAD_LON,
        "dlat": SPREAD_LAT,
    }
    with psycopg.connect(pg_url, autocommit=True) as conn:
        started = time.monotonic()
        newest = "SELECT coalesce(max(id), 0) FROM reports_problemreport"
        before = conn.execute(newest).fetchone()[0]
        conn.execute(GENERATE, values)
        after = conn.execute(newest).fetchone()[0]
        conn.execute(PHOTOS, {"first": before + 1, "last": after})
        conn.execute("ANALYZE")
        return time.monotonic() - started


# --- requests ----------------------------------------------------------------------


def deep_page_path(client):
    """The path of the list's page DEEP_ROWS rows in, by date. With a keyset cursor
    (the API's `next` link carries `cursor=`) it is reached by following `next`; with
    pages it is `?page=`. Defined here only, so that either API is measured alike."""
    path = f"/api/reports/?page_size={PAGE_SIZE}"
    body = client.get(path).json()
    following = body.get("next") or ""
    if "cursor=" not in following:
        return f"{path}&page={DEEP_ROWS // PAGE_SIZE + 1}"
    for _hop in range(DEEP_ROWS // PAGE_SIZE):
        parts = urlsplit(following)
        path = f"{parts.path}?{parts.query}"
        following = client.get(path).json().get("next")
        if not following:
            break
    return path


def requests(client):
    """(label, callable → response) of everything timed, in the table's order."""
    deep = deep_page_path(client)
    lat, lon = CENTRE_LAT, CENTRE_LON

    def get(path, user=None):
        return lambda: (user or client).get(path)

    return [
        ("API first page, by date", get("/api/reports/?sort=-created_at")),
        ("API first page, by supports", get("/api/reports/?sort=-support_count")),
        (f"API deep page ({DEEP_ROWS} rows in)", get(deep)),
        (
            "nearby (active, yard)",
            get(f"/api/reports/nearby/?lat={lat}&lon={lon}&category=yard"),
        ),
        ("workspace queue, all", get("/workspace/?status=", client.staff)),
        ("workspace queue, open", get("/workspace/?status=open", client.staff)),
        ("layer, city view z13", get(f"/api/layers/reports/?bbox={CITY_BBOX}&zoom=13")),
        ("layer, 1 km bbox z16", get(f"/api/layers/reports/?bbox={KM_BBOX}&zoom=16")),
        ("layer, no parameters", get("/api/layers/reports/")),
        ("Open311 requests", get("/open311/v2/requests.json")),
        ("POST a report", lambda: post_report(client)),
    ]


def post_report(client):
    return client.post(
        "/api/reports/",
        {
            "lat": f"{CENTRE_LAT:.6f}",
            "lon": f"{CENTRE_LON:.6f}",
            "category": "yard",
            "description": "Проверка масштаба: яма у подъезда.",
            "name": "Житель",
        },
    )


def body_of(response):
    if response.status_code >= 400:
        raise BenchError(f"{response.status_code}: {response.content[:300]!r}")
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def measure(call):
    """(median ms of RUNS calls after a warm-up, bytes of the last answer, the items
    in it when it is a JSON list)."""
    body_of(call())
    times = []
    for _run in range(RUNS):
        started = time.perf_counter()
        body = body_of(call())
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(body), items_in(body)


def items_in(body):
    try:
        document = json.loads(body)
    except ValueError:
        return None
    return len(document) if isinstance(document, list) else None


# --- the run -----------------------------------------------------------------------


def setup_django(database):
    os.environ.update(
        DATABASE_URL=database.django_url,
        DJANGO_SETTINGS_MODULE="geo.settings.dev",
        DEBUG="0",
        REPORT_HOURLY_QUOTA="1000000",
        REPORT_HOURLY_REFUSALS="1000000",
    )
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.staff = Client()
    staff = get_user_model().objects.create_user(
        "bench-staff", "staff@example.org", "x", is_staff=True
    )
    client.staff.force_login(staff)
    return client


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    database = database_urls("BENCH_SCALE_DATABASE", "angarsk_bench_scale")
    started = time.monotonic()
    with fresh_database(database):
        print(f"reports at scale: {machine_facts()}")
        print("PostgreSQL {}, PostGIS {}".format(*server_facts(database.pg_url)))
        load_district(database.pg_url)
        client = setup_django(database)
        results, have = {}, 0
        for size in sizes:
            seconds = grow(database.pg_url, have + 1, size)
            have = size
            print(f"{size} reports generated in SQL in {seconds:.1f} s", flush=True)
            for label, call in requests(client):
                results.setdefault(label, {})[size] = measure(call)
            close_connections()
            # Other work on the machine shows in the times: the load says how much.
            print(f"  measured at load {os.getloadavg()[0]:.2f}", flush=True)
        print_table(results, sizes)
    print_footer(started, database.name)


def close_connections():
    from django.db import connections

    connections.close_all()


def print_table(results, sizes):
    first, last = sizes[0], sizes[-1]
    head = ["request", *(f"{size // 1000}k" for size in sizes), f"{last // 1000}k/"]
    head[-1] += f"{first // 1000}k"
    print()
    print(f"{head[0]:<34}" + "".join(f"{h:>12}" for h in head[1:]))
    for label, by_size in results.items():
        ms = [by_size[size][0] for size in sizes]
        cells = [f"{value:.1f} ms" for value in ms]
        print(f"{label:<34}" + "".join(f"{c:>12}" for c in cells), end="")
        print(f"{ms[-1] / ms[0]:>12.2f}")
        if label.startswith(("layer", "Open311")):
            sizes_b = [by_size[size][1] for size in sizes]
            cells = [human_bytes(b) for b in sizes_b]
            print(f"{'  bytes':<34}" + "".join(f"{c:>12}" for c in cells), end="")
            print(f"{sizes_b[-1] / max(sizes_b[0], 1):>12.2f}")
        if label.startswith("Open311"):
            # The spec's first page is the last 90 days, at most 1000: it grows with
            # the reports until the cap, so the time per request answered is shown.
            items = [by_size[size][2] or 0 for size in sizes]
            print(f"{'  requests answered':<34}", end="")
            print("".join(f"{n:>12}" for n in items), end="")
            print(f"{items[-1] / max(items[0], 1):>12.2f}")
            per = [ms[i] / max(items[i], 1) * 1000 for i in range(len(sizes))]
            print(f"{'  per request answered':<34}", end="")
            print("".join(f"{f'{p:.1f} µs':>12}" for p in per), end="")
            print(f"{per[-1] / per[0]:>12.2f}")


def human_bytes(n):
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.2f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} kB"
    return f"{n} B"


if __name__ == "__main__":
    run_bench(main)
