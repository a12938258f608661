"""A flood of simultaneous reports from one sender cannot overshoot the quota."""

import threading

import pytest
from django.db import connection

from geo.errors import Refused, http_status
from territories.reports import services as service
from territories.reports.models import Category, ProblemReport

pytestmark = pytest.mark.django_db(transaction=True)

SENDERS = 12
QUOTA = 3


def test_simultaneous_reports_of_one_client_stop_at_the_quota(district, settings):
    settings.REPORT_HOURLY_QUOTA = QUOTA
    # Transactional tests flush the database, seeded categories included.
    Category.objects.get_or_create(code="yard", defaults={"name": "двор"})
    start = threading.Barrier(SENDERS)
    outcomes = []

    def send(number):
        try:
            start.wait()
            service.submit_report(
                {
                    "lat": 52.5406,
                    "lon": 103.888,
                    "category": "yard",
                    "description": f"яма {number}",
                },
                source="web",
                client_hash="one-client",
            )
            outcomes.append("stored")
        except Refused as refused:
            outcomes.append(http_status(refused))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=str) == sorted(
        ["stored"] * QUOTA + [429] * (SENDERS - QUOTA), key=str
    )
    assert ProblemReport.objects.filter(client_hash="one-client").count() == QUOTA
