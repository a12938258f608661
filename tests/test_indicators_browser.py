# Fixtures are imported from browser_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""The dashboard's charts draw (docs/domain.md, "Indicators"): three canvases with
Chart.js charts in them, under the Content-Security-Policy, no console error."""

import pytest

from .browser_fixtures import PageLog, _console_error, browser  # noqa: F401
from .indicator_helpers import make_practice

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("categories"),
]


@pytest.mark.parametrize(
    "locale, heading", [("ru-RU", "По годам"), ("en-GB", "By year")]
)
def test_the_charts_draw(browser, live_server, tos, other_tos, locale, heading):
    make_practice(tos, other_tos)
    context = browser.new_context(locale=locale)
    log = PageLog()
    page = context.new_page()
    page.on("pageerror", lambda error: log.errors.append(f"pageerror: {error}"))
    page.on("console", lambda message: _console_error(message, log, live_server))
    page.goto(live_server.url + "/indicators/")
    page.wait_for_function(
        "['chart-by-year', 'chart-by-territory', 'chart-reports'].every("
        "id => window.Chart && Chart.getChart(document.getElementById(id)))"
    )
    assert page.locator("canvas").count() == 3
    drawn = page.evaluate(
        "Chart.getChart(document.getElementById('chart-by-year')).data.labels"
    )
    assert "2018" in drawn
    assert page.locator("#by-year-title").inner_text().startswith(heading)
    assert log.errors == []
    context.close()
