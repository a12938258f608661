# Fixtures are imported from browser_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""The map's dense layers (buildings, trees) drawn from vector tiles in headless
Chromium (docs/architecture.md, "Vector tiles"): tiles asked for instead of GeoJSON,
drawn, a click opens the feature's popup, the layer switch hides them, a layer whose
TileJSON fails falls back to GeoJSON. The zoom hint below the tiles' minzoom:
tests/test_map_browser.py.

Run alone: TEST_DATABASE_NAME=test_tiles_browser .venv/bin/pytest \
    tests/test_map_tiles_browser.py
"""

import re

import pytest

from geo.layers import layers

from .browser_fixtures import CHROMIUM_ARGS, angarsk, browser, open_map  # noqa: F401

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Painted pixels (alpha > 0) of the canvas tiles in a layer's pane.
PAINTED = """name => [
  ...document.querySelectorAll(`.leaflet-layer-${name}-pane canvas`)
].filter(canvas => canvas.width > 0)
  .map(canvas => {
    const data = canvas.getContext("2d")
      .getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
    return painted;
  })
  .reduce((a, b) => a + b, 0)"""


def view_of(geom, zoom, shown):
    """The map's #fragment centred on a geometry, with these layers on."""
    point = geom.point_on_surface.transform(4326, clone=True)
    return f"/#map={zoom}/{point.y:.7f}/{point.x:.7f}&layers={','.join(shown)}"


def tile_requests(log, name):
    return [url for url in log.requests if re.search(rf"/tiles/{name}/\d+/", url)]


def popup(page):
    return page.locator(".leaflet-popup-content")


def popup_rows(page):
    """{label: value} of the open popup, spaces normalised (numbers use NBSP)."""
    labels = popup(page).locator("dt").all_inner_texts()
    values = popup(page).locator("dd").all_inner_texts()
    return {
        label: re.sub(r"\s+", " ", value)
        for label, value in zip(labels, values, strict=True)
    }


def click_centre(page):
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def painted(page, name):
    return page.evaluate(PAINTED, name)


def wait_painted(page, name, timeout_ms=10_000):
    """Lets the page run until the layer's tiles have painted something (polled from
    here: the page's policy refuses wait_for_function's eval)."""
    for _ in range(timeout_ms // 100):
        if painted(page, name):
            return
        page.wait_for_timeout(100)
    assert painted(page, name) > 0


def test_the_catalogue_says_which_layers_the_map_draws_from_tiles(client):
    entries = {entry["name"]: entry for entry in client.get("/api/layers/").json()}
    tiled = {name for name, entry in entries.items() if entry["map_tiles"]}
    assert tiled == {"buildings", "trees"}
    assert tiled == {layer.name for layer in layers.values() if layer.map_tiles}
    for name, entry in entries.items():
        assert entry["tilejson"].endswith(f"/tiles/{name}.json")
        assert client.get(entry["tilejson"]).json()["name"] == name


def test_trees_come_as_tiles_and_a_click_opens_the_popup(angarsk, open_map):
    tree = angarsk.trees[0]
    page, log = open_map(path=view_of(tree.geom, 17, ["trees"]))
    wait_painted(page, "trees")
    assert tile_requests(log, "trees")
    assert all(url.endswith(".mvt") for url in tile_requests(log, "trees"))
    assert log.layer_requests("trees") == []  # no GeoJSON of the layer
    # Each TileJSON asked for once: the page's preload is the response map.js reads.
    for name in ("buildings", "trees"):
        assert [url for url in log.requests if url.endswith(f"/{name}.json")] == [
            f"{page.url.split('/#')[0]}/tiles/{name}.json"
        ]

    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + box["height"] / 2)  # open ground
    expect(page.locator("#map")).not_to_have_class(re.compile("is-over-feature"))
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#map")).to_have_class(re.compile("is-over-feature"))
    click_centre(page)
    expect(popup(page).locator(".popup__layer")).to_have_text("Деревья")
    expect(popup(page).locator(".popup__title")).to_have_text("берёза")
    rows = popup_rows(page)
    assert rows["Дата посадки"] == "19 мая 2018 г."
    assert rows["Акция"] == "Укоренись в Ангарске"
    assert log.errors == []


