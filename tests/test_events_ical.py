"""Events in calendars (docs/domain.md, "Events in calendars"): every file parses
with icalendar and with vobject, carries the event's fields (stable UID, DTSTAMP,
UTC times, summary, description, location, geo, URL, the organiser's public name),
keeps cancelled events as STATUS:CANCELLED, is bounded to a window, filters by TOS,
and has an ETag that follows what it shows. The Atom feed of new events too."""

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import icalendar
import pytest
import vobject

from territories.events.models import Event
from territories.registry.models import Council, Yard

from .clock import Clock
from .conftest import utm_box
from .event_helpers import event, kind

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
# A month ahead (inside the calendar's window), at 03:00 UTC.
START = (datetime.now(UTC) + timedelta(days=30)).replace(
    hour=3, minute=0, second=0, microsecond=0
)


def both(content):
    """The calendar's VEVENTs read by icalendar and by vobject, by UID."""
    by_icalendar = {
        str(item["UID"]): item
        for item in icalendar.Calendar.from_ical(content).walk("VEVENT")
    }
    parsed = vobject.readOne(content.decode())
    by_vobject = {item.uid.value: item for item in getattr(parsed, "vevent_list", [])}
    assert set(by_icalendar) == set(by_vobject)
    return by_icalendar, by_vobject


def get_ics(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


@pytest.fixture
def festival(tos):
    return event(
        tos,
        title="День соседей во дворе",
        of_kind=kind("den-sosedey", "День соседей"),
        starts=START,  # 11:00 in Irkutsk
        hours=4,
        address="Двор у дома 5, 12а микрорайон",
        description="Чай, игры, знакомство с соседями.",
    )


def test_one_event_file(client, festival, settings):
    settings.SITE_URL = "https://sosedi.example.org"
    content = get_ics(client, f"/events/{festival.pk}.ics").content
    icals, vobjs = both(content)
    uid = f"event-{festival.pk}@sosedi.example.org"
    entry, other = icals[uid], vobjs[uid]
    end = START + timedelta(hours=4)
    assert entry.decoded("DTSTART") == START
    assert entry.decoded("DTEND") == end
    assert f"DTSTART:{START:%Y%m%d}T030000Z".encode() in content  # UTC, as such
    assert other.dtstart.value == START
    assert other.dtend.value == end
    assert str(entry["SUMMARY"]) == other.summary.value == "День соседей во дворе"
    assert "Чай, игры" in str(entry["DESCRIPTION"])
    assert "ТОС «Перекресток»" in other.description.value
    assert str(entry["LOCATION"]) == "Двор у дома 5, 12а микрорайон"
    assert other.location.value == "Двор у дома 5, 12а микрорайон"
    lat, lon = entry.decoded("GEO")
    point = festival.geom.transform(4326, clone=True)
    assert (lat, lon) == pytest.approx((point.y, point.x), abs=1e-6)
    other_lat, other_lon = map(float, other.geo.value.split(";"))
    assert (other_lat, other_lon) == pytest.approx((point.y, point.x), abs=1e-6)
    url = f"https://sosedi.example.org/events/{festival.pk}/"
    assert str(entry["URL"]) == other.url.value == url
    assert entry["ORGANIZER"].params["CN"] == "ТОС «Перекресток»"
    assert other.organizer.params["CN"] == ["ТОС «Перекресток»"]
    assert "mailto:" not in content.decode().lower()
    assert str(entry["STATUS"]) == "CONFIRMED"
    assert entry.decoded("DTSTAMP").tzinfo is not None
    assert other.dtstamp.value.tzinfo is not None


def test_the_uid_is_stable(client, festival):
    first = both(get_ics(client, f"/events/{festival.pk}.ics").content)[0]
    festival.title = "День соседей (перенесено во двор дома 7)"
    festival.save()
    second = both(get_ics(client, f"/events/{festival.pk}.ics").content)[0]
    assert set(first) == set(second)
    whole = both(get_ics(client, "/events.ics").content)[0]
    assert set(first) <= set(whole)


def test_a_council_organiser_and_a_yard(client, district):
    council = Council.objects.create(name="Совет МКД ул. Ленина, 5")
    yard = Yard.objects.create(name="Двор у дома 5", geom=utm_box(0, 0, 100, 100))
    row = event(
        council=council,
        starts=timedelta(days=3),
        place_kind=Event.PlaceKind.YARD,
        yard=yard,
    )
    entry = next(
        iter(both(get_ics(client, f"/events/{row.pk}.ics").content)[1].values())
    )
    assert entry.organizer.params["CN"] == ["Совет МКД ул. Ленина, 5"]
    assert entry.location.value == "Двор у дома 5"


def test_the_calendar_window_and_cancelled_events(client, tos, settings):
    settings.EVENT_CALENDAR_PAST_DAYS = 30
    settings.EVENT_CALENDAR_FUTURE_DAYS = 60
    recent = event(tos, title="Недавнее", starts=timedelta(days=-20))
    coming = event(tos, title="Будущее", starts=timedelta(days=50))
    cancelled = event(
        tos, title="Отменённое", starts=timedelta(days=5), state=Event.State.CANCELLED
    )
    event(tos, title="Давнее", starts=timedelta(days=-40))
    event(tos, title="Далёкое", starts=timedelta(days=70))
    icals, vobjs = both(get_ics(client, "/events.ics").content)
    titles = {str(entry["SUMMARY"]) for entry in icals.values()}
    assert titles == {"Недавнее", "Будущее", "Отменённое"}
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in icals.values()}
    assert statuses["Отменённое"] == "CANCELLED"
    assert statuses["Будущее"] == "CONFIRMED"
    assert {v.summary.value for v in vobjs.values()} == titles
    assert len({recent.pk, coming.pk, cancelled.pk}) == 3


