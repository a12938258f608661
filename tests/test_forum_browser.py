# Fixtures are imported from browser_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""One person, one vote, in headless Chromium (docs/domain.md, "Verified persons"
and "Forum"): a resident registers, verifies a phone with the code the test reads
from the development SMS outbox, and votes for a forum project; a second account
with the same phone is refused that phone, so its vote is refused as unverified."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from territories.accounts.models import SmsMessage
from territories.forum.models import Vote

from .browser_fixtures import CHROMIUM_ARGS, angarsk, browser  # noqa: F401
from .forum_helpers import open_round, person, project
from .jobs import run_jobs

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "8 902 555-44-33"
assert CHROMIUM_ARGS


def new_page(browser, live_server, errors):
    context = browser.new_context(locale="ru-RU")
    context.route(
        lambda url: not url.startswith(live_server.url), lambda route: route.abort()
    )
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def register(page, live_server, username):
    page.goto(live_server.url + "/accounts/register/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("Angarsk-forum-2026!")
    page.locator(".account-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/verify/$"))


def ask_for_a_code(page, phone):
    page.locator("#id_channel").select_option("phone")
    page.locator("#id_value").fill(phone)
    page.locator(".verify-request button[type=submit]").click()


def the_code_sent():
    # Playwright's loop runs in this thread; the worker gets one of its own.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(run_jobs).result()
    text = SmsMessage.objects.order_by("-pk").first().text
    return re.search(r"\b(\d{6})\b", text).group(1)


def test_verify_a_phone_vote_and_no_second_vote_by_the_same_phone(
    angarsk, browser, live_server
):
    item = project(open_round(), person("author"), title="Лавочки у школы")
    url = f"{live_server.url}/forum/projects/{item.pk}/"
    errors = []

    first = new_page(browser, live_server, errors)
    register(first, live_server, "zhitel-odin")
    ask_for_a_code(first, PHONE)
    first.locator("#id_code").fill(the_code_sent())
    first.locator(".verify-confirm button[type=submit]").click()
    expect(first.locator(".account-messages")).to_contain_text("Контакт подтверждён")
    expect(first.locator(".account-verified")).to_contain_text("+79025554433")

    first.goto(url)
    expect(first.locator("#forum-project-map.leaflet-container")).to_have_count(1)
    first.locator(".forum-vote button[type=submit]").click()
    expect(first.locator(".forum-messages")).to_contain_text("Ваш голос учтён")
    expect(first.locator(".forum-tally")).to_have_text("1")
    expect(first.locator(".forum-vote button")).to_have_text("Отозвать голос")

    second = new_page(browser, live_server, errors)
    register(second, live_server, "zhitel-dva")
    ask_for_a_code(second, "+7 902 555 44 33")
    # Answered as for a free phone (nobody learns it is registered), but no code
    # goes to it, so the second account cannot confirm it.
    expect(second.locator("#id_code")).to_be_visible()
    expect(second.locator(".account-field-error")).to_have_count(0)
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(run_jobs).result()
    assert SmsMessage.objects.count() == 1  # no code went to the phone again
    second.locator("#id_code").fill("000000")
    second.locator(".verify-confirm button[type=submit]").click()
    expect(second.locator(".account-field-error")).to_contain_text("неверный код")

    second.goto(url)
    second.locator(".forum-vote button[type=submit]").click()
    expect(second.locator(".forum-error[data-field=verification]")).to_be_visible()
    expect(second.locator(".forum-tally")).to_have_text("1")
    assert Vote.objects.filter(project=item).count() == 1
    assert errors == []


def test_a_person_submits_a_project_by_a_click_on_the_map(
    angarsk, browser, live_server
):
    from django.test import Client

    from territories.forum.models import Project

    round_ = open_round(title="Форум 2026")
    author = person("avtor")
    errors = []
    page = new_page(browser, live_server, errors)
    client = Client()
    client.force_login(author)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(live_server.url + "/forum/projects/new/")
    page.locator("#id_title").fill("Тропинка через сквер")
    page.locator("#id_description").fill("Условный проект: дорожка из плитки.")
    page.locator("#id_budget").fill("450000")
    page.locator("#forum-form-map").click(position={"x": 200, "y": 150})
    expect(page.locator("#id_geometry")).to_have_value(re.compile(r'"Point"'))
    page.locator("#forum-project-form button[type=submit]").click()
    expect(page.locator(".forum-messages")).to_contain_text("на модерацию")
    row = Project.objects.get()
    assert (row.round_id, row.state, row.budget) == (round_.pk, "submitted", 450_000)
    assert errors == []
