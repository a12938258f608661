# Fixtures are imported from browser_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""Events in headless Chromium: the map's events layer with a popup that links to
the event's page; the event's page with its small map; the organiser's form, where
a click on the map sets the point."""

import pytest
from django.test import Client

from territories.events.models import Event

from .browser_fixtures import angarsk, browser, open_map  # noqa: F401
from .conftest import utm_point
from .event_signup_helpers import chair_of, make_event

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_events_popup_links_to_the_event_page(angarsk, open_map, kinds):
    event = make_event(
        angarsk.territories[0], title="День соседей", geom=utm_point(-700, -400)
    )
    page, log = open_map()
    marker = page.locator(".poi--events")
    expect(marker).to_have_count(1)
    marker.click()
    content = page.locator(".leaflet-popup-content")
    expect(content.locator(".popup__title")).to_have_text("День соседей")
    expect(content).to_contain_text("ТОС «Перекресток»")
    link = content.locator("a.popup__link")
    expect(link).to_have_attribute("href", f"/events/{event.pk}/")
    link.click()
    expect(page.locator("h2.event-title")).to_have_text("День соседей")
    expect(page.locator("#event-map.leaflet-container")).to_have_count(1)
    assert log.errors == []


def test_a_click_on_the_form_map_sets_the_point(angarsk, open_map, kinds, live_server):
    chair = chair_of(angarsk.territories[0])
    page, log = open_map()
    context = page.context
    # Signed in through the session cookie of a Django client.
    client = Client()
    client.force_login(chair)
    cookie = client.cookies["sessionid"]
    context.add_cookies(
        [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/events/new/")
    expect(page.locator("#f-yard")).to_be_hidden()
    page.locator("input[name=place_kind][value=yard]").check()
    expect(page.locator("#f-yard")).to_be_visible()
    page.locator("#event-form-map").click(position={"x": 200, "y": 150})
    expect(page.locator("input[name=place_kind][value=point]")).to_be_checked()
    assert page.locator("input[name=lat]").input_value() != ""
    page.locator("#f-title").fill("Выходи гулять!")
    page.locator("#f-kind").select_option("vyhodi-gulyat")
    page.locator("button[type=submit]", has_text="Сохранить").click()
    expect(page.locator("h2.event-title")).to_have_text("Выходи гулять!")
    assert Event.objects.get().created_by == chair
    assert log.errors == []
