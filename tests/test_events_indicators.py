"""The events' indicators (docs/domain.md, "Event indicators"): events held and their
participants, trees planted at drives, by year, kind and territory, from recorded
rows only. Held = not cancelled, ended, participants recorded; an event's territory
= the approved TOS containing its point, else its organiser's TOS."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from territories.events.models import Event, PlantedTree
from territories.registry.models import Council, Tree

from .clock import Clock
from .conftest import utm_point
from .event_helpers import event, kind, planting_kind

pytestmark = pytest.mark.django_db
URL = "/api/indicators/events/"
IRKUTSK = ZoneInfo("Asia/Irkutsk")


def local(*args):
    return datetime(*args, tzinfo=IRKUTSK)


def recorded(row, participants):
    row.participants = participants
    row.save(update_fields=["participants"])
    return row


def plant(drive, n):
    for i in range(n):
        tree = Tree.objects.create(geom=utm_point(10 + i, 10), species="берёза")
        PlantedTree.objects.create(event=drive, tree=tree)


def figures(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def by(rows, key):
    return {
        (row[key]["id"] if isinstance(row[key], dict) else row[key]): (
            row["events_held"],
            row["participants"],
            row["trees_planted"],
        )
        for row in rows
    }


@pytest.fixture
def practice(tos, other_tos):
    """Events of two years in two TOS, and some that do not count."""
    council = Council.objects.create(name="Совет МКД ул. Ленина, 5")
    clean = kind()
    walk = kind("vyhodi-gulyat", "Выходи гулять!")
    drive_kind = planting_kind()
    rows = {
        # Held in `tos` (its point is inside), organised by a council.
        "a": recorded(event(council=council, starts=local(2024, 6, 1, 11)), 30),
        # In `tos`, organised by the other TOS: the point decides.
        "b": recorded(event(other_tos, of_kind=walk, starts=local(2024, 8, 3, 12)), 12),
        # Outside every TOS, organised by the other TOS: its organiser's TOS.
        "c": recorded(
            event(other_tos, at=(5000, 5000), starts=local(2025, 5, 9, 10)), 8
        ),
        # Outside every TOS, by a group: no territory.
        "d": recorded(event(at=(-5000, 0), starts=local(2025, 7, 1, 10)), 0),
        # A planting drive in `tos`, 2025, with trees.
        "drive": recorded(
            event(tos, of_kind=drive_kind, starts=local(2025, 9, 20, 10)), 20
        ),
        # Starts on 1 January local time, 31 December in UTC: counts for 2025.
        "new_year": recorded(event(tos, starts=local(2025, 1, 1, 4)), 5),
        # Not held: participants not recorded; cancelled; not over yet.
        "unrecorded": event(tos, starts=local(2025, 4, 1, 10)),
        "cancelled": recorded(
            event(tos, starts=local(2025, 4, 2, 10), state=Event.State.CANCELLED), 99
        ),
        "running": recorded(event(tos, starts=timedelta(hours=-1), hours=5), 77),
    }
    plant(rows["drive"], 3)
    return rows, clean, walk, drive_kind


def test_held_events_by_year_kind_and_territory(client, practice, tos, other_tos):
    rows, clean, walk, drive_kind = practice
    answer = figures(client)
    assert answer["totals"] == {
        "events_held": 6,
        "participants": 30 + 12 + 8 + 0 + 20 + 5,
        "trees_planted": 3,
    }
    assert by(answer["by_year"], "year") == {
        2024: (2, 42, 0),
        2025: (4, 33, 3),
    }
    assert by(answer["by_kind"], "kind") == {
        clean.pk: (4, 30 + 8 + 0 + 5, 0),
        walk.pk: (1, 12, 0),
        drive_kind.pk: (1, 20, 3),
    }
    assert by(answer["by_territory"], "territory") == {
        tos.pk: (4, 30 + 12 + 20 + 5, 3),
        other_tos.pk: (1, 8, 0),
        None: (1, 0, 0),
    }
    names = {
        row["territory"]["name"] for row in answer["by_territory"] if row["territory"]
    }
    assert names == {tos.name, other_tos.name}


def test_filters(client, practice, tos, other_tos):
    rows, clean, walk, drive_kind = practice
    in_2024 = figures(client, year=2024)
    assert in_2024["totals"]["events_held"] == 2
    assert in_2024["filters"] == {"year": 2024}
    walks = figures(client, kind="vyhodi-gulyat")
    assert walks["totals"] == {"events_held": 1, "participants": 12, "trees_planted": 0}
    other = figures(client, territory=other_tos.pk)
    assert other["totals"] == {"events_held": 1, "participants": 8, "trees_planted": 0}
    combined = figures(client, year=2025, territory=tos.pk, kind="ukorenis")
    assert combined["totals"] == {
        "events_held": 1,
        "participants": 20,
        "trees_planted": 3,
    }


def test_trees_count_before_participants_are_in(client, tos):
    drive = event(tos, of_kind=planting_kind(), starts=local(2025, 9, 20, 10))
    plant(drive, 2)
    answer = figures(client)
    assert answer["totals"] == {"events_held": 0, "participants": 0, "trees_planted": 2}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"year": "1999"}, "year"),
        ({"year": "２０２５"}, "year"),
        ({"year": "2025.0"}, "year"),
        ({"kind": "no-such-kind"}, "kind"),
        ({"territory": "0"}, "territory"),
        ({"territory": "99999"}, "territory"),
        ({"territory": "abc"}, "territory"),
        ({"tos": "1"}, "tos"),
    ],
)
def test_bad_parameters_are_named(client, district, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_etag_follows_the_records(client, tos):
    held = recorded(event(tos, starts=local(2025, 6, 1, 10)), 10)
    first = client.get(URL)
    etag = first.headers["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    recorded(held, 11)
    second = client.get(URL)
    assert second.headers["ETag"] != etag
    assert second.json()["totals"]["participants"] == 11


def test_etag_changes_when_an_event_ends(client, tos, monkeypatch):
    clock = Clock(monkeypatch)
    recorded(event(tos, starts=timedelta(hours=-1), hours=2), 15)
    before = client.get(URL)
    assert before.json()["totals"]["events_held"] == 0
    clock.advance(hours=2)  # the event is over; no row changed
    after = client.get(URL, HTTP_IF_NONE_MATCH=before.headers["ETag"])
    assert after.status_code == 200
    assert after.json()["totals"]["events_held"] == 1


def test_the_query_count_is_fixed(client, practice, django_assert_num_queries):
    # The version (table changes, last end), three GROUP BYs, the TOS names.
    with django_assert_num_queries(6):
        client.get(URL)
