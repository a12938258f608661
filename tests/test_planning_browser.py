# Fixtures are imported from browser_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""The planner page tried as a planner would (issue 9, item 6), in headless
Chromium: pick the kind and the radius, see the table, the summary and the map
change with them, and the shares shown equal the coverage API's; pick one TOS; find
walking distance refused; download the CSV and the GeoJSON; open the printable
report. The "where to build next" panel is tried against its contract with the API
mocked (the endpoint is not on this server yet). Nothing may break the
Content-Security-Policy. Screenshots: /tmp/planning-*.png.

Run alone:
    TEST_DATABASE_NAME=test_pbrowser .venv/bin/pytest tests/test_planning_browser.py
"""

import csv
import importlib
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.apps import apps
from django.test import Client
from django.urls import include, path

from territories.planning.templatetags.planning_format import count, share
from territories.registry.models import Building, Ground, Territory

from .browser_fixtures import browser  # noqa: F401
from .conftest import CENTRE, utm_box
from .jobs import run_jobs

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Leaflet keeps its maps to itself; the test asks the page's own map. This runs
# before any script of the page and hooks L.Map's creation. It also collects what
# the Content-Security-Policy blocks.
BEFORE_PAGE = """
(() => {
  let leaflet;
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return leaflet; },
    set(value) {
      leaflet = value;
      if (value && value.Map && value.Map.addInitHook) {
        value.Map.addInitHook(function () { (window.__maps ||= []).push(this); });
      }
    },
  });
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(`${event.effectiveDirective} ${event.blockedURI}`);
  });
})();
"""

# The buildings drawn on the map by colour, as the page's map holds them.
BUILDING_COLOURS = """
() => {
  const found = {};
  window.__maps[0].eachLayer((layer) => {
    if (layer.feature && "covered" in layer.feature.properties) {
      const colour = layer.options.fillColor;
      found[colour] = (found[colour] || 0) + 1;
    }
  });
  return found;
}
"""

# Each zone of access: its stroke's half width in pixels measured back in metres on
# the map (Leaflet's own great-circle distance).
ZONE_RADII = """
() => {
  const map = window.__maps[0];
  const radii = [];
  map.eachLayer((layer) => {
    if (layer.options.pane !== "serviceAreas" || !layer.options.weight) return;
    const centre = map.latLngToContainerPoint(layer.getBounds().getCenter());
    const edge = centre.add([layer.options.weight / 2, 0]);
    radii.push(map.distance(map.containerPointToLatLng(centre),
                            map.containerPointToLatLng(edge)));
  });
  return radii;
}
"""

COVERED, UNCOVERED, NOBODY = "#1a7f37", "#c01c28", "#9a9996"


@pytest.fixture
def norms(db):
    """The norms the migration seeds, for transactional tests: the flush after an
    earlier one removed them."""
    migration = importlib.import_module(
        "territories.planning.migrations.0002_default_norms"
    )
    migration.seed(apps, None)


@pytest.fixture
def town(district, norms, settings):
    """Two TOS side by side, two sport grounds and a playground, and a row of
    houses every 150 m along y = 300 (one without residents, one outside both TOS);
    the map opens over them."""
    centre = CENTRE.transform(4326, clone=True)
    settings.MAP_CENTER = [centre.y, centre.x]
    settings.MAP_ZOOM = 15
    west = Territory.objects.create(
        district=district, name="Запад", geom=utm_box(0, 0, 600, 600)
    )
    east = Territory.objects.create(
        district=district, name="Восток", geom=utm_box(600, 0, 600, 600)
    )
    Ground.objects.create(kind="sport", name="Стадион", geom=utm_box(20, 280, 40, 40))
    Ground.objects.create(kind="sport", geom=utm_box(1500, 280, 30, 30))
    Ground.objects.create(
        kind="playground", name="Радуга", geom=utm_box(480, 290, 20, 20)
    )
    for i, x in enumerate(range(100, 1700, 150)):
        Building.objects.create(
            address=f"ул. Ленина, {i + 1}",
            geom=utm_box(x, 295, 20, 10),
            residents_recorded=0 if i == 3 else 40 + 10 * i,
        )
    return west, east


@pytest.fixture
def open_planner(browser, live_server):
    """open_planner(query) → page: the planner page in Russian, in a fresh context
    that can reach only the live server; `page.errors` collects script errors."""
    contexts = []

    def open_page(query="", width=1400, height=1000):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="ru-RU",
            accept_downloads=True,
        )
        contexts.append(context)
        context.add_init_script(BEFORE_PAGE)
        context.route(
            lambda url: not url.startswith(live_server.url),
            lambda route: route.abort(),
        )
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(f"{live_server.url}/planning/{query}")
        return page

    yield open_page
    for context in contexts:
        context.close()


def api(query):
    return Client().get("/api/coverage/", query).json()


def shown_rows(page):
    """The table's rows as text, territories first, then the district's row."""
    rows = page.locator(".plan-page > .plan-section .plan-table tr:not(thead tr)")
    return [
        [cell.strip() for cell in row.split("\t")]
        for row in rows.evaluate_all(
            "rows => rows.map(r => [...r.cells].map(c => c.textContent).join('\\t'))"
        )
    ]


def expected_rows(answer, whole_district=True):
    rows = [
        [
            row["name"],
            count(row["residents_total"]),
            count(row["residents_covered"]),
            share(row["coverage_share"]),
            count(row["ground_area_m2"]),
            count(row["norm_area_m2"]),
            count(row["deficit_m2"]),
        ]
        for row in answer["territories"]
    ]
    if whole_district:
        rows.append(
            [
                "Весь округ",
                count(answer["residents_total"]),
                count(answer["residents_covered"]),
                share(answer["coverage_share"]),
                count(answer["ground_area_m2"]),
                count(answer["norm_area_m2"]),
                count(answer["deficit_m2"]),
            ]
        )
    return rows


def wait_for(page, answer, whole_district=True):
    """Until the page shows `answer`: its share in the summary and its table."""
    summary = f"{share(answer['coverage_share'])} жителей живут в зоне доступности"
    expect(page.locator(".plan-share")).to_have_text(summary)
    expect(page.locator(".plan-status")).to_have_text("")
    assert shown_rows(page) == expected_rows(answer, whole_district)


def map_colours(page, kind, radius, territory=None):
    """The buildings' colours on the map, and those the API's GeoJSON gives."""
    query = {"kind": kind, "radius": radius, "format": "geojson"}
    if territory:
        query["territory"] = territory
    features = json.loads(Client().get("/api/coverage/", query).content)["features"]
    expected = {}
    for feature in features:
        properties = feature["properties"]
        if not properties["residents"]:
            colour = NOBODY
        else:
            colour = COVERED if properties["covered"] else UNCOVERED
        expected[colour] = expected.get(colour, 0) + 1
    return page.evaluate(BUILDING_COLOURS), expected


def test_kind_and_radius_change_the_table_the_summary_and_the_map(town, open_planner):
    page = open_planner()
    sport = api({"kind": "sport"})
    assert sport["radius_m"] == 500
    wait_for(page, sport)
    expect(page.get_by_label("Радиус доступности, м")).to_have_value("500")
    expect(page.locator("#plan-norm")).to_have_text("по нормативу: 500 м")
    shown, expected = map_colours(page, "sport", 500)
    assert shown == expected
    assert set(expected) == {COVERED, UNCOVERED, NOBODY}
    page.screenshot(path="/tmp/planning-1-sport.png", full_page=True)

    # Playgrounds: the radius starts again from their norm.
    page.get_by_label("детские площадки").check()
    playground = api({"kind": "playground"})
    assert playground["radius_m"] == 300
    wait_for(page, playground)
    expect(page.get_by_label("Радиус доступности, м")).to_have_value("300")
    expect(page.locator("#plan-norm")).to_have_text("по нормативу: 300 м")
    shown, expected = map_colours(page, "playground", 300)
    assert shown == expected

    # A radius of the planner's own.
    page.get_by_label("Радиус доступности, м").fill("160")
    page.get_by_label("Радиус доступности, м").press("Enter")
    narrow = api({"kind": "playground", "radius": 160})
    assert narrow["residents_covered"] < playground["residents_covered"]
    wait_for(page, narrow)
    shown, expected = map_colours(page, "playground", 160)
    assert shown == expected
    assert "radius=160" in page.url and "kind=playground" in page.url
    # The zone around the playground is its outline widened by 160 m.
    radii = page.evaluate(ZONE_RADII)
    assert len(radii) == 1
    assert radii[0] == pytest.approx(160, rel=0.01)
    page.screenshot(path="/tmp/planning-2-playground-160.png", full_page=True)
    assert page.errors == []
    assert page.evaluate("window.__violations") == []


def test_zones_keep_their_radius_in_metres_as_the_map_zooms(town, open_planner):
    page = open_planner("?kind=sport&radius=250")
    wait_for(page, api({"kind": "sport", "radius": 250}))
    for zoom in (13, 17):
        page.evaluate(f"window.__maps[0].setZoom({zoom}, {{animate: false}})")
        page.wait_for_timeout(200)
        radii = page.evaluate(ZONE_RADII)
        assert len(radii) == 2
        assert radii == pytest.approx([250, 250], rel=0.01)


def test_one_territory(town, open_planner):
    west, _ = town
    page = open_planner()
    wait_for(page, api({"kind": "sport"}))
    page.get_by_label("Территория", exact=True).select_option(label="Запад")
    answer = api({"kind": "sport", "territory": west.pk})
    wait_for(page, answer, whole_district=False)
    assert [row[0] for row in shown_rows(page)] == ["Запад"]
    shown, expected = map_colours(page, "sport", 500, west.pk)
    assert shown == expected
    # The view is fitted to the TOS.
    inside = page.evaluate(
        "(id) => { const map = window.__maps[0]; let b;"
        " map.eachLayer(l => { if (l.feature && l.feature.id === id"
        " && l.feature.properties.population !== undefined) b = l.getBounds(); });"
        " return map.getBounds().contains(b); }",
        west.pk,
    )
    assert inside is True
    page.screenshot(path="/tmp/planning-3-territory.png", full_page=True)
    assert page.errors == []


def test_walking_is_switched_off_when_the_api_refuses_it(town, open_planner):
    page = open_planner()
    straight = api({"kind": "sport"})
    wait_for(page, straight)
    refusal = Client().get("/api/coverage/", {"kind": "sport", "method": "network"})
    assert refusal.status_code == 400
    page.get_by_label("пешком").click()
    expect(page.get_by_label("пешком")).to_be_disabled()
    expect(page.get_by_label("по прямой")).to_be_checked()
    expect(page.locator(".plan-method-note")).to_have_text(refusal.json()["error"])
    wait_for(page, straight)
    assert "method=straight" in page.url
    assert page.errors == []


def test_a_refused_radius_is_named_next_to_its_field(town, open_planner):
    page = open_planner()
    sport = api({"kind": "sport"})
    wait_for(page, sport)
    refusal = Client().get("/api/coverage/", {"kind": "sport", "radius": 6000}).json()
    assert refusal["field"] == "radius"
    radius = page.get_by_label("Радиус доступности, м")
    radius.fill("6000")
    radius.press("Enter")
    expect(page.locator('[data-error-for="radius"]')).to_have_text(refusal["error"])
    expect(radius).to_have_attribute("aria-invalid", "true")
    # A good radius clears the refusal.
    radius.fill("450")
    radius.press("Enter")
    wait_for(page, api({"kind": "sport", "radius": 450}))
    expect(page.locator('[data-error-for="radius"]')).to_have_text("")
    expect(radius).not_to_have_attribute("aria-invalid", "true")
    assert page.errors == []


def test_csv_and_geojson_download(town, open_planner):
    page = open_planner("?kind=playground&radius=400")
    wait_for(page, api({"kind": "playground", "radius": 400}))
    query = {"kind": "playground", "radius": "400", "method": "straight"}

    with page.expect_download() as download:
        page.get_by_role("link", name="Таблица (CSV)").click()
    assert download.value.suggested_filename == "coverage-playground.csv"
    text = open(download.value.path(), encoding="utf-8-sig", newline="").read()
    assert text == Client().get(
        "/api/coverage/", {**query, "format": "csv"}
    ).content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "ТОС" and table[-1][0] == "весь округ"
    assert len(table) == 4  # the header, two TOS, the district

    with page.expect_download() as download:
        page.get_by_role("link", name="Дома с охватом (GeoJSON, для QGIS)").click()
    assert download.value.suggested_filename == "coverage-playground.geojson"
    collection = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == Building.objects.count()
    covered = {f["id"] for f in collection["features"] if f["properties"]["covered"]}
    assert covered and covered != {b.pk for b in Building.objects.all()}
    assert page.errors == []


def test_the_printable_report(town, open_planner):
    page = open_planner("?kind=sport&radius=450")
    answer = api({"kind": "sport", "radius": 450})
    wait_for(page, answer)
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Отчёт для печати").click()
    report = opened.value
    report.wait_for_load_state()
    assert "/planning/report/?" in report.url and "radius=450" in report.url
    expect(report.locator("h2")).to_have_text(
        "Обеспеченность жителей спортивными площадками"
    )
    expect(report.locator(".report-radius")).to_have_text("450 м")
    expect(report.locator(".report-version")).to_have_text(answer["data_version"])
    images = report.locator("img.plan-chart-image")
    expect(images).to_have_count(2)
    for source in images.evaluate_all("images => images.map(i => i.src)"):
        assert source.startswith("data:image/png;base64,")
    widths = images.evaluate_all("images => images.map(i => i.naturalWidth)")
    assert widths == [1800, 1800]  # drawn at twice the size, for paper
    assert shown_rows(report) == expected_rows(answer)
    report.screenshot(path="/tmp/planning-4-report.png", full_page=True)
    report.emulate_media(media="print")
    expect(report.locator(".site-header")).to_be_hidden()
    expect(report.get_by_role("button", name="Печать")).to_be_hidden()
    report.screenshot(path="/tmp/planning-5-report-print.png", full_page=True)
    assert report.evaluate("window.__violations") == []


# A URLconf with the plans endpoint, which this server does not have yet; the
# browser answers for it (test_where_to_build_next).
urlpatterns = [
    path("api/coverage/plans/", lambda request: None),
    path("", include("geo.urls")),
]


def test_where_to_build_next_follows_the_job_to_its_sites(
    town, open_planner, settings, live_server
):
    settings.ROOT_URLCONF = __name__
    posted, polls = [], []
    result = {
        "sites": [
            {
                "rank": 1,
                "lon": 103.895,
                "lat": 52.5435,
                "yard": "Двор у дома 7",
                "residents_newly_covered": 130,
                "covered_after": 430,
                "coverage_after": 0.9,
            },
            {
                "rank": 2,
                "lon": 103.900,
                "lat": 52.5435,
                "yard": None,
                "residents_newly_covered": 20,
                "covered_after": 450,
                "coverage_after": 0.95,
            },
        ],
        "residents_covered_before": 300,
        "residents_covered_after": 450,
        "coverage_before": 0.6,
        "coverage_after": 0.95,
    }

    def plans(route):
        request = route.request
        if request.method == "POST":
            posted.append(json.loads(request.post_data))
            body, status = {"id": 7, "state": "queued", "progress": 0}, 202
        else:
            polls.append(request.url)
            done = len(polls) > 1
            body = {
                "id": 7,
                "state": "done" if done else "running",
                "progress": 100 if done else 40,
                "result": result if done else None,
            }
            status = 200
        route.fulfill(status=status, json=body)

    page = open_planner("?kind=playground")
    page.route(re.compile(r".*/api/coverage/plans/.*"), plans)
    wait_for(page, api({"kind": "playground"}))
    panel = page.locator(".plan-next")
    panel.get_by_label("Сколько мест").fill("2")
    panel.get_by_label("точки, отмеченные на карте").check()
    page.locator("#plan-map").scroll_into_view_if_needed()
    box = page.locator("#plan-map").bounding_box()
    page.mouse.click(box["x"] + 200, box["y"] + 200)
    page.mouse.click(box["x"] + 400, box["y"] + 300)
    expect(panel.locator(".plan-points-count")).to_have_text("выбрано точек: 2")
    panel.get_by_role("button", name="Подобрать места").click()
    expect(panel.locator(".plan-next-status")).to_have_text("подбираю места: 40\u00a0%")
    expect(panel.locator(".plan-progress")).to_have_attribute("value", "40")
    expect(panel.locator(".plan-next-summary")).to_have_text(
        "Охват: 60,0\u00a0% → 95,0\u00a0% (300 → 450 жителей)"
    )
    rows = panel.locator(".plan-sites tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Двор у дома 7")
    expect(rows.nth(0).locator("td").nth(2)).to_have_text("+130")
    expect(rows.nth(1)).to_contain_text("52.54350, 103.90000")
    expect(page.locator(".plan-site-marker")).to_have_count(2)
    assert polls and all(url.endswith("/api/coverage/plans/7/") for url in polls)
    (body,) = posted
    assert body["kind"] == "playground" and body["radius"] == 300
    assert body["count"] == 2 and "territory" not in body
    assert len(body["points"]) == 2
    for lon, lat in body["points"]:
        assert 103.8 < lon < 104.0 and 52.5 < lat < 52.6
    # The panel's table stays inside the page.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path="/tmp/planning-6-next-sites.png", full_page=True)
    assert page.errors == []


def test_the_plan_panel_hides_itself_when_the_api_has_no_plans(
    town, open_planner, settings
):
    """The page rendered where the endpoint existed, the API answering 404."""
    settings.ROOT_URLCONF = __name__
    page = open_planner()
    page.route(
        re.compile(r".*/api/coverage/plans/.*"),
        lambda route: route.fulfill(
            status=404, json={"field": "path", "error": "нет такого адреса в API"}
        ),
    )
    wait_for(page, api({"kind": "sport"}))
    panel = page.locator(".plan-next")
    expect(panel).to_be_visible()
    panel.get_by_role("button", name="Подобрать места").click()
    expect(panel).to_be_hidden()


def test_a_slow_analysis_shows_its_progress_then_the_table(
    town, open_planner, settings
):
    """Above the threshold the API answers 202 (docs/domain.md, "Coverage of
    grounds": slow analyses): the page shows the job's progress until the real
    worker has run it, then the figures, the same as the synchronous answer's."""
    settings.COVERAGE_SYNC_MAX_BUILDINGS = 3  # the town has 11 houses
    page = open_planner("?kind=sport")
    bar = page.locator(".plan-analysis-progress")
    expect(page.locator(".plan-status")).to_have_text("большой расчёт: в очереди…")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("value", "0")
    assert shown_rows(page) == []
    # Playwright's loop runs in this thread; the worker gets one of its own.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(run_jobs).result()
    settings.COVERAGE_SYNC_MAX_BUILDINGS = 1_000_000
    answer = api({"kind": "sport"})  # kept by the job, now served at once
    wait_for(page, answer)
    expect(bar).to_be_hidden()
    assert answer["residents_total"] > 0
    page.screenshot(path="/tmp/planning-7-slow-analysis.png", full_page=True)
    assert page.errors == []
