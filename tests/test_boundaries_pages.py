"""The TOS pages (territories/boundaries/pages) for each kind of visitor: what each
one is offered. What the offered controls do is the API's (test_boundaries_api.py)
and the browser's (test_boundaries_browser.py)."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from territories.accounts.roles import Role
from territories.boundaries import services
from territories.registry.models import Territory

from .boundary_helpers import account, approved_via_workflow, box, chair_of, planner
from .conftest import utm_box

pytestmark = pytest.mark.django_db

EDITOR = "Сохранить черновик"
SUBMIT = "Отправить на согласование"
APPROVE = "Утвердить"


def visitor(user=None):
    client = Client(headers={"accept-language": "ru"})
    if user is not None:
        client.force_login(user)
    return client


def page_config(response):
    found = re.search(
        r'<script id="boundary-config" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


@pytest.fixture
def neighbour(district):
    return Territory.objects.create(
        district=district, name="Центральный", geom=utm_box(-500, 0, 500, 500)
    )


@pytest.fixture
def proposal(district):
    """A TOS proposed by an initiative group: a draft, no approved boundary."""
    member = account("initiator", Role.INITIATIVE)
    territory = services.propose("Новый", box(-500, -800, 300, 300), by=member)
    return territory, member


def submitted(territory):
    chair = chair_of(territory)
    services.save_draft(territory, box(0, 0, 600, 500), by=chair)
    services.submit(territory, by=chair)
    return chair


class TestList:
    def test_anonymous_sees_approved_territories_only(self, tos, proposal):
        response = visitor().get(reverse("territory-list"))
        assert response.status_code == 200
        text = response.content.decode()
        assert tos.name in text
        assert "Новый" not in text
        assert "Мои ТОС" not in text
        assert "Предложить новый ТОС" not in text

    def test_initiative_member_sees_their_proposal_as_draft(self, tos, proposal):
        territory, member = proposal
        response = visitor(member).get(reverse("territory-list"))
        text = response.content.decode()
        mine = text[text.index("Мои ТОС") : text.index("Утверждённые ТОС")]
        assert "Новый" in mine and "черновик" in mine
        assert tos.name not in mine
        assert "Предложить новый ТОС" in text

    def test_planner_gets_the_queue_first(self, tos, other_tos):
        submitted(tos)
        text = visitor(planner()).get(reverse("territory-list")).content.decode()
        queue = text[text.index("На согласовании") : text.index("Утверждённые ТОС")]
        assert tos.name in queue
        assert other_tos.name not in queue
        assert text.index("На согласовании") < text.index("Утверждённые ТОС")

    def test_others_get_no_queue(self, tos):
        submitted(tos)
        text = visitor(account("someone", Role.RESIDENT)).get(reverse("territory-list"))
        assert "На согласовании" not in text.content.decode()

    def test_numbers_are_grouped_with_a_narrow_space(self, tos):
        tos.population = 2478
        tos.save(update_fields=["population"])
        text = visitor().get(reverse("territory-list")).content.decode()
        assert "2\u202f478" in text
        assert "25,0" in text  # 500 m × 500 m in hectares


class TestTerritoryPage:
    def url(self, territory):
        return reverse("territory-page", args=[territory.pk])

    def test_anonymous_sees_the_passport_and_no_controls(self, tos):
        response = visitor().get(self.url(tos))
        assert response.status_code == 200
        text = response.content.decode()
        assert "Перекресток" in text and "Паспорт" in text
        assert EDITOR not in text and APPROVE not in text
        config = page_config(response)
        assert config["editable"] is False and config["reviewing"] is False
        assert config["api"]["detail"] == f"/api/territories/{tos.pk}/"

    def test_another_chair_sees_no_editor(self, tos, other_tos):
        chair_of(tos)
        stranger = chair_of(other_tos, username="other-chair")
        response = visitor(stranger).get(self.url(tos))
        assert EDITOR not in response.content.decode()
        assert page_config(response)["editable"] is False

    def test_the_chair_gets_the_editor(self, tos):
        response = visitor(chair_of(tos)).get(self.url(tos))
        text = response.content.decode()
        assert EDITOR in text and SUBMIT in text and "Отменить" in text
        assert "Загрузить GeoJSON или KML" in text
        assert APPROVE not in text
        config = page_config(response)
        assert config["editable"] is True
        assert config["api"]["draft"] == f"/api/territories/{tos.pk}/draft/"

    def test_the_editor_loads_geoman_from_our_static_files(self, tos):
        text = visitor(chair_of(tos)).get(self.url(tos)).content.decode()
        assert '/static/vendor/leaflet-geoman/leaflet-geoman.min.js"' in text
        assert '/static/vendor/togeojson/togeojson.umd.js"' in text
        # The Content-Security-Policy refuses inline script: data only.
        scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", text)
        assert scripts and all('type="application/json"' in s for s in scripts)

    def test_while_submitted_the_chair_waits(self, tos):
        chair = submitted(tos)
        text = visitor(chair).get(self.url(tos)).content.decode()
        assert EDITOR not in text
        assert "на согласовании" in text
        assert "изменить её можно после решения" in text

    def test_a_planner_reviews_a_submitted_boundary(self, tos):
        submitted(tos)
        response = visitor(planner()).get(self.url(tos))
        text = response.content.decode()
        assert APPROVE in text and "Вернуть" in text and "Номер решения Думы" in text
        assert EDITOR not in text
        assert page_config(response)["reviewing"] is True

    def test_a_planner_has_nothing_to_review_without_a_submission(self, tos):
        text = visitor(planner()).get(self.url(tos)).content.decode()
        assert APPROVE not in text

    def test_a_returned_boundary_shows_the_comment(self, tos):
        chair = submitted(tos)
        services.return_for_changes(tos, by=planner(), comment="Уберите школу.")
        text = visitor(chair).get(self.url(tos)).content.decode()
        assert "возвращено" in text and "Уберите школу." in text
        assert EDITOR in text

    def test_the_public_never_sees_the_returned_comment(self, tos):
        submitted(tos)
        services.return_for_changes(tos, by=planner(), comment="Уберите школу.")
        text = visitor().get(self.url(tos)).content.decode()
        assert "Уберите школу." not in text and "возвращено" not in text

    def test_a_proposal_is_shown_to_its_group_only(self, proposal):
        territory, member = proposal
        assert visitor().get(self.url(territory)).status_code == 404
        other = account("someone", Role.INITIATIVE)
        assert visitor(other).get(self.url(territory)).status_code == 404
        response = visitor(member).get(self.url(territory))
        assert response.status_code == 200
        assert EDITOR in response.content.decode()

    def test_exports_link_the_approved_boundary_and_the_draft(self, tos):
        chair = chair_of(tos)
        services.save_draft(tos, box(0, 0, 600, 500), by=chair)
        text = visitor(chair).get(self.url(tos)).content.decode()
        assert f"/api/territories/{tos.pk}/boundary.geojson" in text
        assert f"/api/territories/{tos.pk}/boundary.kml?version=2" in text
        public = visitor().get(self.url(tos)).content.decode()
        assert "?version=2" not in public

    def test_unknown_territory(self, db):
        assert visitor().get("/territories/999999/").status_code == 404


class TestPropose:
    url = "/territories/new/"

    def test_anonymous_is_asked_to_sign_in(self, db):
        response = visitor().get(self.url)
        assert response.status_code == 302
        assert "next=/territories/new/" in response["Location"]

    def test_a_resident_may_not(self, db):
        assert visitor(account("r", Role.RESIDENT)).get(self.url).status_code == 403

    def test_an_initiative_member_gets_the_form(self, db):
        response = visitor(account("i", Role.INITIATIVE)).get(self.url)
        assert response.status_code == 200
        text = response.content.decode()
        assert "Название ТОС" in text and "Предложить ТОС" in text
        assert page_config(response)["api"]["create"] == "/api/territories/"


class TestHistory:
    def url(self, territory):
        return reverse("territory-history", args=[territory.pk])

    @pytest.fixture
    def history(self, tos):
        """v1 approved (the fixture's), v2 approved, v3 a draft."""
        chair, reviewer = chair_of(tos), planner()
        approved_via_workflow(tos, box(0, 0, 600, 500), chair, reviewer, "7-рд")
        services.save_draft(tos, box(0, 0, 700, 500), by=chair)
        return tos, chair, reviewer

    def rows(self, response):
        return re.findall(r'<tr data-version="(\d+)">', response.content.decode())

    def test_editors_see_every_version(self, history):
        tos, chair, _ = history
        response = visitor(chair).get(self.url(tos))
        assert self.rows(response) == ["3", "2", "1"]
        text = response.content.decode()
        assert "черновик" in text and "решение № 7-рд" in text
        assert 'id="version-a"' in text and 'id="version-b"' in text
        assert "Восстановить" not in text

    def test_the_public_sees_approved_versions(self, history):
        tos, _, _ = history
        assert self.rows(visitor().get(self.url(tos))) == ["2", "1"]

    def test_a_planner_may_restore_an_earlier_approved_version(self, history):
        tos, _, reviewer = history
        text = visitor(reviewer).get(self.url(tos)).content.decode()
        assert re.findall(r'data-restore="(\d+)"', text) == ["1"]


class TestMainMap:
    def test_signed_in_visitors_get_their_drafts(self, db):
        response = visitor(account("c", Role.CHAIR)).get("/")
        assert response.context["map_config"]["myDrafts"] == {
            "listUrl": "/api/territories/"
        }

    def test_anonymous_visitors_do_not(self, db):
        assert "myDrafts" not in visitor().get("/").context["map_config"]

    def test_the_header_links_the_territories(self, db):
        text = visitor().get("/").content.decode()
        assert 'href="/territories/"' in text and ">ТОС</a>" in text


def test_pages_speak_english_too(tos):
    client = Client(headers={"accept-language": "en"})
    client.force_login(chair_of(tos))
    response = client.get(reverse("territory-page", args=[tos.pk]))
    text = response.content.decode()
    assert "Save draft" in text and "Send for approval" in text
    labels = json.loads(
        re.search(
            r'<script id="boundary-labels" type="application/json">(.*?)</script>',
            text,
            re.S,
        ).group(1)
    )
    assert labels["plurals"]["residents"]["one"] == "%(n)s resident"
    assert labels["messages"]["area"] == "area %(area)s ha"
    assert page_config(response)["lang"] == "en"
