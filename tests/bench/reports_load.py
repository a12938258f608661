"""`make bench`, reports section: residents' reports posted by many clients at once.

N concurrent clients (default 50) POST multipart reports to /api/reports/ (a share of
them with a small JPEG) until a fixed total is sent. Prints throughput, latency
percentiles, the answers by HTTP status, and what was acknowledged (201) next to what
the database and the media folder hold afterwards — the two must be equal: no lost
report, no half report, no orphan photo.

Everything happens in a database of its own (BENCH_REPORTS_DATABASE, default
angarsk_bench_reports) in the cluster of DATABASE_URL, re-created on every run and
dropped at the end, with a temporary MEDIA_ROOT; the development data are never touched.
The anonymous hourly quota and refusal budget are raised for the run
(REPORT_HOURLY_QUOTA, REPORT_HOURLY_REFUSALS), since every client comes from 127.0.0.1.

    .venv/bin/python tests/bench/reports_load.py [--clients 50] [--total 2000]
"""

import argparse
import asyncio
import io
import json
import os
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
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
from PIL import Image

CENTRE_LON, CENTRE_LAT = 103.89, 52.54  # Angarsk
SPREAD_DEG = 0.04  # reports fall within ± this around the centre (≈ 3 × 4.5 km)
# A district polygon covering Angarsk, in WGS 84 (minlon, minlat, maxlon, maxlat).
DISTRICT_BOX = (103.60, 52.35, 104.20, 52.75)
CATEGORIES = ("yard", "lighting", "waste", "grounds", "roads", "snow", "other")
PATH = "/api/reports/"
SEED = 42


@dataclass
class Results:
    latencies: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    created_ids: set = field(default_factory=set)
    photos_acknowledged: int = 0
    errors: Counter = field(default_factory=Counter)
    samples: dict = field(default_factory=dict)  # one body per non-201 status
    warmup: int = 0
    warmup_statuses: Counter = field(default_factory=Counter)


# --- database ----------------------------------------------------------------------


def load_district(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            """
            INSERT INTO territories_district (name, name_en, geom, created_at,
                                              updated_at)
            VALUES ('Ангарский городской округ', 'Angarsk urban district',
                    ST_Multi(ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, 4326),
                             Find_SRID('public', 'territories_district', 'geom'))),
                    now(), now())
            """,
            DISTRICT_BOX,
        )


def stored_counts(pg_url):
    with psycopg.connect(pg_url) as conn:
        ids = {row[0] for row in conn.execute("SELECT id FROM reports_problemreport")}
        photos, orphans = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE r.id IS NULL) "
            "FROM reports_reportphoto p "
            "LEFT JOIN reports_problemreport r ON r.id = p.report_id"
        ).fetchone()
        timeline = conn.execute(
            "SELECT count(DISTINCT report_id) FROM reports_reportupdate"
        ).fetchone()[0]
    return ids, photos, orphans, timeline


# --- HTTP over asyncio streams -----------------------------------------------------


def small_jpeg(rng):
    buffer = io.BytesIO()
    colour = tuple(rng.randrange(256) for _ in range(3))
    Image.new("RGB", (64, 48), colour).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def build_report(rng, number, with_photo):
    """A multipart POST of one report; (request bytes, photos in it)."""
    fields = {
        "lat": f"{CENTRE_LAT + rng.uniform(-SPREAD_DEG, SPREAD_DEG):.6f}",
        "lon": f"{CENTRE_LON + rng.uniform(-SPREAD_DEG, SPREAD_DEG):.6f}",
        "category": CATEGORIES[number % len(CATEGORIES)],
        "description": f"Нагрузочный тест, сообщение {number}: яма у подъезда.",
        "name": f"Житель {number}",
        "email": f"bench{number}@example.org" if number % 3 == 0 else "",
    }
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    photos = 0
    if with_photo:
        photos = 1
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
            f'filename="photo{number}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + small_jpeg(rng)
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\nAccept: application/json\r\n\r\n"
    )
    return head.encode() + body, photos


async def request(port, raw, timeout=120):
    """(status, body) of one HTTP/1.1 exchange on a fresh connection."""
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port), timeout
    )
    try:
        writer.write(raw)
        await writer.drain()
        response = await asyncio.wait_for(reader.read(), timeout)  # until close
    finally:
        writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        body = dechunk(body)
    return status, body


def dechunk(data):
    out, rest = b"", data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


async def client(port, queue, results):
    while True:
        try:
            raw, photos = queue.get_nowait()
        except asyncio.QueueEmpty:
            return
        start = time.perf_counter()
        try:
            status, body = await request(port, raw)
        except (TimeoutError, OSError, ValueError, IndexError) as error:
            results.errors[type(error).__name__] += 1
            continue
        results.latencies.append(time.perf_counter() - start)
        results.statuses[status] += 1
        if status == 201:
            results.created_ids.add(json.loads(body)["id"])
            results.photos_acknowledged += photos
        else:
            results.samples.setdefault(status, body[:200])


