"""The iCalendar feeds: accepted bookings only, parsed by icalendar and vobject,
stable UIDs, UTC times, nothing personal; ETag and Last-Modified change with what
the feed shows, including the organiser's name."""

import icalendar
import pytest
import vobject
from django.test import Client

from territories.centres.services import bookings

from .centres_helpers import at, book, centre, chair, council_member, room, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(district, tos):
    hall = room(centre())
    asker = chair(tos, "chair-person")
    staff = staff_of(hall.centre)
    accepted = book(
        asker, hall, at(0, "18:00"), at(0, "19:30"), territory=tos, title="Совет"
    )
    bookings.accept(accepted.bookings.get(), by=staff)
    book(asker, hall, at(1, "10:00"), at(1, "11:00"), territory=tos, title="Ждёт")
    return hall


def test_the_room_feed_parses_with_icalendar_and_vobject(scene):
    answer = Client().get(f"/centres/rooms/{scene.pk}.ics")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar")
    body = answer.content
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["summary"]) == "Совет — ТОС «Перекресток»"
    assert event.decoded("dtstart") == at(0, "18:00")
    assert event["dtstart"].to_ical().endswith(b"Z")  # UTC
    parsed = vobject.readOne(body.decode())
    (vevent,) = parsed.vevent_list
    assert vevent.dtend.value == at(0, "19:30")
    assert vevent.uid.value == str(event["uid"])
    text = body.decode()
    assert (
        "chair-person" not in text and "@example.org" not in text and "Ждёт" not in text
    )


def test_the_uid_is_stable_and_the_centre_feed_has_it_too(scene):
    room_uid = icalendar.Calendar.from_ical(
        Client().get(f"/centres/rooms/{scene.pk}.ics").content
    ).walk("VEVENT")[0]["uid"]
    centre_feed = Client().get(f"/centres/{scene.centre.pk}.ics").content
    assert [
        str(e["uid"]) for e in icalendar.Calendar.from_ical(centre_feed).walk("VEVENT")
    ] == [str(room_uid)]


def test_the_etag_answers_304_and_changes_with_the_organisers_name(scene, tos):
    url = f"/centres/rooms/{scene.pk}.ics"
    first = Client().get(url)
    etag = first["ETag"]
    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    tos.name = "Перекрёсток-2"
    tos.save()
    second = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200 and second["ETag"] != etag
    assert "Перекрёсток-2" in second.content.decode()


def test_the_etag_changes_with_a_council_rename(scene):
    council, member = council_member()
    url = f"/centres/rooms/{scene.pk}.ics"
    etag = Client().get(url)["ETag"]
    council.name = "Совет МКД ул. Ленина, 7"
    council.save()
    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_unknown_feeds_are_404(scene):
    assert Client().get("/centres/rooms/999999.ics").status_code == 404
    assert Client().get("/centres/999999.ics").status_code == 404
