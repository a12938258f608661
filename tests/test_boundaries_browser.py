# Fixtures are imported from browser_fixtures; pytest finds them by parameter name.
# ruff: noqa: F811
"""A TOS boundary drawn, checked, fixed, submitted and approved in headless
Chromium (issue #8, "Tests"): the chair of a TOS whose boundary so far exists only
in words draws it with Leaflet-Geoman, sees the live numbers and an overlap with a
neighbour, undoes and draws it again, saves and submits; a planner approves it with
the Duma's decision; the public map shows it.

The residents shown are checked against a sum computed here from the fixture's
buildings (GEOS, not PostGIS). Screenshots: /tmp/boundaries-*.png.

Run alone:
    TEST_DATABASE_NAME=test_bbrowser .venv/bin/pytest tests/test_boundaries_browser.py
"""

import json
import re
from datetime import date

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point, Polygon

from territories.accounts.roles import Role
from territories.boundaries import services
from territories.boundaries.models import BoundaryVersion
from territories.registry.models import Building, Territory

from .boundary_helpers import account, chair_of, planner
from .browser_fixtures import browser  # noqa: F401
from .conftest import CENTRE, utm_box

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW_NBSP = "\u202f"
PASSWORD = "длинный-пароль-2026"

# Leaflet keeps its maps to itself; the test asks the page's own map where a place is
# on the screen. This runs before any script of the page and hooks L.Map's creation.
EXPOSE_MAPS = """
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
})();
"""

# The first drawing reaches into «Центральный» (x 60…210 m); the second stops short.
OVERLAPPING = [(-200, -120), (150, -120), (150, 120), (-200, 120)]
FIXED = [(-200, -110), (40, -110), (40, 110), (-200, 110)]


@pytest.fixture
def place(district, settings):
    """A TOS with no boundary yet (described in words), an approved neighbour
    and houses around; the map opens over them at zoom 17."""
    centre = CENTRE.transform(4326, clone=True)
    settings.MAP_CENTER = [centre.y, centre.x]
    settings.MAP_ZOOM = 17
    neighbour = Territory.objects.create(
        district=district,
        name="Центральный",
        population=1548,
        geom=utm_box(60, -100, 150, 200),
    )
    territory = Territory.objects.create(
        district=district,
        name="Перекресток",
        population=2478,
        chair="Иванова А. П.",
        status=Territory.Status.PROPOSED,
        geom=None,
    )
    houses = [
        house(-150, -50, residents=1200),
        house(-100, 40, residents=85),
        house(-40, -60, flats=40),  # 40 × AVERAGE_HOUSEHOLD
        house(0, 20, residents=60),
        house(100, 0, residents=300),  # inside the neighbour
        house(-250, 150, residents=500),  # outside both drawings
    ]
    return territory, neighbour, houses


def house(x, y, *, residents=None, flats=None):
    return Building.objects.create(
        address=f"дом {x},{y}",
        geom=utm_box(x, y, 20, 12),
        residents_recorded=residents,
        flats=flats,
    )


def utm_polygon(points):
    ring = [(CENTRE.x + x, CENTRE.y + y) for x, y in points]
    return Polygon([*ring, ring[0]], srid=CENTRE.srid)


def expected_residents(polygon):
    """Residents and buildings inside `polygon`, computed here: a building counts when
    its point on surface lies inside; recorded residents, else flats × household."""
    counted = [
        b for b in Building.objects.all() if polygon.contains(b.geom.point_on_surface)
    ]
    people = sum(
        b.residents_recorded
        if b.residents_recorded is not None
        else round(b.flats * settings.AVERAGE_HOUSEHOLD)
        for b in counted
    )
    return people, len(counted)


def grouped(n):
    return f"{n:,}".replace(",", NARROW_NBSP)


@pytest.fixture
def new_page(browser, live_server):
    """new_page(user) → a page in a fresh context, signed in as `user` through the
    site's sign-in form at `next` (or anonymous), only the live server reachable."""
    contexts = []

    def make(user=None, next="/territories/"):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="ru-RU"
        )
        contexts.append(context)
        context.add_init_script(EXPOSE_MAPS)
        context.route(
            lambda url: not url.startswith(live_server.url),
            lambda route: route.abort(),
        )
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        if user is not None:
            sign_in(page, live_server, user, next)
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, live_server, user, next):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    page.goto(f"{live_server.url}/accounts/login/?next={next}")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{live_server.url}{next}")


