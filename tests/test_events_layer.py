"""The `events` layer (territories/events/layers.py): upcoming events only, their
public properties, the calendar's filters, and a version that follows the
registrations and the passage of time."""

import json
from datetime import timedelta

import pytest

from territories.events.models import EventKind

from .clock import Clock
from .conftest import utm_point
from .event_signup_helpers import NAME, make_event, sign_up, soon

pytestmark = pytest.mark.django_db
URL = "/api/layers/events/"


def get(client, url=URL, etag=None):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    response = client.get(url, **headers)
    if response.status_code != 200:
        return response, None
    return response, json.loads(b"".join(response.streaming_content))["features"]


def test_upcoming_events_with_their_public_properties(client, tos):
    event = make_event(tos, capacity=1)
    sign_up(event, NAME, email="hidden@example.org")
    make_event(tos, state="cancelled")
    make_event(tos, starts_at=soon(days=-2), ends_at=soon(days=-2) + timedelta(hours=1))
    open_ended = make_event(tos, capacity=None, registration_required=False)
    response, features = get(client)
    assert response.status_code == 200
    by_id = {f["id"]: f["properties"] for f in features}
    assert set(by_id) == {event.pk, open_ended.pk}
    properties = by_id[event.pk]
    assert properties["organiser"] == "ТОС «Перекресток»"
    assert properties["kind"] == "vyhodi-gulyat"
    assert properties["kind_name"] == "Выходи гулять!"
    assert (properties["places_left"], properties["full"]) == (0, True)
    assert properties["url"] == f"/events/{event.pk}/"
    assert (by_id[open_ended.pk]["places_left"], by_id[open_ended.pk]["full"]) == (
        None,
        False,
    )
    text = json.dumps(features, ensure_ascii=False)
    assert "Сидорчук" not in text and "hidden@" not in text


def test_the_filters_are_the_calendars(client, tos, other_tos):
    near = make_event(tos, starts_at=soon(days=1))
    far = make_event(
        other_tos,
        starts_at=soon(days=30),
        geom=utm_point(2100, 100),  # in `other_tos`
        kind=EventKind.objects.get(code="den-sosedey"),
    )
    day = soon(days=10).date().isoformat()
    _r, features = get(client, f"{URL}?from={day}")
    assert [f["id"] for f in features] == [far.pk]
    _r, features = get(client, f"{URL}?kind=den-sosedey&territory={other_tos.pk}")
    assert [f["id"] for f in features] == [far.pk]
    _r, features = get(client, f"{URL}?to={day}&kind=vyhodi-gulyat")
    assert near.pk in [f["id"] for f in features]
    response = client.get(f"{URL}?colour=red")
    assert response.status_code == 400 and response.json()["field"] == "colour"


def test_a_sign_up_changes_the_version(client, tos):
    event = make_event(tos, capacity=2)
    first, _features = get(client)
    again, _features = get(client, etag=first["ETag"])
    assert again.status_code == 304
    sign_up(event)
    response, features = get(client, etag=first["ETag"])
    assert response.status_code == 200
    assert features[0]["properties"]["places_left"] == 1


def test_the_version_changes_when_an_event_ends(client, tos, monkeypatch):
    clock = Clock(monkeypatch)
    ending = make_event(
        tos,
        starts_at=clock.now - timedelta(hours=1),
        ends_at=clock.now + timedelta(hours=1),
    )
    later = make_event(tos, starts_at=clock.now + timedelta(days=2))
    first, features = get(client)
    assert {f["id"] for f in features} == {ending.pk, later.pk}
    clock.advance(minutes=30)
    assert get(client, etag=first["ETag"])[0].status_code == 304
    clock.advance(hours=1)  # `ending` is over: no table changed
    response, features = get(client, etag=first["ETag"])
    assert response.status_code == 200
    assert [f["id"] for f in features] == [later.pk]


def test_the_catalogue_counts_upcoming_events_only(client, tos):
    make_event(tos)
    make_event(tos, state="cancelled")
    make_event(tos, starts_at=soon(days=-3), ends_at=soon(days=-3) + timedelta(hours=2))
    entries = {e["name"]: e for e in client.get("/api/layers/").json()}
    assert entries["events"]["count"] == 1
    assert set(entries["events"]["filters"]) >= {"from", "to", "kind", "territory"}
