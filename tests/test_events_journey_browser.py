# Fixtures are imported from browser_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""Issue 10's story in headless Chromium, as the three people would live it:

1. a TOS chair creates an event in a resource centre's room, booking the room in
   the same step, and the centre's staff accept the booking in their queue;
2. a resident finds the event on the map and signs up; a second one is put on the
   waitlist; the first cancels through the secret link and the second moves up;
3. after the event the organiser records 23 participants and a photo, and the
   events' indicators count it."""

import io
from datetime import time, timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from PIL import Image

from territories.centres.models import Booking, OpeningHours, Room
from territories.events.models import Event, Registration

from .browser_fixtures import angarsk, browser, open_map  # noqa: F401
from .centres_helpers import at, chair, staff_of
from .clock import Clock

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, user, live_server):
    """The page's browser carries `user`'s session (made by Django's test client)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


def photo_upload():
    jpeg = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 120, 60)).save(jpeg, "JPEG")
    return {
        "name": "субботник.jpg",
        "mimeType": "image/jpeg",
        "buffer": jpeg.getvalue(),
    }


def local_input(moment):
    """A datetime-local field's value."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def sign_up(page, name, email):
    page.locator("#signup-name").fill(name)
    page.locator("#signup-email").fill(email)
    page.locator(".event-signup button[type=submit]").click()
    return page.locator(".event-signup-done")


def test_book_create_find_sign_up_waitlist_cancel_record_count(
    angarsk, open_map, kinds, live_server, monkeypatch
):
    clock = Clock(monkeypatch)
    centre = angarsk.centre
    OpeningHours.objects.bulk_create(
        OpeningHours(centre=centre, weekday=d, opens=time(9), closes=time(21))
        for d in range(7)
    )
    room = Room.objects.create(centre=centre, name="Зал для собраний", capacity=30)
    organiser = chair(angarsk.territories[0])
    staff = staff_of(centre)
    starts, ends = at(2, "18:00"), at(2, "19:30")

    # 1. The chair creates the event in the room; the room is booked in that step.
    page, log = open_map()
    signed_in(page, organiser, live_server)
    page.goto(live_server.url + "/events/new/")
    page.locator("#f-title").fill("Чистый дворик на Перекрестке")
    page.locator("#f-kind").select_option("chisty-dvorik")
    page.locator("#f-starts").fill(local_input(starts))
    page.locator("#f-ends").fill(local_input(ends))
    page.locator("input[name=place_kind][value=room]").check()
    page.locator("#f-room").select_option(str(room.pk))
    page.locator("input[name=registration_required]").check()
    page.locator("#f-capacity").fill("1")
    page.locator("button[type=submit]", has_text="Сохранить").click()
    expect(page.locator("h2.event-title")).to_have_text("Чистый дворик на Перекрестке")
    event = Event.objects.get()
    booking = Booking.objects.get()
    assert (event.booking_id, booking.room_id) == (booking.pk, room.pk)
    assert (booking.starts_at, booking.ends_at) == (starts, ends)
    assert booking.state == Booking.State.REQUESTED

    # … and the centre's staff accept it in their queue; the week grid shows it taken.
    desk = page.context.browser.new_context(locale="ru-RU").new_page()
    signed_in(desk, staff, live_server)
    desk.goto(live_server.url + "/centres/queue/")
    desk.locator("form[action$='/accept/'] button").click()
    booking.refresh_from_db()
    assert booking.state == Booking.State.ACCEPTED
    desk.goto(f"{live_server.url}/centres/rooms/{room.pk}/?week={starts:%G-W%V}")
    taken = desk.locator(".slot-busy").filter(has_text="Чистый дворик на Перекрестке")
    expect(taken).to_contain_text("ТОС «Перекресток»")

    # 2. A resident finds it on the map and signs up.
    first, first_log = open_map()
    first.locator(".poi--events").click()
    popup = first.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Чистый дворик на Перекрестке")
    popup.locator("a.popup__link").click()
    done = sign_up(first, "Анна", "anna.journey@example.org")
    expect(done).to_contain_text("Вы записаны.")
    cancel_link = done.locator(".event-cancel-link a").get_attribute("href")

    # A second resident is put on the waitlist.
    second, second_log = open_map()
    second.goto(f"{live_server.url}/events/{event.pk}/")
    expect(second.locator(".event-signup")).to_contain_text("лист ожидания")
    waiting = sign_up(second, "Борис", "boris.journey@example.org")
    expect(waiting).to_contain_text("вы в листе ожидания")
    assert {r.name: r.state for r in Registration.objects.all()} == {
        "Анна": Registration.State.REGISTERED,
        "Борис": Registration.State.WAITLISTED,
    }

    # The first cancels through the secret link; the second moves up.
    # The link is on the site's address (SITE_URL, as in the mail): its path here.
    first.goto(live_server.url + urlsplit(cancel_link).path)
    first.get_by_role("button", name="Отменить запись").click()
    expect(first.locator("main")).to_contain_text("отменена")
    assert {r.name: r.state for r in Registration.objects.all()} == {
        "Анна": Registration.State.CANCELLED,
        "Борис": Registration.State.REGISTERED,
    }

    # 3. After the event, the organiser records 23 participants and a photo.
    clock.now = ends + timedelta(hours=2)
    page.goto(f"{live_server.url}/events/{event.pk}/results/")
    page.locator("#participants").fill("23")
    page.locator("#outcome").fill("Убрали двор и посадили цветы.")
    page.locator("#photos").set_input_files(photo_upload())
    page.locator("button[type=submit]", has_text="Сохранить итоги").click()
    expect(page.locator("main")).to_contain_text("23")
    event.refresh_from_db()
    assert event.participants == 23 and event.photos.count() == 1

    # The indicators count it: one event held, 23 participants.
    figures = page.request.get(f"{live_server.url}/api/indicators/events/").json()
    assert figures["totals"]["events_held"] == 1
    assert figures["totals"]["participants"] == 23
    assert log.errors == first_log.errors == second_log.errors == []