def screen_point(page, x, y):
    """Where UTM offset (x, y) from the centre is on the screen."""
    point = Point(CENTRE.x + x, CENTRE.y + y, srid=CENTRE.srid).transform(
        4326, clone=True
    )
    inside = page.evaluate(
        "([lat, lon]) => {"
        " const p = window.__maps[0].latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [point.y, point.x],
    )
    box = page.locator("#tos-map").bounding_box()
    return box["x"] + inside[0], box["y"] + inside[1]


def draw_polygon(page, points):
    page.locator(".leaflet-pm-icon-polygon").click()
    for x, y in [*points, points[0]]:  # the first vertex again closes the ring
        page.mouse.click(*screen_point(page, x, y))
        page.wait_for_timeout(120)


def test_chair_draws_fixes_submits_planner_approves_public_sees(
    place, new_page, live_server
):
    territory, neighbour, _houses = place
    chair = chair_of(territory)
    url = f"{live_server.url}/territories/{territory.pk}/"

    # The chair signs in and opens the TOS from the list.
    page = new_page(chair)
    page.locator(".tos-mine").get_by_role("link", name="Перекресток").click()
    page.wait_for_url(url)
    expect(page.locator(".check-status")).to_have_text(
        "Нарисуйте границу на карте или загрузите файл."
    )
    expect(page.locator(".tos-submit")).to_be_disabled()

    # A first drawing takes a piece of «Центральный».
    draw_polygon(page, OVERLAPPING)
    warning = page.locator(".check-warning")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("пересечение с «Центральный»")
    found = re.search(r"«Центральный» ([\d\u202f]+) м²$", warning.inner_text())
    overlap_m2 = int(found.group(1).replace(NARROW_NBSP, ""))
    assert overlap_m2 == pytest.approx(90 * 200, rel=0.03)
    expect(page.locator("path.check-overlap")).to_have_count(1)
    people, count = expected_residents(utm_polygon(OVERLAPPING))
    expect(page.locator(".check-numbers")).to_contain_text(
        f"{grouped(people)} жителей в {count} домах"
    )
    page.screenshot(path="/tmp/boundaries-1-overlap.png")

    # Undo takes the drawing back; a smaller one stays clear of the neighbour.
    page.keyboard.press("Control+z")
    expect(page.locator(".check-status")).to_have_text(
        "Нарисуйте границу на карте или загрузите файл."
    )
    expect(page.locator("path.check-overlap")).to_have_count(0)
    draw_polygon(page, FIXED)
    people, count = expected_residents(utm_polygon(FIXED))
    assert (people, count) == (1200 + 85 + 92 + 60, 4)
    numbers = page.locator(".check-numbers")
    expect(numbers).to_contain_text(f"{grouped(people)} жителей в {count} домах · ")
    area = re.search(
        r" · площадь (\d+,\d) га · в паспорте: 2\u202f478$", numbers.inner_text()
    )
    assert float(area.group(1).replace(",", ".")) == pytest.approx(5.28, abs=0.1)
    expect(page.locator(".check-warning")).to_have_count(0)
    expect(page.locator(".tos-submit")).to_be_disabled()  # not saved yet

    # Save, then submit.
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.locator(".tos-progress")).to_have_text("Черновик сохранён: версия 1.")
    expect(page.locator("#boundary-state")).to_have_text("черновик")
    version = BoundaryVersion.objects.get(territory=territory)
    assert expected_residents(version.geom) == (people, count)
    submit = page.get_by_role("button", name="Отправить на согласование")
    expect(submit).to_be_enabled()
    page.screenshot(path="/tmp/boundaries-2-saved.png")
    submit.click()
    expect(page.locator("#boundary-state")).to_have_text("на согласовании")
    expect(page.locator(".tos-editor")).to_have_count(0)
    # On the main map the chair sees it dashed; nobody else does yet.
    page.goto(f"{live_server.url}/")
    expect(page.locator("path.my-draft")).to_have_count(1)
    assert page.errors == []

    # A planner sees the queue and approves with the Duma's decision.
    reviewer = new_page(planner())
    reviewer.screenshot(path="/tmp/boundaries-list-planner.png")
    reviewer.locator(".tos-queue").get_by_role("link", name="Перекресток").click()
    reviewer.wait_for_url(url)
    expect(reviewer.locator(".check-numbers")).to_contain_text(
        f"{grouped(people)} жителей в {count} домах"
    )
    # Refusals are shown next to the field they name.
    reviewer.get_by_role("button", name="Утвердить").click()
    expect(reviewer.locator('[data-error-for="decision_number"]')).to_have_text(
        "укажите номер решения Думы"
    )
    expect(reviewer.get_by_label("Номер решения Думы")).to_have_attribute(
        "aria-invalid", "true"
    )
    reviewer.get_by_label("Номер решения Думы").fill("45-12/01рд")
    reviewer.get_by_label("Дата решения").fill("2026-11-30")
    reviewer.screenshot(path="/tmp/boundaries-3-review.png")
    reviewer.get_by_role("button", name="Утвердить").click()
    expect(reviewer.locator("#boundary-state")).to_have_text("утверждено")
    assert reviewer.errors == []
    territory.refresh_from_db()
    assert (territory.decision_no, territory.decision_date) == (
        "45-12/01рд",
        date(2026, 11, 30),
    )
    assert territory.geom.equals(version.geom)

    # Everyone sees the new boundary: the layer, the map, the page.
    public = new_page()
    layer = public.request.get(f"{live_server.url}/api/layers/territories/").json()
    names = {feature["properties"]["name"] for feature in layer["features"]}
    assert names == {"Перекресток", "Центральный"}
    public.goto(
        f"{live_server.url}/#map=16/{settings.MAP_CENTER[0]}/{settings.MAP_CENTER[1]}"
    )
    expect(public.locator(".leaflet-layer-territories-pane path")).to_have_count(2)
    public.screenshot(path="/tmp/boundaries-4-public-map.png")
    public.goto(url)
    expect(public.locator(".tos-state")).to_have_text("утверждено")
    expect(public.locator(".tos-editor")).to_have_count(0)
    expect(public.get_by_text("№ 45-12/01рд от 30.11.2026")).to_be_visible()
    assert public.errors == []


