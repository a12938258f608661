"""Limits hold when the requests come at once (docs/architecture.md, "Limits"):
simultaneous follows of one mailbox, or from one client, send no more confirmation
mails than the quota; simultaneous guesses of one user's password are checked no
more often than the sign-in throttle allows."""

import threading
from collections import Counter

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import connection
from django.test import RequestFactory

from geo import signin
from geo.errors import Refused, http_status
from geo.models import LimitHit
from geo.requester import Requester
from territories.reports import services as service
from territories.reports.models import Follower

from .report_helpers import make_report

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media", "categories"),
]
SENDERS = 12


def at_once(work):
    """Run work(n) for n in range(SENDERS) in threads started together; the
    outcomes: what each returned, or the HTTP status of its refusal."""
    start = threading.Barrier(SENDERS)
    outcomes = []

    def run(number):
        try:
            start.wait()
            outcomes.append(work(number))
        except Refused as refused:
            outcomes.append(http_status(refused))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(outcomes)


def test_one_mailbox_from_many_clients_at_once(district, settings):
    settings.REPORT_FOLLOW_MAILS_HOURLY_PER_ADDRESS = 3
    report, _token = make_report(status="open")

    def follow(n):
        # Every client tags the address differently: one mailbox all the same.
        by = Requester(ip=f"192.0.2.{n}")
        service.follow(report, f"victim+{n}@example.org", by=by)
        return "mailed"

    assert at_once(follow) == {"mailed": 3, 429: SENDERS - 3}
    assert Follower.objects.filter(email__startswith="victim").count() == 3


def test_one_client_with_many_mailboxes_at_once(district, settings):
    settings.REPORT_FOLLOW_HOURLY_PER_CLIENT = 4
    report, _token = make_report(status="open")

    def follow(n):
        by = Requester(ip="192.0.2.99")
        service.follow(report, f"stranger{n}@example.org", by=by)
        return "mailed"

    assert at_once(follow) == {"mailed": 4, 429: SENDERS - 4}
    assert Follower.objects.filter(email__startswith="stranger").count() == 4


def test_simultaneous_password_guesses_stop_at_the_throttle(db):
    get_user_model().objects.create_user("specialist", password="right", is_staff=True)
    requests = RequestFactory()

    def guess(n):
        request = requests.post("/admin/login/", REMOTE_ADDR=f"192.0.2.{n}")
        user = authenticate(request, username="specialist", password=f"guess{n}")
        assert user is None
        return "locked" if hasattr(request, signin.LOCKED_UNTIL) else "checked"

    # The fifth failure starts the lockout and says so; the rest are not checked.
    assert at_once(guess) == {"checked": 4, "locked": SENDERS - 4}
    assert LimitHit.objects.filter(scope="signin-username").count() == 5
