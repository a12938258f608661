"""A flood of simultaneous refused reports from one sender cannot overshoot the
refusal budget (services/attempts.py): each attempt is written down under an advisory
lock before it is checked."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from geo import limits
from geo.errors import Refused, http_status
from territories.reports import services as service
from territories.reports.models import Category, ProblemReport
from territories.reports.services.attempts import REFUSALS

pytestmark = pytest.mark.django_db(transaction=True)

SENDERS = 12
BUDGET = 3
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def test_simultaneous_refused_reports_of_one_client_stop_at_the_budget(
    district, settings
):
    settings.REPORT_HOURLY_REFUSALS = BUDGET
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
                    "lon": 104.5,  # east of the test district
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
    assert sorted(outcomes) == [400] * BUDGET + [429] * (SENDERS - BUDGET)
    assert limits.hits(REFUSALS, "client:one-client", since=EPOCH).count() == BUDGET
    assert not ProblemReport.objects.exists()