@pytest.fixture
def kml_file(tmp_path):
    """A KML boundary with altitudes, as exported by common tools: 100 m east of
    `tos` and 100 m taller."""
    ring = [(100, 0), (600, 0), (600, 600), (100, 600), (100, 0)]
    coordinates = " ".join("{:.7f},{:.7f},0".format(*lonlat(x, y)) for x, y in ring)
    path = tmp_path / "граница.kml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>'
        "<name>ТОС</name><Polygon><outerBoundaryIs><LinearRing>"
        f"<coordinates>{coordinates}</coordinates>"
        "</LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def bowtie_file(tmp_path):
    ring = [(0, 0), (300, 300), (300, 0), (0, 300), (0, 0)]
    path = tmp_path / "bowtie.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[list(lonlat(x, y)) for x, y in ring]],
                },
            }
        )
    )
    return path


def lonlat(x, y):
    point = Point(CENTRE.x + x, CENTRE.y + y, srid=CENTRE.srid)
    point.transform(4326)
    return point.x, point.y


def square_metres(text):
    return int(re.search(r"([\d\u202f]+) м²", text).group(1).replace(NARROW_NBSP, ""))


def test_import_self_intersection_undo_history_and_restore(
    tos, kml_file, bowtie_file, new_page, live_server
):
    chair, reviewer = chair_of(tos), planner()
    house(150, 100, residents=40)
    house(550, 550, residents=70)  # outside the old boundary, inside the new

    # The chair starts from a KML file…
    page = new_page(chair, next=f"/territories/{tos.pk}/")
    # The editor is ready when the approved boundary has been checked.
    expect(page.locator(".check-numbers")).to_contain_text("40 жителей в 1 доме")
    upload = page.locator(".tos-editor input[type=file]")
    upload.set_input_files(kml_file)
    expect(page.locator(".tos-progress")).to_have_text(
        "Граница загружена из файла «граница.kml»."
    )
    expect(page.locator(".check-numbers")).to_contain_text("110 жителей в 2 домах")
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.locator(".tos-progress")).to_have_text("Черновик сохранён: версия 2.")

    # A vertex dragged 80 m east is a change; Ctrl+Z takes it back.
    page.locator(".leaflet-pm-icon-edit").click()
    start = screen_point(page, 600, 600)
    page.mouse.move(*start)
    page.mouse.down()
    end = screen_point(page, 680, 600)
    page.mouse.move(*end, steps=8)
    page.mouse.up()
    expect(page.locator(".tos-unsaved")).to_have_text("Есть несохранённые изменения.")
    expect(page.locator(".tos-submit")).to_be_disabled()
    page.locator(".leaflet-pm-icon-edit").click()  # edit mode off
    page.keyboard.press("Control+z")
    expect(page.locator(".tos-unsaved")).to_have_text("")
    expect(page.locator(".tos-submit")).to_be_enabled()

    # …a bowtie from a file is refused with its crossing marked on the map…
    upload.set_input_files(bowtie_file)
    expect(page.locator(".check-warning")).to_have_count(1)
    expect(page.locator("path.check-location")).to_have_count(1)
    expect(page.locator(".leaflet-tooltip")).to_have_text(
        "Здесь граница пересекает сама себя"
    )
    expect(page.locator(".tos-submit")).to_be_disabled()
    page.screenshot(path="/tmp/boundaries-5-self-intersection.png")

    # …and undone: the saved draft is back, ready to send.
    page.get_by_role("button", name="Отменить").click()
    expect(page.locator("path.check-location")).to_have_count(0)
    expect(page.locator(".check-numbers")).to_contain_text("110 жителей в 2 домах")
    expect(page.locator(".tos-save")).to_be_disabled()
    expect(page.locator(".tos-submit")).to_be_enabled()
    page.locator(".tos-submit").click()
    expect(page.locator("#boundary-state")).to_have_text("на согласовании")
    assert page.errors == []

    # Approved; the planner compares the two versions and restores the first.
    services.approve(
        tos, by=reviewer, decision_number="9-рд", decision_date="2026-11-30"
    )
    old, new = (BoundaryVersion.objects.of(tos).get(number=n).geom for n in (1, 2))
    history = new_page(reviewer, next=f"/territories/{tos.pk}/history/")
    expect(history.locator("#version-a")).to_have_value("1")
    expect(history.locator("#version-b")).to_have_value("2")
    added = history.locator(".compare-added")
    expect(added).to_contain_text("м²")
    assert square_metres(added.inner_text()) == pytest.approx(
        new.difference(old).area, rel=1e-3
    )
    removed = history.locator(".compare-removed")
    assert square_metres(removed.inner_text()) == pytest.approx(
        old.difference(new).area, rel=1e-3
    )
    expect(history.locator(".leaflet-overlay-pane path")).to_have_count(4)
    history.screenshot(path="/tmp/boundaries-6-history.png")
    history.once("dialog", lambda dialog: dialog.accept())
    history.locator('[data-restore="1"]').click()
    expect(history.locator('tr[data-version="3"]')).to_contain_text(
        "восстановлена из версии 1"
    )
    expect(history.locator('tr[data-version="3"]')).to_contain_text("действует")
    tos.refresh_from_db()
    assert tos.geom.equals(old)
    assert history.errors == []


