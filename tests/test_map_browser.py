# Fixtures are imported from browser_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""The map page in headless Chromium, as a person sees it: layers listed and drawn,
popups, escaping, language switch, no basemap, a phone screen, loading by bbox.

Run alone: TEST_DATABASE_NAME=test_browser .venv/bin/pytest tests/test_map_browser.py
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.layers import layers

from .browser_fixtures import XSS_EQUIPMENT, XSS_NAME, angarsk, browser, open_map  # noqa: F401

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def popup(page):
    return page.locator(".leaflet-popup-content")


def popup_rows(page):
    """{label: value} of the open popup, spaces normalised (numbers use NBSP)."""
    content = popup(page)
    labels = content.locator("dt").all_inner_texts()
    values = content.locator("dd").all_inner_texts()
    return {
        label: re.sub(r"\s+", " ", value)
        for label, value in zip(labels, values, strict=True)
    }


def wait_until(page, condition, timeout_ms=5000):
    """Lets the page run until `condition()` (a check of what Python recorded) holds."""
    for _ in range(timeout_ms // 50):
        if condition():
            return
        page.wait_for_timeout(50)
    assert condition()


def bbox_of(url):
    return [float(v) for v in parse_qs(urlsplit(url).query)["bbox"][0].split(",")]


def test_page_loads_and_lists_every_layer_without_errors(angarsk, open_map):
    page, log = open_map()
    rows = page.locator(".layer-row")
    expect(rows).to_have_count(len(layers))
    titles = page.locator(".layer-row__title").all_inner_texts()
    assert titles == [layer.title_ru for layer in layers.values()]
    expect(page.locator(".layer-row[data-layer=grounds] .legend-item")).to_have_text(
        ["спортивная площадка", "детская площадка", "другая площадка"]
    )
    expect(page.locator(".demo-note")).to_contain_text("геометрия условная")
    expect(page.locator("path.feature--territories")).to_have_count(2)
    assert log.errors == []


def test_layers_on_by_default_are_drawn_and_others_on_request(angarsk, open_map):
    page, log = open_map()
    expect(page.locator("path.feature--territories")).to_have_count(2)
    expect(page.locator("path.feature--grounds")).to_have_count(2)
    expect(page.locator(".poi--resource_centres")).to_have_count(1)
    assert log.layer_requests("trees") == []

    # Trees come as vector tiles (tests/test_map_tiles_browser.py), not GeoJSON.
    page.locator("input[name=trees]").check()
    expect(page.locator(".leaflet-layer-trees-pane canvas")).not_to_have_count(0)
    wait_until(page, lambda: any("/tiles/trees/13/" in url for url in log.requests))
    assert log.layer_requests("trees") == []
    assert log.errors == []


def test_clicking_a_feature_shows_its_properties(angarsk, open_map):
    page, _ = open_map()
    page.locator("path.feature--grounds").first.click()
    expect(popup(page).locator(".popup__title")).to_have_text("Стадион «Дружба»")
    rows = popup_rows(page)
    assert rows["Вид"] == "спортивная площадка"
    assert rows["Год установки"] == "2019"
    assert rows["Площадь, м²"] == "9 600"
    assert rows["Программа"] == "Народные инициативы"

    page.keyboard.press("Escape")  # the open popup covers the marker
    expect(popup(page)).to_have_count(0)
    page.locator(".poi--resource_centres").click()
    expect(popup(page).locator(".popup__title")).to_have_text(angarsk.centre.name)
    assert popup_rows(page)["Часы работы"] == "пн–пт 10:00–19:00"


def test_markup_in_data_is_shown_as_text(angarsk, open_map):
    page, log = open_map()
    page.locator("path.feature--grounds").nth(1).click()
    expect(popup(page).locator(".popup__title")).to_have_text(XSS_NAME)
    expect(popup(page).locator("dd", has_text="window.__xss = 2")).to_have_text(
        XSS_EQUIPMENT
    )
    assert popup(page).locator("img, script").count() == 0
    assert page.evaluate("window.__xss") is None
    assert log.errors == []


def test_switching_to_english_translates_the_page(angarsk, open_map):
    page, log = open_map()
    page.locator(".language-switch button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.wait_for_selector(".layer-row")
    titles = page.locator(".layer-row__title").all_inner_texts()
    assert titles == [layer.title_en for layer in layers.values()]
    expect(page.locator(".layer-panel__toggle")).to_have_text("Layers")
    expect(page.locator(".demo-note")).to_contain_text("geometry is illustrative")
    page.locator("path.feature--grounds").first.click()
    rows = popup_rows(page)
    assert rows["Kind"] == "sport ground"
    assert rows["Area, m²"] == "9,600"
    assert log.errors == []


def test_map_shows_data_without_basemap_tiles(angarsk, open_map):
    page, log = open_map()
    expect(page.locator("path.feature--territories")).to_have_count(2)
    assert any("tile.openstreetmap.org" in url for url in log.blocked)
    expect(page.locator("[data-notice=basemap]")).to_have_text(
        "Подложка недоступна — показаны только данные."
    )
    background = page.eval_on_selector("#map", "m => getComputedStyle(m).background")
    assert "rgba(0, 0, 0, 0)" not in background
    assert log.errors == []


def test_phone_screen_keeps_the_map_free_and_the_panel_usable(angarsk, open_map):
    page, log = open_map(375, 667)
    map_box = page.locator("#map").bounding_box()
    assert map_box["width"] == 375 and map_box["height"] > 450
    panel = page.locator(".layer-panel")
    expect(page.locator(".layer-panel__body")).to_be_hidden()
    assert panel.bounding_box()["width"] < 120  # folded: a button, not a sheet
    expect(page.locator("path.feature--grounds")).to_have_count(2)

    page.locator(".layer-panel__toggle").click()
    expect(page.locator(".layer-panel__body")).to_be_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.locator("input[name=trees]").check()
    expect(page.locator(".leaflet-layer-trees-pane canvas")).not_to_have_count(0)
    assert log.errors == []


def test_panning_loads_the_new_area_by_bbox(angarsk, open_map):
    page, log = open_map()
    expect(page.locator("path.feature--territories")).to_have_count(2)
    first = log.layer_requests("territories")
    assert len(first) == 1

    page.mouse.move(900, 400)
    page.mouse.down()
    page.mouse.move(100, 400, steps=8)
    page.mouse.up()
    wait_until(page, lambda: len(log.layer_requests("territories")) == 2)

    later = log.layer_requests("territories")
    old, new = bbox_of(first[0]), bbox_of(later[1])
    assert new[0] > old[0] and new[2] > old[2]  # moved east
    assert all("bbox=" in url for url in log.layer_requests())
    assert log.layer_requests("trees") == []  # hidden layers are not loaded


def test_buildings_wait_for_a_street_level_zoom(angarsk, open_map):
    """From their tiles' minzoom (TileJSON): z14, the initial view being z13."""
    page, log = open_map()
    page.locator("input[name=buildings]").check()
    hint = page.locator("[data-notice=zoom-buildings]")
    expect(hint).to_have_text("Приблизьте карту, чтобы увидеть дома")
    note = page.locator(".layer-row[data-layer=buildings] .layer-row__note")
    expect(note).to_have_text("виден с масштаба 14")
    assert not any("/tiles/buildings/" in url for url in log.requests)

    hint.click()
    expect(page.locator(".leaflet-layer-buildings-pane canvas")).not_to_have_count(0)
    expect(hint).to_have_count(0)
    tiles = [url for url in log.requests if "/tiles/buildings/" in url]
    assert tiles and all("/tiles/buildings/14/" in url for url in tiles)
    assert log.layer_requests("buildings") == []
    assert log.errors == []


@pytest.mark.django_db  # no browser, no live server: a plain transaction is enough
@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_layer_property_has_a_human_label(client, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    labels = response.context["map_labels"]
    cyrillic = re.compile("[а-яё]", re.IGNORECASE)
    for layer in layers.values():
        for prop in layer.properties:
            label = str(labels["properties"][layer.name][prop])
            assert label != prop, (layer.name, prop)
            assert bool(cyrillic.search(label)) == (language == "ru"), label
    for message in labels["messages"].values():
        assert bool(cyrillic.search(str(message))) == (language == "ru"), message
