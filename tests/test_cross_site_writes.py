# Fixtures are imported from open311_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""Writes to the reports API sent by another site's page are refused, for anonymous
callers too (docs/security.md, "Cross-site writes"): before, «me too», follow and a
new report were taken from any origin. Our own pages (same Origin), API clients
(neither Origin nor Referer) and Open311 with its api_key still write."""

import pytest
from django.test import Client

from territories.reports.models import Follower, ProblemReport, Support

from .open311_fixtures import LAT, LON, body, key, lamps  # noqa: F401
from .report_helpers import form, make_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
URL = "/api/reports/"
EVIL = "https://evil.example"
SITE = "http://testserver"


def write(client, action, report, **headers):
    """One anonymous write of each kind the API takes."""
    if action == "submit":
        return client.post(URL, form(), headers=headers)
    data = {"email": "sosed@example.org"} if action == "follow" else {}
    return client.post(f"{URL}{report.pk}/{action}/", data, headers=headers)


def stored(action):
    model = {"submit": ProblemReport, "support": Support, "follow": Follower}[action]
    return model.objects.count()


def assert_csrf_refusal(response):
    assert response.status_code == 403, response.content
    answer = response.json()
    assert answer["field"] == "csrf" and "другого сайта" in answer["error"]


@pytest.fixture
def report(district):
    return make_report(status="open")[0]


ACTIONS = ["submit", "support", "follow"]


@pytest.mark.parametrize("action", ACTIONS)
def test_a_write_from_another_sites_page_is_refused_and_stores_nothing(
    client, report, action
):
    before = stored(action)
    assert_csrf_refusal(write(client, action, report, origin=EVIL))
    assert stored(action) == before


@pytest.mark.parametrize("action", ["reopen", "forget-me"])
def test_reporter_actions_from_another_site_are_refused_before_the_token(
    client, report, action
):
    assert_csrf_refusal(write(client, action, report, origin=EVIL))


def test_a_page_that_hides_its_origin_is_refused(client, report):
    # A sandboxed frame or `Referrer-Policy: no-referrer` page posts Origin: null.
    assert_csrf_refusal(write(client, "support", report, origin="null"))


def test_without_origin_another_sites_referer_is_refused(client, report):
    response = write(client, "support", report, referer=f"{EVIL}/page?x=1")
    assert_csrf_refusal(response)
    assert EVIL in response.json()["error"] and "x=1" not in response.json()["error"]


def test_same_site_with_another_scheme_is_another_site(client, report):
    assert_csrf_refusal(write(client, "support", report, origin="https://testserver"))


@pytest.mark.parametrize("action", ACTIONS)
def test_our_own_pages_write(client, report, action):
    response = write(client, action, report, origin=SITE)
    assert response.status_code in (200, 201), response.content


def test_a_referer_from_our_own_page_writes(client, report):
    response = write(client, "support", report, referer=f"{SITE}/reports/1/")
    assert response.json()["counted"] is True


def test_a_trusted_origin_writes(client, report, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.angarsk.example"]
    response = write(client, "support", report, origin="https://map.angarsk.example")
    assert response.json()["counted"] is True
    other = write(client, "support", report, origin="https://angarsk.example.evil")
    assert_csrf_refusal(other)


def test_an_api_client_without_origin_referer_or_cookies_writes(report):
    strict = Client(enforce_csrf_checks=True)
    assert write(strict, "submit", report).status_code == 201
    assert write(strict, "support", report).json()["counted"] is True


def csrf_client():
    """A browser that opened the map: it holds the CSRF cookie the page set."""
    browser = Client(enforce_csrf_checks=True)
    browser.get("/")
    return browser, browser.cookies["csrftoken"].value


def test_without_origin_and_referer_a_valid_token_writes(report):
    browser, token = csrf_client()
    response = write(browser, "support", report, x_csrftoken=token)
    assert response.json()["counted"] is True


def test_without_origin_and_referer_a_wrong_token_is_refused(report):
    browser, token = csrf_client()
    response = write(browser, "support", report, x_csrftoken="x" * 32)
    assert response.status_code == 403
    assert response.json()["field"] == "csrf"
    assert "CSRF" in response.json()["error"]
    assert Support.objects.count() == 0


def test_reading_from_another_site_is_not_a_write(client, report):
    assert client.get(URL, headers={"origin": EVIL}).status_code == 200


def test_open311_with_its_api_key_is_the_exception(client, district, lamps, key):
    data = {"api_key": key, "service_code": "t-lamps", "lat": LAT, "long": LON}
    data.update({"description": "Не горит фонарь", "attribute[pole]": "17"})
    response = client.post("/open311/v2/requests.json", data, headers={"origin": EVIL})
    assert response.status_code == 200, response.content


def test_the_refusal_speaks_english_when_asked(client, report):
    response = write(client, "support", report, origin=EVIL, accept_language="en")
    assert response.json()["error"] == (
        f"a write from another site is refused (Origin: {EVIL})"
    )