async def load(port, requests, clients, results):
    queue = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)
    start = time.perf_counter()
    await asyncio.gather(*(client(port, queue, results) for _ in range(clients)))
    return time.perf_counter() - start


def run(port, requests, clients, warmup):
    """A warm-up (every worker imports, connects, plans) and then the timed run.
    Both count for acknowledged vs stored; only the timed run for speed."""
    warm, timed = Results(), Results()
    asyncio.run(load(port, requests[:warmup], min(clients, warmup), warm))
    elapsed = asyncio.run(load(port, requests[warmup:], clients, timed))
    timed.created_ids |= warm.created_ids
    timed.photos_acknowledged += warm.photos_acknowledged
    timed.errors.update(warm.errors)
    timed.warmup = sum(warm.statuses.values())
    timed.warmup_statuses = warm.statuses
    return timed, elapsed


# --- report ------------------------------------------------------------------------


def percentile(values, p):
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def print_results(results, elapsed, stored, media_files):
    ids, photos, orphans, timeline = stored
    done = len(results.latencies)
    lat = sorted(results.latencies)
    print(
        f"{done} requests in {elapsed:.1f} s: {done / elapsed:.1f} req/s; latency "
        f"p50 {percentile(lat, 50) * 1000:.0f} ms, p95 {percentile(lat, 95) * 1000:.0f}"
        f" ms, p99 {percentile(lat, 99) * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms"
    )
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(results.statuses.items()))
    warm = ", ".join(f"{s}: {n}" for s, n in sorted(results.warmup_statuses.items()))
    print(f"HTTP statuses: {statuses} (+ {results.warmup} warm-up requests: {warm})")
    for status, sample in sorted(results.samples.items()):
        print(f"  e.g. {status}: {sample.decode(errors='replace')}")
    if results.errors:
        print(f"transport errors: {dict(results.errors)}")
    print(
        f"acknowledged (201): {len(results.created_ids)} reports, "
        f"{results.photos_acknowledged} photos | stored: {len(ids)} reports "
        f"({timeline} with a timeline entry), {photos} photo rows, "
        f"{media_files} photo files, {orphans} orphan photo rows"
    )
    problems = []
    if ids != results.created_ids:
        lost = len(results.created_ids - ids)
        extra = len(ids - results.created_ids)
        problems.append(f"reports: {lost} acknowledged but missing, {extra} unasked")
    if not (photos == media_files == results.photos_acknowledged) or orphans:
        problems.append("photos: acknowledged, rows and files differ")
    if timeline != len(ids):
        problems.append("some reports have no timeline entry")
    if problems:
        raise BenchError("; ".join(problems))
    print("acknowledged == stored: yes")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--total", type=int, default=2000)
    parser.add_argument("--photo-share", type=float, default=0.25)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--warmup", type=int, default=40, help="requests before the timed run"
    )
    return parser.parse_args()


def serving(django_url, media_root, workers, threads):
    """gunicorn for the run: its own media folder, no quota, no real e-mail. The
    refusal budget is raised too: it counts the submissions under way, and 50
    clients at 127.0.0.1 are one sender."""
    options = [*SERVED, "-w", str(workers), "--threads", str(threads)]
    options += ["--backlog", "2048"]
    env = {
        "MEDIA_ROOT": str(media_root),
        "REPORT_HOURLY_QUOTA": "1000000",
        "REPORT_HOURLY_REFUSALS": "1000000",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    return gunicorn(django_url, options, env, graceful_timeout=10)


def main():
    args = parse_args()
    database = database_urls("BENCH_REPORTS_DATABASE", "angarsk_bench_reports")
    rng = random.Random(SEED)
    requests = [
        build_report(rng, i, rng.random() < args.photo_share) for i in range(args.total)
    ]
    media_root = Path(tempfile.mkdtemp(prefix="bench-reports-media-"))
    started = time.monotonic()
    try:
        with fresh_database(database):
            load_district(database.pg_url)
            pg, postgis = server_facts(database.pg_url)
            print(
                f"PostgreSQL {pg}, PostGIS {postgis}; {machine_facts()}; gunicorn "
                f"as served, {args.workers} workers × {args.threads} threads; "
                f"{args.clients} concurrent clients, "
                f"{args.total} POST {PATH} ({args.photo_share:.0%} with a JPEG), the "
                f"first {args.warmup} as warm-up",
                flush=True,
            )
            with serving(
                database.django_url, media_root, args.workers, args.threads
            ) as server:
                results, elapsed = run(server.port, requests, args.clients, args.warmup)
            files = sum(1 for p in media_root.rglob("*") if p.is_file())
            print_results(results, elapsed, stored_counts(database.pg_url), files)
    finally:
        shutil.rmtree(media_root, ignore_errors=True)
    print_footer(started, database.name)


if __name__ == "__main__":
    run_bench(main)
