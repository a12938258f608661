"""The status counters (reports migration 0004; docs/architecture.md, "Long lists:
keyset pages and counts") stay exact however writers interleave: inserts, status
changes and deletes racing in transactions of their own. Real threads, each with its
own connection."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.db.models import Count

from territories.reports.models import Category, ProblemReport, StatusCount

from .conftest import utm_point

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 8


@pytest.fixture
def category(db):
    return Category.objects.get_or_create(code="yard", defaults={"name": "двор"})[0]


def new_report(category, status="moderation"):
    return ProblemReport.objects.create(
        category=category,
        description="Яма",
        geom=utm_point(100, 100),
        source="web",
        status=status,
    )


def stored_counts():
    """{status: reports} counted over the table, the truth the counters keep."""
    return dict(
        ProblemReport.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )


def kept_counts():
    return {s: n for s, n in StatusCount.objects.by_status().items() if n}


def in_threads(target, count):
    start = threading.Barrier(count)
    errors = []

    def run(number):
        try:
            start.wait()
            target(number)
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_racing_inserts_status_changes_and_deletes_keep_the_counts_exact(category):
    doomed = [new_report(category, "open") for _ in range(WRITERS)]
    moving = [new_report(category, "moderation") for _ in range(WRITERS)]

    def write(number):
        with transaction.atomic():
            new_report(category, "moderation")
            ProblemReport.objects.filter(pk=moving[number].pk).update(status="open")
            ProblemReport.objects.filter(pk=doomed[number].pk).delete()
            time.sleep(0.05)  # hold the counter rows while the others queue

    in_threads(write, WRITERS)
    assert stored_counts() == {"moderation": WRITERS, "open": WRITERS}
    assert kept_counts() == stored_counts()


def test_a_second_writer_of_a_status_waits_for_the_first(category):
    inserted, committed, order = threading.Event(), threading.Event(), []

    def first():
        with transaction.atomic():
            new_report(category)
            inserted.set()
            time.sleep(0.5)
            order.append("first commits")
        committed.set()
        connection.close()

    def second():
        inserted.wait()
        with transaction.atomic():
            new_report(category)  # queues on the counter row of «moderation»
            order.append("second inserted")
        connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert order == ["first commits", "second inserted"]
    assert kept_counts() == stored_counts() == {"moderation": 2}


def test_a_bulk_change_rolled_back_leaves_the_counts(category):
    for _ in range(3):
        new_report(category, "open")
    with pytest.raises(RuntimeError), transaction.atomic():
        ProblemReport.objects.update(status="fixed")
        raise RuntimeError
    ProblemReport.objects.filter(pk__in=ProblemReport.objects.values("pk")[:2]).update(
        status="fixed"
    )
    assert kept_counts() == stored_counts() == {"open": 1, "fixed": 2}
