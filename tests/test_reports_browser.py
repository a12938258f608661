# Fixtures are imported from browser_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""Reporting a problem on the map, in headless Chromium: a resident reports with a
photo and sees it on the map as на модерации; a specialist publishes it in the
workspace; the resident sees the new status and the timeline entry. And "me too":
an open report nearby is offered before sending, and supporting it counts.

Run alone:
    TEST_DATABASE_NAME=test_rbrowser .venv/bin/pytest tests/test_reports_browser.py
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from PIL import Image

from territories.reports.models import ProblemReport
from territories.reports.services import change_status, submit_report

from .browser_fixtures import browser, open_map  # noqa: F401
from .conftest import CENTRE
from .report_helpers import specialist

expect = pytest.importorskip("playwright.sync_api").expect

# The categories come from conftest's fixture: a transactional test's flush removed
# the seeded ones after the first test of the run.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("categories"),
]

COMMENT = "Передано в управляющую компанию, замена лампы в четверг."


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "lamp.jpg"
    Image.new("RGB", (120, 80), (180, 40, 40)).save(path, "JPEG")
    return path


@pytest.fixture
def new_page(browser, live_server):
    """A page in a fresh browser context (its own session), only the live server
    reachable."""
    contexts = []

    def make():
        context = browser.new_context(
            viewport={"width": 1280, "height": 800}, locale="ru-RU"
        )
        context.route(
            lambda url: not url.startswith(live_server.url),
            lambda route: route.abort(),
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def click_map_centre(page):
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def start_report(page, category):
    page.get_by_role("button", name="Сообщить о проблеме").click()
    form = page.locator(".report-form")
    expect(form.locator(".report-form__hint")).to_have_text(
        "Нажмите на карту там, где проблема."
    )
    click_map_centre(page)
    expect(page.locator(".draft-pin")).to_have_count(1)
    form.locator("select[name=category]").select_option(category)
    return form


def test_resident_reports_specialist_publishes_resident_sees_it(
    district, open_map, new_page, live_server, photo
):
    # The resident reports a broken lamp with a photo.
    page, log = open_map()
    form = start_report(page, "lighting")
    expect(form.get_by_label("Номер опоры, если виден")).to_be_visible()
    form.get_by_label("Описание").fill("Не горит фонарь у третьего подъезда")
    expect(form.locator(".field__counter")).to_have_text("35 из 4000")
    form.locator("input[name=photos]").set_input_files(photo)
    form.get_by_label("Имя", exact=True).fill("Анна")
    form.get_by_label("E-mail").fill("anna@example.org")
    form.get_by_role("button", name="Отправить").click()

    success = page.locator(".report-success")
    expect(success.locator("h3")).to_contain_text("отправлено")
    report = ProblemReport.objects.get()
    assert report.photos.count() == 1
    assert report.reporter_email == "anna@example.org" and not report.show_name
    expect(success.get_by_role("link", name="Страница сообщения")).to_have_attribute(
        "href", f"{live_server.url}/reports/{report.pk}/"
    )
    manage_link = success.locator(".report-success__manage").input_value()
    assert f"/reports/{report.pk}/?token=" in manage_link

    # …and sees it on the map, awaiting moderation.
    success.get_by_role("button", name="Готово").click()
    page.locator(".poi--reports").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator(".report-status")).to_have_text("на модерации")
    expect(popup.locator(".popup__title")).to_have_text("освещение")
    expect(popup.get_by_role("link", name="Подробнее")).to_have_attribute(
        "href", f"/reports/{report.pk}/"
    )
    assert log.errors == []

    # A specialist signs in and publishes it with a comment.
    get_user_model().objects.create_user(
        "specialist", password="s3cret-pass", is_staff=True
    )
    staff = new_page()
    staff.goto(f"{live_server.url}/admin/login/?next=/workspace/reports/{report.pk}/")
    staff.fill("input[name=username]", "specialist")
    staff.fill("input[name=password]", "s3cret-pass")
    staff.locator("input[type=submit]").click()
    staff.wait_for_url(f"**/workspace/reports/{report.pk}/")
    staff.locator("select[name=status]").select_option("open")
    staff.locator("textarea[name=comment]").fill(COMMENT)
    staff.get_by_role("button", name="Сохранить").click()
    staff.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == "open"

    # The resident reloads the report's page: new status, the timeline entry.
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    expect(page.locator(".report-meta .report-status")).to_have_text("открыто")
    entry = page.locator(".report-timeline li").last
    expect(entry).to_contain_text("открыто")
    expect(entry.locator(".update-comment")).to_have_text(COMMENT)
    expect(page.locator(".report-description")).to_contain_text("Не горит фонарь")
    assert "anna@example.org" not in page.content()


