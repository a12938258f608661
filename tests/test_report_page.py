"""The public report page /reports/<id>/: what a visitor sees, escaping, moderation,
hidden, the reporter's secret link, reopen, forget-me, follow, support.

Run alone: TEST_DATABASE_NAME=test_reports .venv/bin/pytest tests/test_report_page.py
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from territories.reports.models import ProblemReport, ReportPhoto
from territories.reports.services import change_status, submit_report

from .report_helpers import (
    EMAIL,
    NAME,
    PHONE,
    form,
    image_bytes,
    make_places,
    make_report,
    specialist,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def page(client, report):
    response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_page_shows_category_status_place_and_timeline(client, district):
    territory, _yard, building = make_places(district)
    report, _token = make_report(status="open")
    change_status(report, "in_progress", by=specialist(), comment="Бригада выехала")
    html = page(client, report)
    for text in (
        "освещение",
        "в работе",
        "Не горит фонарь у третьего подъезда",
        "Перекресток",
        building.address,
        "Бригада выехала",
        "специалист",
        "Меня тоже касается",
    ):
        assert text in html


def test_answers_are_shown_by_their_labels(client, district):
    report, _token = make_report(
        status="open", category="snow", answers={"where": "roof"}
    )
    html = page(client, report)
    assert "Где именно" in html and "крыша, сосульки" in html


def test_map_link_uses_a_decimal_point(client, district):
    report, _token = make_report(status="open")
    html = page(client, report)
    assert "/#map=18/52.540600/103.888000" in html


def test_description_and_comments_are_escaped(client, district):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    report, _token = make_report(status="open", description=hostile)
    change_status(report, "in_progress", by=specialist(), comment=hostile)
    html = page(client, report)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 2


def test_no_personal_data_on_the_page(client, district):
    report, token = make_report(status="open")
    html = page(client, report)
    for secret in (NAME, EMAIL, PHONE, token, report.manage_token_hash):
        assert secret not in html


def test_name_shown_when_the_reporter_chose_it(client, district):
    report, _token = make_report(status="open", show_name="on")
    assert NAME in page(client, report)


def test_moderation_shows_status_without_description_and_photos(client, district):
    report, _token = submit_report(
        form(description="Секретный текст"),
        [upload(image_bytes())],
        source="web",
        client_hash="c",
    )
    html = page(client, report)
    assert "на модерации" in html
    assert "Секретный текст" not in html
    assert f"/reports/photos/{report.photos.get().pk}/" not in html


def test_published_photos_are_shown_and_served(client, district):
    report, _token = submit_report(
        form(), [upload(image_bytes())], source="web", client_hash="c"
    )
    change_status(report, "open", by=specialist())
    photo = ReportPhoto.objects.get()
    assert f"/reports/photos/{photo.pk}/" in page(client, report)
    served = client.get(f"/reports/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_hidden_report_is_404(client, district):
    report, _token = make_report(status="hidden")
    assert client.get(f"/reports/{report.pk}/").status_code == 404


def test_secret_link_is_kept_in_the_session_and_leaves_the_address(client, district):
    report, token = make_report(status="fixed")
    response = client.get(f"/reports/{report.pk}/?token={token}")
    assert (
        response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    )
    html = page(client, report)
    assert "Открыть снова" in html and "Удалить мои контакты" in html
    assert token not in html


def test_stranger_sees_no_reporter_buttons(client, district):
    report, _token = make_report(status="fixed")
    client.get(f"/reports/{report.pk}/?token=wrong")
    html = page(client, report)
    assert "Открыть снова" not in html and "Удалить мои контакты" not in html


def test_reporter_reopens_from_the_page(district):
    report, token = make_report(status="fixed")
    browser = Client(enforce_csrf_checks=True)
    browser.get(f"/reports/{report.pk}/?token={token}")
    browser.get(f"/reports/{report.pk}/")
    csrf = browser.cookies["csrftoken"].value
    browser.post(
        f"/reports/{report.pk}/reopen/",
        {"comment": "Не починили", "csrfmiddlewaretoken": csrf},
    )
    report.refresh_from_db()
    last = report.updates.last()
    assert (report.status, last.role, last.comment) == (
        "open",
        "reporter",
        "Не починили",
    )


def test_page_actions_need_csrf(district):
    report, token = make_report(status="fixed")
    browser = Client(enforce_csrf_checks=True)
    browser.get(f"/reports/{report.pk}/?token={token}")
    response = browser.post(f"/reports/{report.pk}/forget-me/")
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.reporter_email == EMAIL


def test_reporter_erases_contacts_from_the_page(client, district):
    report, token = make_report(status="open", show_name="on")
    client.get(f"/reports/{report.pk}/?token={token}")
    client.post(f"/reports/{report.pk}/forget-me/")
    report.refresh_from_db()
    assert (report.reporter_name, report.reporter_email, report.reporter_phone) == (
        "",
        "",
        "",
    )
    assert NAME not in page(client, report)


def test_stranger_cannot_erase_or_reopen_from_the_page(client, district):
    report, _token = make_report(status="fixed")
    client.post(f"/reports/{report.pk}/forget-me/")
    client.post(f"/reports/{report.pk}/reopen/")
    report.refresh_from_db()
    assert (report.status, report.reporter_email) == ("fixed", EMAIL)


def test_signed_in_reporter_and_chair_see_reopen(district):
    territory, _yard, _building = make_places(district)
    resident = get_user_model().objects.create_user("resident")
    report, _token = submit_report(form(), source="web", client_hash="c", user=resident)
    for status in ("open", "fixed"):
        change_status(report, status, by=specialist())
    for user in (resident, territory.chair_user):
        browser = Client()
        browser.force_login(user)
        assert "Открыть снова" in page(browser, report)


def test_follow_form_subscribes(client, district):
    report, _token = make_report(status="open")
    response = client.post(
        f"/reports/{report.pk}/follow/", {"email": "sosed@example.org"}, follow=True
    )
    assert "подтвердите подписку" in response.content.decode()
    assert report.followers.filter(email="sosed@example.org").exists()
    assert "sosed@example.org" not in page(client, report)


def test_support_form_without_javascript(client, district):
    report, _token = make_report(status="open")
    client.post(f"/reports/{report.pk}/support/")
    client.post(f"/reports/{report.pk}/support/")
    assert ProblemReport.objects.get(pk=report.pk).support_count == 1


def test_unknown_unsubscribe_token_is_404(client):
    assert client.get("/reports/unsubscribe/nothing/").status_code == 404
