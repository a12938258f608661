"""`make bench`, workspace section: a specialist's bulk status change of 500 reports,
each with a confirmed follower, through the real workspace form served by gunicorn.

Times the request (it must not wait for mail), counts the mail jobs it left in the
queue, then runs one job worker to the end (`manage.py procrastinate worker
--one-shot`) and counts the mails it sent (console backend). Rounds alternate
open → in progress → open, so each round changes every report.

Everything happens in a database of its own (BENCH_BULK_DATABASE, default
angarsk_bench_bulk), re-created on every run and dropped at the end.

    .venv/bin/python tests/bench/bulk_bench.py [--reports 500] [--rounds 4]
"""

import argparse
import statistics
import subprocess
import sys
import time

import psycopg
import requests
from harness import (
    REPO,
    BenchError,
    database_urls,
    django_env,
    fresh_database,
    gunicorn,
    machine_facts,
    manage,
    print_footer,
    run_bench,
    server_facts,
)
from reports_load import load_district

PASSWORD = "bench-only-password-4711"
MAKE_REPORTS = """
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.utils import timezone
from territories.reports.models import Category, Follower, ProblemReport, ReportUpdate

get_user_model().objects.create_user("bench", password={password!r}, is_staff=True)
category = Category.objects.get(code="yard")
now = timezone.now()
reports = ProblemReport.objects.bulk_create(
    ProblemReport(
        category=category,
        description=f"Яма №{{n}}",
        status="open",
        source="web",
        geom=Point(103.85 + n * 1e-4, 52.54, srid=4326).transform(
            {srid}, clone=True
        ),
    )
    for n in range({count})
)
ReportUpdate.objects.bulk_create(
    ReportUpdate(report=r, status="open", role="specialist") for r in reports
)
Follower.objects.bulk_create(
    Follower(report=r, email=f"sosed{{r.pk}}@example.org", confirmed_at=now,
             unsubscribe_token=f"bench-{{r.pk:037d}}")
    for r in reports
)
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=4)
    return parser.parse_args()


def signed_in(port):
    session = requests.Session()
    base = f"http://127.0.0.1:{port}"
    session.get(f"{base}/admin/login/", timeout=30)
    answer = session.post(
        f"{base}/admin/login/?next=/workspace/",
        data={
            "username": "bench",
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/workspace/",
        },
        timeout=30,
    )
    if "sessionid" not in session.cookies:
        raise BenchError(f"sign-in failed: HTTP {answer.status_code}")
    return session, base


def bulk_change(session, base, ids, status, current):
    url = f"{base}/workspace/?status={current}"
    data = {
        "reports": [str(pk) for pk in ids],
        "status": status,
        "comment": "Бригада выехала",
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
    }
    started = time.perf_counter()
    answer = session.post(url, data=data, allow_redirects=False, timeout=300)
    elapsed = time.perf_counter() - started
    if answer.status_code != 302:
        raise BenchError(f"bulk change answered {answer.status_code}")
    return elapsed


def queued_mail_jobs(pg_url):
    with psycopg.connect(pg_url) as conn:
        return conn.execute(
            "SELECT count(*) FROM procrastinate_jobs "
            "WHERE task_name = 'reports.mail_update' AND status = 'todo'"
        ).fetchone()[0]


def run_worker(django_url):
    """(seconds, mails sent): one worker until the queue is empty."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot"],
        cwd=REPO,
        env=django_env(django_url),
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    mails = sum(1 for line in result.stdout.splitlines() if line.startswith("To: "))
    return elapsed, mails


def main():
    args = parse_args()
    database = database_urls("BENCH_BULK_DATABASE", "angarsk_bench_bulk")
    started = time.monotonic()
    with fresh_database(database):
        load_district(database.pg_url)
        with psycopg.connect(database.pg_url) as conn:
            srid = conn.execute(
                "SELECT Find_SRID('public', 'territories_district', 'geom')"
            ).fetchone()[0]
            code = MAKE_REPORTS.format(password=PASSWORD, srid=srid, count=args.reports)
        manage(database.django_url, "shell", "-c", code)
        with psycopg.connect(database.pg_url) as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM reports_problemreport")]
        pg, postgis = server_facts(database.pg_url)
        print(
            f"PostgreSQL {pg}, PostGIS {postgis}; {machine_facts()}; gunicorn 1 sync "
            f"worker; bulk status change of {len(ids)} reports (one confirmed "
            f"follower each) through /workspace/, {args.rounds} rounds",
            flush=True,
        )
        requests_s, workers_s = [], []
        with gunicorn(database.django_url, ["-w", "1"]) as server:
            session, base = signed_in(server.port)
            current = "open"
            for number in range(args.rounds):
                target = "in_progress" if current == "open" else "open"
                took = bulk_change(session, base, ids, target, current)
                queued = queued_mail_jobs(database.pg_url)
                worker_took, mails = run_worker(database.django_url)
                print(
                    f"  round {number + 1}: request {took:.2f} s, mail jobs queued "
                    f"{queued}, worker {worker_took:.2f} s, mails sent {mails}",
                    flush=True,
                )
                if queued != len(ids) or mails != len(ids):
                    raise BenchError("every report's follower must get one mail")
                requests_s.append(took)
                workers_s.append(worker_took)
                current = target
        print(
            f"median: request {statistics.median(requests_s):.2f} s for {len(ids)} "
            f"reports (no mail sent in it); worker "
            f"{statistics.median(workers_s):.2f} s for {len(ids)} mails"
        )
    print_footer(started, database.name)


if __name__ == "__main__":
    run_bench(main)
