"""Fixtures of the browser tests: one headless Chromium per module, a fresh page per
test that can reach only the live server, and a small district drawn near the centre
of Angarsk."""

import os
import shutil
from dataclasses import dataclass, field
from datetime import date

import pytest

from territories.registry.models import (
    Building,
    Ground,
    ResourceCentre,
    Territory,
    Tree,
)

from .conftest import utm_box, utm_point

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
XSS_NAME = '<img src=x onerror="window.__xss = 1">'
XSS_EQUIPMENT = "<script>window.__xss = 2</script>"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the
    # tests make between browser steps are still synchronous and safe.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@dataclass
class PageLog:
    """What went wrong in the page, and which URLs it asked for."""

    errors: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    blocked: list = field(default_factory=list)

    def layer_requests(self, name=None):
        prefix = f"/api/layers/{name}/" if name else "/api/layers/"
        return [url for url in self.requests if prefix in url and "?" in url]


@pytest.fixture
def open_map(browser, live_server):
    """open_map(width, height) → (page, log): the map page in Russian, with every
    request outside the live server (basemap tiles) refused."""
    contexts = []

    def open_page(width=1280, height=800, path="/"):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="ru-RU"
        )
        contexts.append(context)
        log = PageLog()
        context.route(
            lambda url: not url.startswith(live_server.url),
            lambda route: log.blocked.append(route.request.url) or route.abort(),
        )
        page = context.new_page()
        page.on("pageerror", lambda error: log.errors.append(f"pageerror: {error}"))
        page.on("console", lambda message: _console_error(message, log, live_server))
        page.on("request", lambda request: log.requests.append(request.url))
        page.goto(live_server.url + path)
        page.wait_for_selector(".layer-row", state="attached")
        return page, log

    yield open_page
    for context in contexts:
        context.close()


def _console_error(message, log, live_server):
    # Refused tiles are expected: the tests run without internet.
    source = message.location.get("url", "")
    if message.type == "error" and source.startswith(live_server.url):
        log.errors.append(f"console: {message.text} ({source})")


@dataclass
class MapData:
    territories: list
    grounds: list
    trees: list
    centre: ResourceCentre
    buildings: list


@pytest.fixture
def angarsk(district):
    """Two approved TOS, a sport ground and a playground inside the first (one with
    markup in its texts), a dozen trees, a resource centre and two buildings."""
    territories = [
        Territory.objects.create(
            district=district,
            name="Перекресток",
            population=2478,
            decision_no="321-39/01рд",
            decision_date=date(2017, 8, 29),
            geom=utm_box(-1200, -800, 1000, 800),
        ),
        Territory.objects.create(
            district=district,
            name="Старица",
            population=121,
            geom=utm_box(300, 200, 900, 700),
        ),
    ]
    grounds = [
        Ground.objects.create(
            kind=Ground.Kind.SPORT,
            name="Стадион «Дружба»",
            year=2019,
            programme="Народные инициативы",
            equipment="ворота\nтурник",
            geom=utm_box(-900, -600, 120, 80),
        ),
        Ground.objects.create(
            kind=Ground.Kind.PLAYGROUND,
            name=XSS_NAME,
            equipment=XSS_EQUIPMENT,
            geom=utm_box(-500, -300, 60, 60),
        ),
    ]
    trees = [
        Tree.objects.create(
            species="берёза",
            planted_on=date(2018, 5, 19),
            campaign="Укоренись в Ангарске",
            geom=utm_point(500 + 5 * i, 500 + 3 * i),
        )
        for i in range(12)
    ]
    centre = ResourceCentre.objects.create(
        name="Ресурсный центр «Перекресток»",
        address="квартал 12а, дом 5",
        opening_hours="пн–пт 10:00–19:00",
        geom=utm_point(-200, 300),
    )
    buildings = [
        Building.objects.create(
            address=f"квартал 12а, дом {n}",
            levels=5,
            flats=60,
            geom=utm_box(-1100 + 60 * n, -700, 40, 15),
        )
        for n in (1, 2)
    ]
    return MapData(territories, grounds, trees, centre, buildings)