def test_me_too_offers_the_open_report_nearby_and_counts_support(district, open_map):
    point = Point(CENTRE.x + 30, CENTRE.y, srid=CENTRE.srid).transform(4326, True)
    existing, _token = submit_report(
        {
            "lat": point.y,
            "lon": point.x,
            "category": "lighting",
            "description": "Фонари не горят по всей улице",
        },
        source="web",
        client_hash="neighbour",
    )
    change_status(existing, "open", by=specialist())

    page, log = open_map()
    start_report(page, "lighting")
    nearby = page.locator(".nearby")
    expect(nearby.locator(".nearby__title")).to_have_text(
        "Рядом уже сообщили о похожем"
    )
    item = nearby.locator(".nearby__item")
    expect(item).to_have_count(1)
    expect(item.locator(".nearby__description")).to_have_text(
        "Фонари не горят по всей улице"
    )
    expect(item.locator(".nearby__supports")).to_have_text("поддержали: 0")

    item.get_by_role("button", name="Меня тоже касается").click()
    expect(item.locator(".nearby__result")).to_have_text("Спасибо, ваш голос учтён")
    expect(item.locator(".nearby__supports")).to_have_text("поддержали: 1")
    existing.refresh_from_db()
    assert existing.support_count == 1
    assert ProblemReport.objects.count() == 1  # supported instead of a new report

    # Another category: nothing of that kind nearby, no prompt.
    page.locator(".report-form select[name=category]").select_option("waste")
    expect(nearby).to_be_hidden()
    assert log.errors == []


def test_server_refusal_is_shown_next_to_the_field(district, open_map):
    page, log = open_map()
    form = start_report(page, "lighting")
    form.get_by_label("Описание").fill("Яма во дворе")
    form.get_by_label("E-mail").fill("not-an-address")
    form.get_by_role("button", name="Отправить").click()
    error = form.locator("[data-field=email] .field__error")
    expect(error).to_have_text("это не адрес электронной почты")
    assert ProblemReport.objects.count() == 0
    assert log.errors == [] or all("400" in e for e in log.errors)


def test_filter_shows_only_the_chosen_statuses(district, open_map):
    def report(dx, status):
        point = Point(CENTRE.x + dx, CENTRE.y, srid=CENTRE.srid).transform(4326, True)
        created, _ = submit_report(
            {
                "lat": point.y,
                "lon": point.x,
                "category": "waste",
                "description": "Переполнены контейнеры",
            },
            source="web",
            client_hash=f"r{dx}",
        )
        if status != "moderation":
            change_status(created, status, by=specialist())

    report(-400, "moderation")
    report(400, "open")
    page, log = open_map()
    markers = page.locator(".poi--reports")
    expect(markers).to_have_count(2)
    row = page.locator(".layer-row[data-layer=reports]")
    row.get_by_text("Фильтр").click()
    row.get_by_label("на модерации").uncheck()
    expect(markers).to_have_count(1)
    row.locator("select[name=category]").select_option("lighting")
    expect(markers).to_have_count(0)
    assert log.errors == []
