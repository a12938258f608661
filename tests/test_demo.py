"""The Angarsk demo data set: the passport's names and figures, valid illustrative
geometry, and loads that can be repeated without duplicating anything."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q, Sum

from territories.contests.models import Entry as ContestEntry
from territories.contests.models import Placing, Score, Season
from territories.events.models import Event, EventKind, Registration
from territories.registry import models
from territories.registry.demo import (
    DEMO_NOTICE,
    DEMO_PREFIX,
    FIXTURE,
    demo_notice,
    load_demo,
    read_facts,
    unload_apps_demo,
)

FACTS = read_facts()
PRACTICE_PROGRAMMES = set(FACTS["illustrative"]["programme_by_year"].values())
GEO_MODELS = [
    models.Territory,
    models.Building,
    models.Yard,
    models.Ground,
    models.Tree,
    models.ResourceCentre,
    models.ContainerSite,
]
ALL_MODELS = [
    # The contests' entries hold demo houses, yards and TOS; their seasons go after.
    ContestEntry,
    Season,
    Event,  # the demo's events refer to its TOS and places: they go first
    models.YardWork,
    *GEO_MODELS[::-1],
    models.Council,
    models.District,
]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module by `load_demo`, and removed afterwards."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        # Every app's own demo rows first (forum, contests, events, centres …), as
        # `load_demo --reset` removes them; then whatever the registry holds.
        unload_apps_demo()
        for model in ALL_MODELS:
            model.objects.all().delete()


def counts():
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def scalar(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_the_district_has_the_passport_population_and_area():
    district = models.District.objects.get()
    assert district.name == "Ангарский городской округ"
    assert district.population == 237_713
    assert str(district.population_date) == "2019-01-01"
    assert district.geom.area == pytest.approx(1150e6, rel=0.001)


def test_the_eight_tos_carry_the_passport_populations():
    tos = dict(models.Territory.objects.values_list("name", "population"))
    assert tos == {
        "Перекресток": 2478,
        "Старица": 121,
        "Старый город": 1027,
        "12а микрорайон": 2248,
        "Центральный": 1548,
        "Уезд": 995,
        "Старо-Байкальск": 357,
        "Экспедиция": 1053,
    }
    assert sum(tos.values()) == 9827


def test_tos_are_approved_without_invented_decisions_or_chairs():
    tos = models.Territory.objects.all()
    assert {t.status for t in tos} == {models.Territory.Status.APPROVED}
    assert {(t.decision_no, t.decision_date, t.chair) for t in tos} == {("", None, "")}


def test_buildings_house_a_city_of_plausible_size():
    apartments = models.Building.objects.filter(kind="apartments")
    assert apartments.count() >= 1500
    residents = models.Building.objects.with_residents().aggregate(
        n=Sum("resident_count")
    )
    assert 200_000 <= residents["n"] <= 240_000
    assert apartments.filter(residents_recorded__isnull=False).exists()
    assert apartments.filter(residents_recorded__isnull=True, flats__gt=0).exists()


def test_each_tos_holds_at_least_the_people_it_unites():
    for territory in models.Territory.objects.all():
        inside = models.Building.objects.filter(geom__within=territory.geom)
        residents = inside.with_residents().aggregate(n=Sum("resident_count"))["n"]
        assert residents >= territory.population, territory.name


def test_48_improved_yards_cover_the_passport_area():
    improved = models.Yard.objects.filter(works__programme__in=PRACTICE_PROGRAMMES)
    improved = improved.distinct()
    assert models.Yard.objects.count() >= 48
    assert improved.count() == 48
    area = sum(yard.area_m2 for yard in improved)
    assert area == pytest.approx(411_871, rel=0.01)
    assert improved.filter(works__year=2018).distinct().count() == 16


def test_31_inner_drives_were_repaired():
    drives = models.YardWork.objects.filter(
        description="Ремонт внутриквартального проезда"
    )
    assert drives.count() == 31


def test_the_practice_installed_20_sport_grounds_and_28_playgrounds():
    practice = models.Ground.objects.filter(programme__in=PRACTICE_PROGRAMMES)
    by_kind = dict(practice.values_list("kind").annotate(n=Count("id")))
    assert by_kind == {"sport": 20, "playground": 28}
    assert set(practice.values_list("year", flat=True)) <= set(range(2014, 2020))
    assert models.Ground.objects.filter(programme="").count() > 0


def test_grounds_have_plausible_areas():
    ranges = {"playground": (200, 800), "sport": (400, 1500)}
    for kind, (low, high) in ranges.items():
        areas = models.Ground.objects.filter(kind=kind).values_list(
            "area_m2", flat=True
        )
        assert low <= min(areas) and max(areas) <= high, kind


def test_more_than_2000_trees_of_the_campaign():
    campaign = models.Tree.objects.filter(campaign="Укоренись в Ангарске")
    assert campaign.count() > 2000
    assert not campaign.filter(Q(species="") | Q(planted_on__isnull=True)).exists()


def test_resource_centres_container_sites_and_councils():
    assert models.ResourceCentre.objects.count() == 7
    assert models.ContainerSite.objects.count() == 4
    assert models.Council.objects.count() == 400
    assert models.Council.objects.filter(buildings__isnull=True).count() == 0
    assert models.Council.objects.filter(territory__isnull=False).exists()


@pytest.mark.parametrize("model", GEO_MODELS, ids=lambda m: m.__name__)
def test_geometry_is_valid_and_inside_the_district(model):
    outside = scalar(
        f"SELECT count(*) FROM {model._meta.db_table} f, territories_district d "
        "WHERE NOT (ST_IsValid(f.geom) AND ST_Within(f.geom, d.geom))"
    )
    assert outside == 0


@pytest.mark.parametrize(
    "table", ["territories_territory", "territories_building", "territories_ground"]
)
def test_features_of_a_layer_do_not_overlap(table):
    overlapping = scalar(
        f"SELECT count(*) FROM {table} a JOIN {table} b "
        "ON a.id < b.id AND ST_Intersects(a.geom, b.geom) "
        "AND ST_Area(ST_Intersection(a.geom, b.geom)) > 0"
    )
    assert overlapping == 0


def test_grounds_lie_in_yards_and_trees_stand_clear_of_buildings_and_grounds():
    grounds_astray = scalar(
        "SELECT count(*) FROM territories_ground g WHERE NOT EXISTS "
        "(SELECT 1 FROM territories_yard y WHERE ST_Within(g.geom, y.geom))"
    )
    trees_on_something = scalar(
        "SELECT count(*) FROM territories_tree t WHERE EXISTS "
        "(SELECT 1 FROM territories_building b WHERE ST_Intersects(t.geom, b.geom)) "
        "OR EXISTS "
        "(SELECT 1 FROM territories_ground g WHERE ST_Intersects(t.geom, g.geom))"
    )
    assert (grounds_astray, trees_on_something) == (0, 0)


def test_reloading_changes_nothing_and_restores_edited_demo_rows():
    before = counts()
    building = models.Building.objects.get(osm_id=f"{DEMO_PREFIX}building/1")
    models.Building.objects.filter(pk=building.pk).update(flats=1)
    models.Tree.objects.filter(osm_id=f"{DEMO_PREFIX}tree/1").delete()

    outcomes = load_demo()

    assert counts() == before
    changed = {
        name: (o.created, o.updated, o.deleted)
        for name, o in outcomes.items()
        if (o.created, o.updated, o.deleted) != (0, 0, 0)
    }
    assert changed == {"buildings": (0, 1, 0), "trees": (1, 0, 0)}
    assert models.Building.objects.get(pk=building.pk).flats == building.flats


def test_reset_reloads_the_same_rows():
    before = counts()
    load_demo(reset=True)
    assert counts() == before


def test_if_empty_does_nothing_when_the_district_has_territories(
    django_assert_max_num_queries,
):
    before = counts()
    out = StringIO()
    with django_assert_max_num_queries(1):
        call_command("load_demo", "--if-empty", stdout=out)
    assert "nothing loaded" in out.getvalue()
    assert counts() == before


def test_the_demo_events_say_they_are_illustrative_and_invent_no_sign_ups():
    events = Event.objects.filter(osm_id__startswith=f"{DEMO_PREFIX}event/")
    assert events.count() == 12
    assert all(
        e.description.startswith("Демонстрационное мероприятие (условно)")
        for e in events
    )
    assert events.upcoming().count() >= 6 and events.past().count() >= 4
    traditional = set(events.values_list("kind__code", flat=True))
    assert (
        len(
            traditional
            & set(
                EventKind.objects.filter(traditional=True).values_list(
                    "code", flat=True
                )
            )
        )
        == 9
    )
    for event in events.select_related("yard", "ground"):
        place = event.yard or event.ground
        assert place.osm_id.startswith(DEMO_PREFIX) and place.geom.covers(event.geom)
        assert event.territory is not None
    assert Registration.objects.count() == 0


def test_the_notice_says_the_geometry_is_illustrative_in_both_languages():
    assert "условно" in DEMO_NOTICE["ru"]
    assert "illustrative" in DEMO_NOTICE["en"]
    assert demo_notice("en-us") == DEMO_NOTICE["en"]
    assert demo_notice("de") == DEMO_NOTICE["ru"]


def test_the_data_file_holds_no_contacts():
    text = FIXTURE.read_text(encoding="utf-8")
    assert not re.search(r"[\w.-]+@[\w-]+\.\w+", text)  # e-mail addresses
    assert not re.search(r"(?<!\d)[78]\d{10}(?!\d)", text)  # phone numbers


def contests_snapshot():
    """Every demo contest row that a load could change, in a comparable form."""
    return {
        "seasons": sorted(Season.objects.values_list("demo_key", "state", "year")),
        "entries": sorted(
            ContestEntry.objects.values_list("demo_key", "title", "state", "place_kind")
        ),
        "scores": sorted(
            Score.objects.values_list(
                "entry__demo_key", "juror__user__username", "value"
            )
        ),
        "placings": sorted(
            Placing.objects.values_list("entry__demo_key", "rank", "score", "winner")
        ),
    }


def test_the_four_contests_have_a_published_past_season_said_to_be_illustrative():
    seasons = Season.objects.filter(demo_key__startswith=DEMO_PREFIX)
    assert sorted(seasons.values_list("contest__code", "year", "state")) == [
        (code, 2018, "published")
        for code in sorted(
            [
                "dom-v-kotorom-ya-zhivu",
                "luchshiy-sovet-mkd",
                "luchshiy-tos",
                "novogodniy-perepolokh",
            ]
        )
    ]
    for season in seasons:
        entries = season.entries.all()
        assert entries.count() == 3
        assert all("(условно)" in e.title for e in entries)
        ranks = sorted(
            Placing.objects.filter(entry__season=season).values_list("rank", flat=True)
        )
        assert ranks == [1, 2, 3]
        assert season.state_changes.count() == 3


def test_loading_the_demo_again_leaves_the_contests_identical():
    before = contests_snapshot()
    assert before["placings"]
    outcomes = load_demo()
    assert (outcomes["contests"].created, outcomes["contests"].total) == (0, 4)
    assert contests_snapshot() == before
