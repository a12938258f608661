"""The planner's pages (territories/planning/pages): the coverage page offers the
choices and ships what its script needs; the printable report prints the service's
own figures, its parameters, date and data version. What the page's script does
with the API is the browser's test (test_planning_browser.py)."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from territories.planning import services
from territories.planning.templatetags.planning_format import count, share
from territories.registry.demo import DEMO_PREFIX
from territories.registry.models import Building, Ground, Territory

from .conftest import utm_box

pytestmark = pytest.mark.django_db

NARROW_NBSP = "\u202f"


def visitor():
    return Client(headers={"accept-language": "ru"})


def page_config(response, name="planning-config"):
    found = re.search(
        rf'<script id="{name}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


class Rows(HTMLParser):
    """The text of each cell of each row of a page's first `.plan-table`."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell, self.depth = [], None, 0

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "table" and "plan-table" in classes.split():
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            # Only ASCII white space: the numbers' narrow no-break space stays.
            text = re.sub(r"[ \t\r\n]+", " ", "".join(self.cell)).strip()
            self.rows[-1].append(text)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(response):
    parser = Rows()
    parser.feed(response.content.decode())
    return parser.rows[1:]  # without the header


@pytest.fixture
def town(district):
    """Two approved TOS, a proposed one, a playground in the west and houses 300 m
    and 301 m from it."""
    west = Territory.objects.create(
        district=district, name="Запад", geom=utm_box(0, 0, 1000, 1000)
    )
    east = Territory.objects.create(
        district=district, name="Восток", geom=utm_box(1000, 0, 1000, 1000)
    )
    Territory.objects.create(
        district=district,
        name="Предложенный",
        status=Territory.Status.PROPOSED,
        geom=None,
    )
    Ground.objects.create(kind="playground", geom=utm_box(100, 100, 20, 20))
    for x, residents in ((420, 1250), (421, 40), (1500, 7)):
        Building.objects.create(
            address=f"дом {x}",
            geom=utm_box(x, 100, 20, 10),
            residents_recorded=residents,
        )
    return west, east


class TestPage:
    def test_is_public_and_offers_kinds_territories_and_methods(self, town):
        response = visitor().get(reverse("planning-page"))
        assert response.status_code == 200
        text = response.content.decode()
        for label in ("спортивные площадки", "детские площадки", "по прямой", "пешком"):
            assert label in text
        options = re.findall(r'<option value="(\d*)"[^>]*>([^<]+)</option>', text)
        assert [name for _, name in options] == ["весь округ", "Восток", "Запад"]
        assert "Предложенный" not in text

    def test_ships_the_api_addresses_to_its_script(self, town):
        config = page_config(visitor().get(reverse("planning-page")))
        assert config["api"]["coverage"] == reverse("coverage") == "/api/coverage/"
        assert config["api"]["grounds"] == "/api/layers/grounds/"
        assert config["report"] == reverse("planning-report")
        assert config["chosen"] == {
            "kind": "sport",
            "method": "straight",
            "territory": "",
            "radius": "",
        }

    def test_starts_from_the_choices_in_its_address(self, town):
        west, _ = town
        query = f"?kind=playground&radius=250&territory={west.pk}&method=network"
        response = visitor().get(reverse("planning-page") + query)
        text = response.content.decode()
        assert 'value="playground" checked' in text
        assert 'value="network" checked' in text
        assert f'<option value="{west.pk}" selected>' in text
        assert 'name="radius" type="number"' in text and 'value="250"' in text

    def test_unknown_choices_fall_back_to_the_defaults(self, town):
        query = "?kind=swimming&method=flying&territory=abc&radius=" + "9" * 50
        config = page_config(visitor().get(reverse("planning-page") + query))
        assert config["chosen"] == {
            "kind": "sport",
            "method": "straight",
            "territory": "",
            "radius": "9" * 32,
        }

    def test_has_no_inline_script(self, town):
        text = visitor().get(reverse("planning-page")).content.decode()
        scripts = re.findall(r"<script([^>]*)>", text)
        assert scripts
        for attributes in scripts:
            assert "src=" in attributes or 'type="application/json"' in attributes
        assert " style=" not in text

    def test_serves_chart_js_as_our_own_static_file(self, town):
        text = visitor().get(reverse("planning-page")).content.decode()
        assert "/static/vendor/chart.js/chart.umd.min.js" in text
        assert "cdn" not in text.lower()

    def test_is_in_the_site_navigation(self, town):
        text = visitor().get(reverse("map")).content.decode()
        assert f'href="{reverse("planning-page")}"' in text

    def test_says_the_demo_is_illustrative_only_when_it_is_loaded(self, town):
        assert "plan-demo-note" not in visitor().get("/planning/").content.decode()
        Building.objects.create(
            osm_id=f"{DEMO_PREFIX}building/1", geom=utm_box(5000, 5000, 10, 10)
        )
        text = visitor().get("/planning/").content.decode()
        assert "plan-demo-note" in text
        assert "нарисованы условно" in text


