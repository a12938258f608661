# Fixtures are imported from browser_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""Every kind of page works under the Content-Security-Policy (docs/security.md,
"Headers"), in headless Chromium: the map with its layers, tiles and report form,
a report's page, the workspace, the admin with its map widget and the API's Swagger
UI. The browser reports each thing the policy blocked as a `securitypolicyviolation`
event and a console error; there must be none.

Run alone: TEST_DATABASE_NAME=test_csp .venv/bin/pytest tests/test_csp_browser.py
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from territories.registry.models import Tree
from territories.reports.models import ProblemReport

from .boundary_helpers import chair_of
from .browser_fixtures import angarsk, browser  # noqa: F401
from .conftest import utm_point
from .report_helpers import image_bytes, report_at, upload

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("categories", "media"),
]

# Runs before any script of each page; the policy does not apply to it.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}` +
    ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def visit(browser, live_server):
    """visit(path) → page: a fresh context, everything outside the live server
    refused; `violations(page)` lists what the policy blocked there."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="ru-RU"
    )
    context.add_init_script(LISTEN)
    context.route(lambda url: not url.startswith(live_server.url), lambda r: r.abort())
    console = []

    def open_page(path):
        page = context.new_page()
        page.on("console", lambda message: console.append(message.text))
        page.goto(live_server.url + path)
        return page

    def violations(page):
        reported = page.evaluate("window.__violations")
        logged = [text for text in console if "Content Security Policy" in text]
        return reported + logged

    open_page.violations = violations
    yield open_page
    context.close()


def sign_in_staff(page):
    get_user_model().objects.create_superuser("chief", password="s3cret-pass")
    page.fill("input[name=username]", "chief")
    page.fill("input[name=password]", "s3cret-pass")
    page.locator("input[type=submit]").click()


def test_the_map_layers_popups_and_report_form_break_no_rule(angarsk, visit):
    report_at(0, 0, status="open", category="lighting")
    page = visit("/")
    expect(page.locator(".layer-row")).not_to_have_count(0)
    expect(page.locator(".poi--reports")).to_have_count(1)
    expect(page.locator(".poi--resource_centres .poi__dot")).to_have_count(1)
    page.locator(".poi--reports").click()
    expect(page.locator(".leaflet-popup-content")).to_be_visible()
    page.get_by_role("button", name="Сообщить о проблеме").click()
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(".draft-pin")).to_have_count(1)
    assert visit.violations(page) == []


def test_marker_colours_and_vector_tiles_break_no_rule(angarsk, visit):
    page = visit("/")
    dot = page.locator(".poi--resource_centres .poi__dot")
    expect(dot).to_have_css("background-color", "rgb(216, 27, 96)")  # #d81b60
    # Trees: canvas tiles painted by protomaps-leaflet from /tiles/trees/….mvt.
    page.locator("input[name=trees]").check()
    expect(page.locator(".leaflet-layer-trees-pane canvas")).not_to_have_count(0)
    page.wait_for_timeout(500)
    assert visit.violations(page) == []


def test_a_report_page_breaks_no_rule(district, visit):
    report = report_at(0, 0, status="open", photos=[upload(image_bytes())])
    page = visit(f"/reports/{report.pk}/")
    expect(page.locator(".report-photos img")).to_have_count(1)
    page.get_by_role("button", name="Меня тоже касается").click()
    expect(page.locator(".support-count")).to_have_text("1")
    assert visit.violations(page) == []


def test_the_workspace_and_the_admin_map_widget_break_no_rule(angarsk, visit):
    report = report_at(0, 0, status="moderation")
    page = visit(f"/admin/login/?next=/workspace/reports/{report.pk}/")
    sign_in_staff(page)
    page.wait_for_url(f"**/workspace/reports/{report.pk}/")
    page.locator("select[name=status]").select_option("open")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_load_state()
    assert ProblemReport.objects.get().status == "open"
    page.goto(page.url.split("/workspace/")[0] + "/workspace/")
    expect(page.locator("table")).to_have_count(1)

    territory = angarsk.territories[0]
    page.goto(
        page.url.split("/workspace/")[0]
        + f"/admin/territories/territory/{territory.pk}/change/"
    )
    expect(page.locator(".dj_map .ol-viewport")).to_have_count(1)
    assert page.evaluate("typeof window.geodjango_geom") == "object"
    assert visit.violations(page) == []


def test_the_boundary_editor_and_history_break_no_rule(tos, other_tos, visit):
    """Leaflet-Geoman's toolbar, a drawn triangle, its live check, the list and the
    history of versions."""
    chair = chair_of(tos)
    page = visit("/territories/")
    site = page.url.removesuffix("/territories/")
    client = Client()
    client.force_login(chair)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": site}])
    page.goto(f"{site}/territories/{tos.pk}/")
    expect(page.locator(".check-numbers")).to_contain_text("жител")
    page.locator(".leaflet-pm-icon-polygon").click()
    box = page.locator("#tos-map").bounding_box()
    for x, y in ((300, 150), (500, 150), (500, 300), (300, 150)):
        page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page.locator(".tos-unsaved")).to_have_text("Есть несохранённые изменения.")
    assert visit.violations(page) == []
    page.goto(page.url + "history/")
    expect(page.locator(".tos-versions tbody tr")).to_have_count(1)
    assert visit.violations(page) == []


def test_swagger_ui_breaks_no_rule_and_tries_a_request(db, visit):
    page = visit("/api/docs/")
    catalogue = page.locator(".opblock", has_text="/api/layers/").first
    catalogue.locator(".opblock-summary").click()
    catalogue.get_by_role("button", name="Try it out").click()
    catalogue.get_by_role("button", name="Execute").click()
    answered = catalogue.locator(".live-responses-table td.response-col_status")
    expect(answered.last).to_have_text("200")
    assert visit.violations(page) == []


def test_the_ogc_api_pages_and_their_map_break_no_rule(db, visit):
    """The OGC API – Features HTML pages (geo/ogc/): a page of items draws its
    features on the small map, one feature too."""
    trees = [
        Tree.objects.create(species="липа", geom=utm_point(i * 30, 0)) for i in range(3)
    ]
    page = visit("/ogc/collections/trees/items?f=html")
    expect(page.locator("#ogc-map")).to_have_attribute("data-features", "3")
    expect(page.locator(".ogc-map .leaflet-marker-icon")).to_have_count(3)
    expect(page.locator(".ogc-table tbody tr")).to_have_count(3)
    assert visit.violations(page) == []
    page = visit(f"/ogc/collections/trees/items/{trees[0].pk}?f=html")
    expect(page.locator("#ogc-map")).to_have_attribute("data-features", "1")
    assert visit.violations(page) == []
    page = visit("/ogc/collections?f=html")
    expect(page.locator(".ogc-table a", has_text="trees")).to_have_count(1)
    assert visit.violations(page) == []
