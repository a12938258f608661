# Fixtures are imported from browser_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""Issue 11's contests in headless Chromium, as the people would live them: a
council's representative applies to «Лучший совет МКД» through the page's form; a
specialist approves the entry and opens the jury's work; one juror is refused for a
conflict of interest and told why, another scores; the specialist closes the
judging and publishes the results; the entry's place shows in its popup on the map
and on its page."""

import pytest
from django.test import Client

from territories.contests.models import Entry, Placing, Score, Season

from .boundary_helpers import chair_of
from .browser_fixtures import angarsk, browser, open_map  # noqa: F401
from .contest_helpers import (
    council_with_house,
    criteria,
    juror,
    nomination,
    representative,
    season,
    specialist,
)

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, user, live_server):
    """The page's browser carries `user`'s session (made by Django's test client)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


def next_state(page, live_server, season_pk, label):
    page.goto(f"{live_server.url}/contests/{season_pk}/manage/")
    page.locator("button.contest-next-state").click()
    expect(page.locator(".season-state")).to_have_text(label)


def score(page, live_server, entry_pk, values):
    page.goto(f"{live_server.url}/contests/entries/{entry_pk}/score/")
    for field, value in zip(
        page.locator(".contest-sheet input[name^=score-]").all(), values, strict=True
    ):
        field.fill(value)
    page.locator(".contest-sheet button[type=submit]").click()


def test_apply_approve_score_refuse_a_conflict_publish_and_find_on_the_map(
    angarsk, open_map, live_server
):
    perekrestok = angarsk.territories[0]
    s = season()
    nomination(s, name="Лучший совет МКД", for_councils=True)
    criteria(s)
    council, house = council_with_house("Совет дома 7", territory=perekrestok)
    rep = representative(council, "predstavitel")
    manager = specialist()
    conflicted = juror(s, "zhyuri-perekrestok")
    chair_of(perekrestok, "zhyuri-perekrestok")
    fair = juror(s, "zhyuri-nezavisimy")

    # 1. The representative applies through the form.
    page, log = open_map()
    signed_in(page, rep, live_server)
    page.goto(f"{live_server.url}/contests/{s.pk}/")
    page.locator("a", has_text="Подать заявку").click()
    page.locator("#f-nomination").select_option(label="Лучший совет МКД")
    page.locator("#f-kind").select_option("council")
    page.locator("#f-council").select_option(label="Совет дома 7")
    page.locator("#f-title").fill("Подъезд, в который приятно войти")
    page.locator("#f-description").fill("Покрасили стены и поставили цветы.")
    page.locator("#f-place-kind").select_option("building")
    page.locator("#f-place").select_option(label=f"дом: {house.address}")
    page.locator("button[type=submit]", has_text="Отправить").click()
    expect(page.locator("h2.entry-title")).to_have_text(
        "Подъезд, в который приятно войти"
    )
    expect(page.locator(".entry-state")).to_contain_text("на модерации")
    entry = Entry.objects.get()
    assert (entry.applicant_council_id, entry.building_id) == (council.pk, house.pk)

    # 2. A specialist approves it and opens the jury's work.
    signed_in(page, manager, live_server)
    page.goto(f"{live_server.url}/contests/{s.pk}/manage/")
    row = page.locator(f"tr[data-entry='{entry.pk}']")
    row.locator("button", has_text="Принять").click()
    expect(page.locator(f"tr[data-entry='{entry.pk}']")).to_contain_text("принята")
    next_state(page, live_server, s.pk, "работа жюри")

    # 3. The juror of the entry's TOS is refused and told why; another scores.
    signed_in(page, conflicted.user, live_server)
    score(page, live_server, entry.pk, ["9", "4"])
    expect(page.locator(".field-error[data-error-for=entry]")).to_have_text(
        "вы не можете оценивать заявку своего ТОС «Перекресток»"
    )
    assert not Score.objects.exists()
    signed_in(page, fair.user, live_server)
    score(page, live_server, entry.pk, ["9", "4"])
    expect(page.locator(".contests-messages")).to_contain_text(
        "Оценочный лист сохранён."
    )
    assert Score.objects.filter(juror=fair).count() == 2

    # Before publication the public page shows no place.
    signed_in(page, manager, live_server)
    page.goto(f"{live_server.url}/contests/entries/{entry.pk}/")
    expect(page.locator(".entry-rank")).to_have_count(0)

    # 4. The specialist closes the judging and publishes the results.
    next_state(page, live_server, s.pk, "оценка завершена")
    next_state(page, live_server, s.pk, "итоги опубликованы")
    assert Season.objects.get(pk=s.pk).state == "published"
    assert Placing.objects.get().rank == 1
    page.goto(f"{live_server.url}/contests/{s.pk}/")
    expect(page.locator(".contest-ranking")).to_contain_text(
        "Подъезд, в который приятно войти"
    )

    # 5. Anyone finds it on the map; the popup shows its place and leads to its page.
    visitor, visitor_log = open_map()
    visitor.locator(".poi--contest_entries").click()
    popup = visitor.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Подъезд, в который приятно войти")
    expect(popup).to_contain_text("Лучший совет МКД")
    expect(popup).to_contain_text("Место в номинации")
    expect(popup.locator("dd", has_text="1")).not_to_have_count(0)
    # The link leads to the entry's page (followed by address: a layer refresh may
    # close the popup under a click).
    href = popup.locator("a.popup__link").get_attribute("href")
    assert href == f"/contests/entries/{entry.pk}/"
    visitor.goto(live_server.url + href)
    expect(visitor.locator(".entry-rank")).to_contain_text("1")
    expect(visitor.locator("#entry-map.leaflet-container")).to_have_count(1)
    # The only failed request is the refused sheet's answer (403, on purpose).
    assert [e for e in log.errors if "403" not in e] == []
    assert len(log.errors) <= 1 and visitor_log.errors == []