def test_a_building_under_a_territory_opens_its_own_popup(angarsk, open_map):
    building = angarsk.buildings[0]
    # The building lies inside the first TOS: the click lands on its outline's fill,
    # drawn below the buildings, and the building answers.
    page, log = open_map(path=view_of(building.geom, 17, ["territories", "buildings"]))
    expect(page.locator("path.feature--territories")).to_have_count(1)
    wait_painted(page, "buildings")
    assert log.layer_requests("buildings") == []

    click_centre(page)
    expect(popup(page).locator(".popup__title")).to_have_text(building.address)
    rows = popup_rows(page)
    assert rows["Этажей"] == "5"
    assert rows["Квартир"] == "60"
    assert rows["Площадь, м²"] == "600"  # a number, as in the GeoJSON
    assert log.errors == []


def test_switching_the_layer_off_hides_its_tiles(angarsk, open_map):
    tree = angarsk.trees[0]
    page, log = open_map(path=view_of(tree.geom, 17, ["trees"]))
    wait_painted(page, "trees")
    page.locator("input[name=trees]").uncheck()
    expect(page.locator(".leaflet-layer-trees-pane canvas")).to_have_count(0)
    assert painted(page, "trees") == 0
    click_centre(page)
    page.wait_for_timeout(300)
    expect(popup(page)).to_have_count(0)

    page.locator("input[name=trees]").check()
    wait_painted(page, "trees")
    assert log.errors == []


def test_the_tile_library_loads_only_once_a_tiled_layer_is_on(angarsk, open_map):
    page, log = open_map()  # trees and buildings are off at first
    expect(page.locator("path.feature--territories")).to_have_count(2)
    page.wait_for_timeout(500)
    library = [url for url in log.requests if "protomaps-leaflet" in url]
    assert library == []

    page.locator("input[name=trees]").check()
    wait_painted(page, "trees")
    library = [url for url in log.requests if "protomaps-leaflet" in url]
    assert len(library) == 1
    page.locator("input[name=buildings]").check()  # the same script serves both
    page.locator("[data-notice=zoom-buildings]").click()
    wait_painted(page, "buildings")
    assert [url for url in log.requests if "protomaps-leaflet" in url] == library
    assert log.errors == []


def test_a_layer_whose_tilejson_fails_is_drawn_from_geojson(
    angarsk, browser, live_server
):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route(lambda url: not url.startswith(live_server.url), lambda r: r.abort())
    context.route("**/tiles/trees.json", lambda route: route.fulfill(status=503))
    try:
        page = context.new_page()
        page.goto(live_server.url + "/#map=13/52.5406/103.888&layers=trees")
        cluster = page.locator(".cluster--trees")
        expect(cluster).to_have_count(1)
        expect(cluster).to_have_text("12")
    finally:
        context.close()


def test_a_popup_near_the_top_of_a_phone_clears_the_report_button(angarsk, open_map):
    """On a phone the report button sits below the zoom buttons; a popup opened near
    the top edge is panned into view below it, not under it."""
    building = angarsk.buildings[0]
    point = building.geom.point_on_surface.transform(4326, clone=True)
    # At z17 and this latitude a pixel is about 0.73 m: the view's centre 116 m
    # south puts the building some 160 px above the middle of the map.
    south = point.y - 116 / 111_320
    page, log = open_map(
        width=390,
        height=844,
        path=f"/#map=17/{south:.7f}/{point.x:.7f}&layers=buildings",
    )
    wait_painted(page, "buildings")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 - 160)
    expect(popup(page).locator(".popup__title")).to_have_text(building.address)
    page.wait_for_timeout(600)  # the pan into view
    button = page.locator(".report-button").bounding_box()
    shown = page.locator(".leaflet-popup").bounding_box()
    assert shown["y"] >= button["y"] + button["height"], (shown, button)
    assert log.errors == []