def test_one_territory_calendar(client, tos, other_tos):
    inside = event(other_tos, title="В Перекрестке", starts=timedelta(days=2))
    outside = event(
        other_tos, title="У Старицы", at=(2100, 100), starts=timedelta(days=2)
    )
    elsewhere = event(tos, title="Вне ТОС", at=(9000, 9000), starts=timedelta(days=2))
    mine = both(get_ics(client, "/events.ics", territory=tos.pk).content)[0]
    assert {str(e["SUMMARY"]) for e in mine.values()} == {
        inside.title,
        elsewhere.title,
    }
    theirs = both(get_ics(client, "/events.ics", territory=other_tos.pk).content)[0]
    assert {str(e["SUMMARY"]) for e in theirs.values()} == {outside.title}
    calendar = icalendar.Calendar.from_ical(
        get_ics(client, "/events.ics", territory=tos.pk).content
    )
    assert "Перекресток" in str(calendar["X-WR-CALNAME"])


@pytest.mark.parametrize("territory", ["abc", "0", "99999", "1.5"])
def test_a_bad_territory_is_named(client, district, territory):
    response = client.get("/events.ics", {"territory": territory})
    assert response.status_code == 400
    assert response.content.decode().startswith("territory:")


def test_unknown_event_file(client, district):
    assert client.get("/events/999999.ics").status_code == 404


def test_etag_and_last_modified_follow_the_events(client, festival, tos):
    url = f"/events/{festival.pk}.ics"
    first = get_ics(client, url)
    assert first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    tos.name = "Перекресток-2"  # the organiser's name is in the file
    tos.save()
    second = get_ics(client, url)
    assert second["ETag"] != first["ETag"]
    assert "Перекресток-2" in second.content.decode()
    festival.state = Event.State.CANCELLED
    festival.save()
    third = get_ics(client, url)
    assert third["ETag"] != second["ETag"]
    assert b"STATUS:CANCELLED" in third.content


def test_the_calendar_etag_moves_with_the_day(client, tos, monkeypatch, settings):
    settings.EVENT_CALENDAR_PAST_DAYS = 1
    clock = Clock(monkeypatch)
    event(tos, title="Вчера", starts=timedelta(hours=-20), hours=1)
    today = get_ics(client, "/events.ics")
    assert b"SUMMARY:" in today.content
    clock.advance(days=3)
    later = client.get("/events.ics", HTTP_IF_NONE_MATCH=today["ETag"])
    assert later.status_code == 200
    assert b"SUMMARY:" not in later.content


def test_the_same_content_whatever_the_language(client, festival):
    russian = get_ics(client, "/events.ics", HTTP_ACCEPT_LANGUAGE="ru").content
    english = get_ics(client, "/events.ics", HTTP_ACCEPT_LANGUAGE="en").content
    assert russian == english


# --- Atom -----------------------------------------------------------------------------


def test_atom_feed_of_new_events(client, tos, other_tos):
    older = event(tos, title="Первое", starts=timedelta(days=5))
    newer = event(other_tos, title="Второе", at=(2100, 100), starts=timedelta(days=1))
    response = client.get("/feeds/events.atom")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles[0].startswith("Второе") and titles[1].startswith("Первое")
    for entry, shown in zip(entries, (newer, older), strict=True):
        published = entry.find(f"{ATOM}published").text
        assert datetime.fromisoformat(published) == shown.created_at
        assert entry.find(f"{ATOM}updated") is not None
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links[0].endswith(f"/events/{newer.pk}/")
    assert "ТОС «Старица»" in entries[0].find(f"{ATOM}summary").text
    only = client.get("/feeds/events.atom", {"territory": tos.pk})
    only_titles = [
        e.find(f"{ATOM}title").text
        for e in ElementTree.fromstring(only.content).findall(f"{ATOM}entry")
    ]
    assert len(only_titles) == 1 and only_titles[0].startswith(older.title)
    bad = client.get("/feeds/events.atom", {"territory": "x"})
    assert bad.status_code == 400


def test_an_event_in_a_room_is_located_at_its_centre(client, district, tos):
    """iCalendar, Atom and the reminder name the centre, the room and the centre's
    address; renaming the room changes the calendar's ETag."""
    from territories.centres.models import Booking, BookingSeries

    from .centres_helpers import at, centre, room

    hall = room(centre(3), name="Малый зал")
    series = BookingSeries.objects.create(
        room=hall, title="Собрание", territory=tos, requested_by=None
    )
    booking = Booking.objects.create(
        series=series, room=hall, starts_at=at(1, "17:00"), ends_at=at(1, "21:00")
    )
    row = event(
        tos,
        starts=at(1, "18:00"),
        place_kind=Event.PlaceKind.ROOM,
        room=hall,
        booking=booking,
    )
    where = "Ресурсный центр № 3, Малый зал, ул. Тестовая, 3"
    calendar = icalendar.Calendar.from_ical(client.get(f"/events/{row.pk}.ics").content)
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["LOCATION"]) == where
    assert where in client.get("/feeds/events.atom").content.decode()
    etag = client.get("/events.ics")["ETag"]
    hall.name = "Большой зал"
    hall.save()
    assert client.get("/events.ics")["ETag"] != etag

    from territories.events.public import place_text

    assert place_text(Event.objects.get(pk=row.pk)).startswith("Ресурсный центр № 3")