class TestPlanPanel:
    def test_offered_with_the_plans_endpoint(self, town):
        response = visitor().get(reverse("planning-page"))
        text = response.content.decode()
        assert 'class="plan-next"' in text
        assert "Где строить дальше" in text
        assert page_config(response)["api"]["plans"] == "/api/coverage/plans/"


class TestReport:
    def test_prints_the_services_figures(self, town):
        west, east = town
        answer = services.coverage("playground")
        response = visitor().get(reverse("planning-report") + "?kind=playground")
        assert response.status_code == 200
        rows = table_rows(response)
        west_row = next(row for row in answer["territories"] if row["id"] == west.pk)
        assert west_row["residents_covered"] == 1250  # 300 m: in; 301 m: out
        assert rows[1] == [
            "Запад",
            count(1290),
            count(1250),
            share(west_row["coverage_share"]),
            count(west_row["ground_area_m2"]),
            count(west_row["norm_area_m2"]),
            count(west_row["deficit_m2"]),
        ]
        assert rows[1][1] == f"1{NARROW_NBSP}290"
        assert rows[0][0] == "Восток"
        assert rows[-1][0] == "Весь округ"
        assert rows[-1][1:4] == [
            count(answer["residents_total"]),
            count(answer["residents_covered"]),
            share(answer["coverage_share"]),
        ]

    def test_names_its_parameters_date_and_data_version(self, town):
        west, _ = town
        query = f"?kind=playground&radius=250&territory={west.pk}"
        response = visitor().get(reverse("planning-report") + query)
        text = response.content.decode()
        assert "Обеспеченность жителей детскими площадками" in text
        assert "ТОС «Запад»" in text
        assert re.search(r'class="report-radius">250 м<', text)
        assert services.data_version() in text
        assert re.search(r'class="report-date">\d\d\.\d\d\.\d{4} \d\d:\d\d<', text)
        assert "/static/vendor/chart.js/chart.umd.min.js" in text
        assert page_config(response, "planning-answer")["radius_m"] == 250

    def test_one_territory_has_no_district_row(self, town):
        west, _ = town
        query = f"?kind=playground&territory={west.pk}"
        rows = table_rows(visitor().get(reverse("planning-report") + query))
        assert [row[0] for row in rows] == ["Запад"]

    def test_the_radius_defaults_to_the_norm(self, town):
        response = visitor().get(reverse("planning-report") + "?kind=sport")
        assert page_config(response, "planning-answer")["radius_m"] == 500

    @pytest.mark.parametrize(
        "query, status, message",
        [
            ("?kind=sport&radius=0", 400, "радиус должен быть больше нуля"),
            ("?kind=sport&radius=abc", 400, "радиус — число метров"),
            ("?kind=swimming", 400, "вид площадок"),
            ("?kind=sport&territory=999999", 404, "нет утверждённого ТОС"),
        ],
    )
    def test_bad_parameters_are_named(self, town, query, status, message):
        response = visitor().get(reverse("planning-report") + query)
        assert response.status_code == status
        text = response.content.decode()
        assert "Отчёт не построен" in text
        assert message in text
        assert "planning-answer" not in text

    def test_says_the_demo_is_illustrative_when_it_is_loaded(self, town):
        Building.objects.create(
            osm_id=f"{DEMO_PREFIX}building/1", geom=utm_box(5000, 5000, 10, 10)
        )
        text = visitor().get(reverse("planning-report")).content.decode()
        assert "нарисованы условно" in text


class TestNumbers:
    """The report writes numbers as the page's script does (Intl.NumberFormat)."""

    def test_whole_numbers_are_grouped_with_a_narrow_space(self):
        assert count(218048) == f"218{NARROW_NBSP}048"
        assert count(49780.6) == f"49{NARROW_NBSP}781"
        assert count(None) == "—"

    def test_a_share_is_a_percentage_with_one_decimal_ties_up(self):
        assert share(0.8817) == "88,2\u00a0%"
        assert share(1.0) == "100,0\u00a0%"
        assert share(0.0) == "0,0\u00a0%"
        assert share(0.5) == "50,0\u00a0%"
        assert share(0.00125) == "0,1\u00a0%"  # 0.125: a tie, up as Intl
        # 0.2065 × 100 is 20.64999… in binary, written 20.65: Intl (ICU)
        # rounds the written form.
        assert share(0.2065) == "20,7\u00a0%"
        assert share(None) == "—"

    def test_english_writes_them_its_own_way(self):
        with translation.override("en"):
            assert count(218048) == "218,048"
            assert share(0.8817) == "88.2%"