def test_initiative_group_proposes_a_new_tos(place, new_page, live_server):
    member = account("initiator", Role.INITIATIVE)
    page = new_page(member)
    page.screenshot(path="/tmp/boundaries-list-initiative.png")
    page.get_by_role("link", name="Предложить новый ТОС").click()
    page.wait_for_url("**/territories/new/")
    create = page.get_by_role("button", name="Предложить ТОС")
    expect(create).to_be_disabled()
    page.get_by_label("Название ТОС").fill("Новые соседи")
    draw_polygon(page, FIXED)
    people, count = expected_residents(utm_polygon(FIXED))
    expect(page.locator(".check-numbers")).to_contain_text(
        f"{grouped(people)} жителей в {count} домах · площадь"
    )
    page.screenshot(path="/tmp/boundaries-propose.png")
    create.click()
    page.wait_for_url(re.compile(r"/territories/\d+/$"))
    territory = Territory.objects.get(name="Новые соседи")
    assert page.url.endswith(f"/territories/{territory.pk}/")
    assert territory.status == Territory.Status.PROPOSED
    assert list(territory.initiative_group.all()) == [member]
    expect(page.locator("#boundary-state")).to_have_text("черновик")
    expect(page.locator(".tos-save")).to_be_disabled()
    expect(page.locator(".tos-submit")).to_be_enabled()
    assert page.errors == []
