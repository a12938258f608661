# Fixtures are imported from browser_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""The bounded reports layer on the map, in headless Chromium (docs/architecture.md,
"Bounded layers"): at city zoom the server's clusters with their counts, a click
zooms in to the points; an answer cut at the cap shows a notice.

Run alone:
    TEST_DATABASE_NAME=test_bb .venv/bin/pytest tests/test_reports_bounds_browser.py
"""

import re

import pytest
from django.test import override_settings

from territories.reports.models import Category, ProblemReport

from .browser_fixtures import browser, open_map  # noqa: F401
from .conftest import CENTRE, utm_point

expect = pytest.importorskip("playwright.sync_api").expect

# The categories come from conftest's fixture: a transactional test's flush removed
# the seeded ones after the first test of the run.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("categories"),
]
WGS84 = CENTRE.transform(4326, clone=True)
CLOSE_UP = f"/#map=18/{WGS84.y:.5f}/{WGS84.x:.5f}&layers=reports"


def reports(n):
    """`n` open reports 10 m apart at the centre of the map."""
    category = Category.objects.get(code="yard")
    for step in range(n):
        ProblemReport.objects.create(
            category=category,
            description=f"Яма у подъезда {step}",
            status="open",
            geom=utm_point(10 * step, 0),
            source="web",
        )


def counted(page):
    """The numbers on the server's cluster discs."""
    return [int(text) for text in page.locator(".cluster--counted").all_inner_texts()]


@override_settings(LAYER_MAP_CLUSTER_OVER=3)
def test_city_zoom_shows_clusters_and_a_click_zooms_in_to_points(district, open_map):
    reports(5)
    page, log = open_map()
    discs = page.locator(".cluster--counted")
    expect(discs.first).to_be_visible()
    assert sum(counted(page)) == 5
    expect(page.locator(".poi--reports")).to_have_count(0)

    discs.first.click()
    # Zoomed in to where the points come as they are (the browser may group them).
    expect(discs).to_have_count(0)
    expect(page).to_have_url(re.compile(r"#map=18/"))
    close = page.locator(".poi--reports, .cluster--reports:not(.cluster--counted)")
    expect(close.first).to_be_visible()
    assert log.errors == []

    page, log = open_map(path=CLOSE_UP)
    expect(page.locator(".poi--reports")).to_have_count(5)
    expect(page.locator("[data-notice^=limited]")).to_have_count(0)
    assert log.errors == []


@override_settings(LAYER_MAP_CAP=2)
def test_an_answer_cut_at_the_cap_shows_a_notice(district, open_map):
    reports(5)
    page, log = open_map(path=CLOSE_UP)
    expect(page.locator(".poi--reports")).to_have_count(2)
    notice = page.locator("[data-notice=limited-reports]")
    expect(notice).to_have_text(
        "Слой «Сообщения о проблемах»: показаны не все объекты (первые 2) — "
        "приблизьте карту"
    )
    assert log.errors == []
