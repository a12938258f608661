"""Background jobs in tests (docs/architecture.md, "Background jobs").

`run_jobs()` runs the real procrastinate worker in this process until no job is due,
then returns. The worker connects to the database on its own, as it does in
production, so it sees committed rows only: tests that run it are transactional
(`JOBS` below). Nothing here sleeps; a retry's backoff is skipped by making the
waiting jobs due (`make_retries_due`).
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from smtplib import SMTPException

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, connections
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

# The worker's own connection must see the test's rows. Such tests that make reports
# also use the `categories` fixture (conftest.py).
JOBS = pytest.mark.django_db(transaction=True)

# procrastinate's tables in one statement: the events and the periodic defers point
# at the jobs, so TRUNCATE must name them together.
TABLES = (
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_jobs",
    "procrastinate_workers",
)


def run_jobs():
    """Run every job that is due now, then return."""
    asyncio.run(_work())


async def _work():
    # The worker runs sync tasks in the loop's default executor. One thread of ours
    # keeps its Django connection from job to job, as a real worker does
    # (CONN_MAX_AGE), and closes it at the end: left open, it would hold the test
    # database past the session.
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=1) as thread:
        loop.set_default_executor(thread)
        with app.replace_connector(app.connector.get_worker_connector()):
            async with app.open_async():
                await app.run_worker_async(
                    wait=False, install_signal_handlers=False, listen_notify=False
                )
        await loop.run_in_executor(thread, connections.close_all)


def make_retries_due():
    """Jobs waiting for a retry become due now, as if their backoff had passed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_jobs SET scheduled_at = now() "
            "WHERE status = 'todo' AND scheduled_at > now()"
        )


def forget_jobs():
    """Empty procrastinate's tables. They are unmanaged models, so the flush after
    a transactional test leaves them alone; without this, jobs of one test would be
    run by the next."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY")


def jobs(task_name=None):
    found = ProcrastinateJob.objects.order_by("pk")
    return found.filter(task_name=task_name) if task_name else found


class FailingSMTPBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        raise SMTPException("451 4.3.0 Mail server temporarily rejected message")
