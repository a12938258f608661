"""`make bench`, slow clients: do normal requests still get through while 50 sockets
send their requests slowly or not at all?

Fifty slow sockets on loopback, four kinds (docs/architecture.md, "Serving"): one that
connects and sends nothing, one that sends a POST's head with a large Content-Length
and then nothing, one that trickles its head a header line a second, and one that
trickles its body at 512 bytes/s (under the required average). Meanwhile normal GETs
of /api/layers/ and /api/reports/ are timed, and the same GETs without the slow
sockets, in the same run, are the baseline. It prints p50/p95 of both, and when and
how the server cut each kind of slow socket.

It does so for the served configuration (`make run`, the image: gunicorn with
geo/deploy/gunicorn.conf.py) and, for comparison, for what `make run` served before
(3 sync workers), whose GETs are given a few seconds only: its workers wait for the
slow sockets, which it cuts only after minutes. Everything is bounded: the run ends by
itself in about a minute.

A database of its own (BENCH_SLOW_DATABASE, default angarsk_bench_slow) in the cluster
of DATABASE_URL with the demo data, dropped at the end.

    .venv/bin/python tests/bench/slow_clients.py [--slow 50] [--gets 200]
"""

import argparse
import asyncio
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from harness import (
    SERVED,
    BenchError,
    database_urls,
    fresh_database,
    gunicorn,
    machine_facts,
    manage,
    print_footer,
    run_bench,
    server_facts,
)

PATHS = ("/api/layers/", "/api/reports/")
CLIENTS = 4  # normal clients at once
PREVIOUS = ["--workers", "3"]  # serve.sh before: gunicorn's sync worker
PREVIOUS_GET_TIMEOUT = 3.0  # s; its GETs wait for the slow sockets' workers
GET_TIMEOUT = 30.0
CUT_WAIT = 60.0  # s to wait for the server to cut the slow sockets
BODY_RATE = 512  # bytes/s of the body tricklers
POST_HEAD = (
    b"POST /api/reports/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: multipart/form-data; boundary=slow\r\n"
    b"Content-Length: 10000000\r\n\r\n"
)


# --- slow sockets -------------------------------------------------------------------


async def silent(writer):
    """Connects and sends nothing."""
    await asyncio.Event().wait()


async def head_then_silence(writer):
    writer.write(POST_HEAD)
    await writer.drain()
    await asyncio.Event().wait()


