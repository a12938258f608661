"""Last-Modified of the events' outputs whose ETag carries time (an event ending,
the calendar's window moving by a day) is the latest of the tables' changes and
that instant: a client sending only If-Modified-Since gets no stale 304
(territories/events/versions.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from geo.models import LayerState

from .event_helpers import event

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended_an_hour_ago(tos):
    """An event that ended an hour ago while no table changed for two hours (or
    two days, for the calendar)."""
    now = timezone.now()
    row = event(tos, starts=timedelta(hours=-2), hours=1)
    upcoming = event(tos, title="Впереди", starts=timedelta(days=2))
    LayerState.objects.update(changed_at=now - timedelta(days=2))
    return row, upcoming, now


def since(moment):
    return {"HTTP_IF_MODIFIED_SINCE": http_date(moment.timestamp())}


@pytest.mark.parametrize(
    "url",
    ["/api/indicators/events/", "/api/layers/events/", "/events.ics"],
)
def test_if_modified_since_alone_sees_the_time_driven_change(
    client, ended_an_hour_ago, url
):
    _row, _upcoming, now = ended_an_hour_ago
    # Asked after the tables last changed but before the change time made: the
    # event's end, or for the calendar today's local midnight (its window moved).
    if url == "/events.ics":
        midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0)
        asked = midnight - timedelta(hours=1)
    else:
        asked = now - timedelta(minutes=90)
    fresh = client.get(url, **since(asked))
    assert fresh.status_code == 200, url
    assert parse_http_date(fresh.headers["Last-Modified"]) > asked.timestamp()
    # Asked after that change too: 304.
    assert client.get(url, **since(now + timedelta(seconds=1))).status_code == 304