async def head_trickle(writer):
    """A header line a second, never the blank line that ends the head."""
    writer.write(b"POST /api/reports/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    for line in range(10_000):
        await asyncio.sleep(1)
        writer.write(b"X-Slow-%d: 1\r\n" % line)
        await writer.drain()


async def body_trickle(writer):
    writer.write(POST_HEAD)
    for _ in range(10_000):
        await asyncio.sleep(1)
        writer.write(b"x" * BODY_RATE)
        await writer.drain()


KINDS = {
    "connected, silent": silent,
    "POST head, then silent": head_then_silence,
    "head at 1 line/s": head_trickle,
    f"body at {BODY_RATE} B/s": body_trickle,
}


@dataclass
class Cut:
    kind: str
    after: float  # s from connecting
    how: str  # the status line the server sent, or "reset"


async def slow_socket(port, kind, stop):
    """One slow client until the server closes it (a Cut) or `stop` is set (None)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    opened = time.monotonic()
    sending = asyncio.create_task(KINDS[kind](writer))
    answer = asyncio.create_task(reader.read())  # until the server closes
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({answer, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not answer.done():
            return None
        try:
            status = answer.result().split(b"\r\n", 1)[0].decode() or "closed"
        except ConnectionResetError:
            status = "reset"
        return Cut(kind, time.monotonic() - opened, status)
    finally:
        for task in (sending, answer, stopping):
            task.cancel()
        await asyncio.gather(sending, answer, stopping, return_exceptions=True)
        writer.close()


# --- normal requests ----------------------------------------------------------------


@dataclass
class Gets:
    latencies: list = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)
    total: int = 0


async def get(port, path, timeout):
    """Status of GET `path` on a new connection, read to the end."""
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port), timeout
    )
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            "Accept: application/json\r\n\r\n".encode()
        )
        response = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    return int(response.split(b" ", 2)[1])


async def get_client(port, queue, timeout, gets):
    while not queue.empty():
        path = queue.get_nowait()
        start = time.perf_counter()
        try:
            status = await get(port, path, timeout)
        except (TimeoutError, OSError, IndexError, ValueError) as error:
            gets.failures[type(error).__name__] += 1
            continue
        if status == 200:
            gets.latencies.append(time.perf_counter() - start)
        else:
            gets.failures[f"HTTP {status}"] += 1


async def normal_gets(port, count, timeout):
    queue = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(PATHS[i % len(PATHS)])
    gets = Gets(total=count)
    await asyncio.gather(
        *(get_client(port, queue, timeout, gets) for _ in range(CLIENTS))
    )
    return gets


# --- one configuration --------------------------------------------------------------


async def under_slow_clients(port, slow_count, gets_count, timeout, wait_for_cuts):
    """GETs while `slow_count` slow sockets are open; then (Gets, cuts, sockets still
    open when the GETs were done)."""
    stop = asyncio.Event()
    kinds = list(KINDS)
    slow = [
        asyncio.create_task(slow_socket(port, kinds[i % len(kinds)], stop))
        for i in range(slow_count)
    ]
    await asyncio.sleep(1)  # connected, heads sent
    gets = await normal_gets(port, gets_count, timeout)
    open_after_gets = sum(not task.done() for task in slow)
    if wait_for_cuts:
        await asyncio.wait(slow, timeout=CUT_WAIT)
    stop.set()
    cuts = [cut for cut in await asyncio.gather(*slow) if cut is not None]
    return gets, cuts, open_after_gets


def bench(server, args, previous):
    """(baseline Gets, Gets under slow clients, cuts, open after the GETs). The
    previous configuration's GETs under slow clients time out: a few only."""
    asyncio.run(normal_gets(server.port, 2 * CLIENTS, GET_TIMEOUT))  # warm-up
    baseline = asyncio.run(normal_gets(server.port, args.gets, GET_TIMEOUT))
    if previous:
        during = (2 * CLIENTS, PREVIOUS_GET_TIMEOUT)
    else:
        during = (args.gets, GET_TIMEOUT)
    loaded = asyncio.run(
        under_slow_clients(server.port, args.slow, *during, wait_for_cuts=not previous)
    )
    return baseline, *loaded


# --- report -------------------------------------------------------------------------

HEADER = (
    f"{'server':<34} {'slow sockets':>12} {'GETs 200':>10} {'p50 ms':>7} "
    f"{'p95 ms':>7} {'max ms':>7}  failed"
)


def percentile(values, p):
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def print_gets(label, slow, gets):
    lat = sorted(gets.latencies)
    failed = ", ".join(f"{n} {what}" for what, n in gets.failures.items()) or "-"
    print(
        f"{label:<34} {slow:>12} {len(lat):>5}/{gets.total:<4} "
        f"{percentile(lat, 50) * 1000:>7.1f} {percentile(lat, 95) * 1000:>7.1f} "
        f"{(lat[-1] if lat else float('nan')) * 1000:>7.1f}  {failed}",
        flush=True,
    )


def print_cuts(cuts, slow, open_after_gets, waited_for_cuts):
    print(
        f"  slow sockets still open when the GETs were done: {open_after_gets}/{slow}"
    )
    by_kind = defaultdict(list)
    for cut in cuts:
        by_kind[cut.kind].append(cut)
    opened = Counter(list(KINDS)[i % len(KINDS)] for i in range(slow))
    for kind in KINDS:
        kind_cuts, count = by_kind[kind], opened[kind]
        if not kind_cuts:
            if waited_for_cuts:
                print(f"  {kind:<24} {0:>2}/{count} cut within {CUT_WAIT:.0f} s")
            else:
                print(f"  {kind:<24} {0:>2}/{count} cut while the GETs waited")
            continue
        after = sorted(c.after for c in kind_cuts)
        how = ", ".join(
            f"{n}× {s}" for s, n in Counter(c.how for c in kind_cuts).items()
        )
        print(
            f"  {kind:<24} {len(kind_cuts):>2}/{count} cut after "
            f"{after[0]:.1f}–{after[-1]:.1f} s (median {statistics.median(after):.1f}):"
            f" {how}"
        )


def run_configuration(database, label, options, args, previous=False):
    with gunicorn(database.django_url, options, graceful_timeout=5) as server:
        baseline, loaded, cuts, open_after = bench(server, args, previous)
    print_gets(label, 0, baseline)
    print_gets(label, args.slow, loaded)
    print_cuts(cuts, args.slow, open_after, waited_for_cuts=not previous)
    return baseline, loaded, cuts


def check(args, baseline, loaded, cuts):
    """The served configuration must answer every GET and cut every slow socket."""
    problems = []
    if (
        len(loaded.latencies) != loaded.total
        or len(baseline.latencies) != baseline.total
    ):
        problems.append("some GETs failed")
    if len(cuts) != args.slow:
        problems.append(f"{args.slow - len(cuts)} slow sockets were never cut")
    if problems:
        raise BenchError("served configuration: " + "; ".join(problems))
    ratio = percentile(sorted(loaded.latencies), 95) / percentile(
        sorted(baseline.latencies), 95
    )
    print(
        f"served: p95 with {args.slow} slow sockets / without: {ratio:.2f}; "
        f"every slow socket cut within {max(c.after for c in cuts):.1f} s"
    )


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=int, default=50)
    parser.add_argument("--gets", type=int, default=200, help="baseline GETs")
    parser.add_argument(
        "--previous", action=argparse.BooleanOptionalAction, default=True
    )
    return parser.parse_args()


def main():
    args = parse_args()
    database = database_urls("BENCH_SLOW_DATABASE", "angarsk_bench_slow")
    started = time.monotonic()
    with fresh_database(database):
        manage(database.django_url, "load_demo")
        pg, postgis = server_facts(database.pg_url)
        print(
            f"PostgreSQL {pg}, PostGIS {postgis}; {machine_facts()}; {args.slow} slow "
            f"sockets ({', '.join(KINDS)}); {args.gets} GETs of {' and '.join(PATHS)} "
            f"by {CLIENTS} clients, without and with them"
        )
        print(HEADER)
        print("-" * len(HEADER), flush=True)
        served = run_configuration(database, "served (gunicorn.conf.py)", SERVED, args)
        if args.previous:
            label = "before: 3 sync workers"
            run_configuration(database, label, PREVIOUS, args, previous=True)
            wait = PREVIOUS_GET_TIMEOUT
            print(f"  (its GETs under slow sockets are given {wait:.0f} s each)")
        check(args, *served)
    print_footer(started, database.name)


if __name__ == "__main__":
    run_bench(main)
