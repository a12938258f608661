"""The contests' REST API (docs/domain.md, "Contests"): status codes, refusals
that name the field (`window`, the criterion, the conflicted juror's reason), and
list reads whose number of queries does not grow with the rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from territories.contests.models import Entry, Score, Season

from .boundary_helpers import account, api, chair_of
from .contest_helpers import (
    Scored,
    council_with_house,
    criteria,
    entry,
    juror,
    nomination,
    representative,
    season,
    specialist,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def application(nom, council, house, **more):
    return {
        "nomination": nom.pk,
        "applicant_kind": "council",
        "council": council.pk,
        "title": "Дом без мусора",
        "description": "Мы убрали подвал",
        "place_kind": "building",
        "place": house.pk,
        **more,
    }


@pytest.fixture
def open_season(district):
    s = season()
    return s, nomination(s, for_councils=True)


def test_a_representative_applies_and_the_entry_waits_for_moderation(open_season):
    s, nom = open_season
    council, house = council_with_house()
    rep = representative(council)
    response = api(rep).post(
        f"/api/contests/{s.pk}/entries/", application(nom, council, house), "json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["applicant"], body["placing"]) == (
        "pending",
        council.name,
        None,
    )
    # Pending: the public neither lists nor opens it.
    assert api().get(f"/api/contests/{s.pk}/entries/").json()["count"] == 0
    assert api().get(f"/api/contests/entries/{body['id']}/").status_code == 404
    assert api(rep).get(f"/api/contests/entries/{body['id']}/").status_code == 200


def test_applying_after_the_window_is_refused_naming_the_window(open_season):
    s, nom = open_season
    Season.objects.filter(pk=s.pk).update(
        opens_at=timezone.now() - timedelta(days=30),
        closes_at=timezone.now() - timedelta(days=1),
    )
    council, house = council_with_house()
    response = api(representative(council)).post(
        f"/api/contests/{s.pk}/entries/", application(nom, council, house), "json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "window"
    assert "приём заявок закрыт" in response.json()["error"]
    assert not Entry.objects.exists()


def test_applying_needs_an_account(open_season):
    s, nom = open_season
    council, house = council_with_house()
    response = api().post(
        f"/api/contests/{s.pk}/entries/", application(nom, council, house), "json"
    )
    assert response.status_code in (401, 403)
    assert not Entry.objects.exists()


def test_an_unknown_nomination_is_named(open_season):
    s, _nom = open_season
    council, house = council_with_house()
    other = nomination(season(year=2025), name="Чужая")
    response = api(representative(council)).post(
        f"/api/contests/{s.pk}/entries/", application(other, council, house), "json"
    )
    assert (response.status_code, response.json()["field"]) == (400, "nomination")


@pytest.fixture
def judging(tos):
    s = season()
    nom = nomination(s, for_councils=True)
    crits = criteria(s)
    council, house = council_with_house(territory=tos)
    row = entry(s, nom, council=council, house=house)
    s.state = "judging"
    s.save(update_fields=["state"])
    return s, crits, row


def test_a_juror_scores_every_criterion(judging):
    s, (clean, green), row = judging
    member = juror(s, "juror1")
    response = api(member.user).post(
        f"/api/contests/entries/{row.pk}/sheet/",
        {"scores": {str(clean.pk): 7, str(green.pk): "4.5"}},
        "json",
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"entry": row.pk, "scored": 2}
    assert Score.objects.filter(juror=member).count() == 2


@pytest.mark.parametrize("value", [11, -1, "много"])
def test_a_score_outside_the_range_names_the_criterion(judging, value):
    s, (clean, green), row = judging
    member = juror(s, "juror1")
    response = api(member.user).post(
        f"/api/contests/entries/{row.pk}/sheet/",
        {"scores": {str(clean.pk): value, str(green.pk): 3}},
        "json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == f"scores.{clean.pk}"
    assert "«Чистота»" in response.json()["error"] and "10" in response.json()["error"]
    assert not Score.objects.exists()


def test_a_juror_of_the_entrys_tos_is_refused_and_told_why(judging, tos):
    s, (clean, green), row = judging
    member = juror(s, "juror1")
    chair_of(tos, "juror1")
    response = api(member.user).post(
        f"/api/contests/entries/{row.pk}/sheet/",
        {"scores": {str(clean.pk): 5, str(green.pk): 3}},
        "json",
    )
    assert response.status_code == 403
    assert response.json() == {
        "field": "entry",
        "error": "вы не можете оценивать заявку своего ТОС «Перекресток»",
    }
    assert not Score.objects.exists()


def test_someone_outside_the_jury_is_forbidden(judging):
    s, (clean, green), row = judging
    response = api(account("sosed")).post(
        f"/api/contests/entries/{row.pk}/sheet/",
        {"scores": {str(clean.pk): 5, str(green.pk): 3}},
        "json",
    )
    assert (response.status_code, response.json()["field"]) == (403, "juror")


def test_a_specialist_moves_the_season_one_step_at_a_time(judging):
    s, _crits, _row = judging
    manager = specialist()
    skip = api(manager).post(
        f"/api/contests/{s.pk}/state/", {"to": "published"}, "json"
    )
    assert (skip.status_code, skip.json()["field"]) == (400, "to")
    step = api(manager).post(
        f"/api/contests/{s.pk}/state/", {"to": "closed", "expected": "judging"}, "json"
    )
    assert (step.status_code, step.json()["state"]) == (200, "closed")
    stale = api(manager).post(
        f"/api/contests/{s.pk}/state/",
        {"to": "published", "expected": "judging"},
        "json",
    )
    assert (stale.status_code, stale.json()["field"]) == (400, "from")
    refused = api(account("sosed")).post(
        f"/api/contests/{s.pk}/state/", {"to": "published"}, "json"
    )
    assert (refused.status_code, refused.json()["field"]) == (403, "state")
    assert Season.objects.get(pk=s.pk).state == "closed"


def test_moderation_approves_and_rejects_with_a_reason(open_season):
    s, nom = open_season
    council, house = council_with_house()
    row = entry(s, nom, council=council, house=house, state=Entry.State.PENDING)
    manager = api(specialist())
    no_reason = manager.post(
        f"/api/contests/entries/{row.pk}/moderation/", {"state": "rejected"}, "json"
    )
    assert (no_reason.status_code, no_reason.json()["field"]) == (400, "reason")
    ok = manager.post(
        f"/api/contests/entries/{row.pk}/moderation/", {"state": "approved"}, "json"
    )
    assert (ok.status_code, ok.json()["state"]) == (200, "approved")
    assert api().get(f"/api/contests/{s.pk}/entries/").json()["count"] == 1


def test_unknown_seasons_entries_and_parameters(open_season):
    s, _nom = open_season
    assert api().get("/api/contests/999999/").status_code == 404
    assert api().get("/api/contests/999999/entries/").status_code == 404
    assert api().get("/api/contests/entries/999999/").status_code == 404
    bad = api().get("/api/contests/", {"year": "2026"})
    assert (bad.status_code, bad.json()["field"]) == (400, "year")


# --- the number of queries of the list reads -----------------------------------------


def more_entries(world, how_many):
    for n in range(how_many):
        council, house = council_with_house(f"Совет №{n}", x=600 + n * 30, y=600)
        entry(world.season, world.nomination, council=council, house=house)


@pytest.mark.parametrize("extra", [0, 5])
def test_the_lists_take_the_same_queries_however_long(
    tos, extra, django_assert_num_queries
):
    world = Scored(tos, published=True)
    more_entries(world, extra)
    season(code="luchshiy-tos", year=2025)
    client = api()
    with django_assert_num_queries(1):
        assert len(client.get("/api/contests/").json()) == 2
    with django_assert_num_queries(2):  # the season, its entries
        listed = client.get(f"/api/contests/{world.season.pk}/entries/").json()
    assert listed["count"] == 2 + extra
    # The season, its nominations, criteria and the ranking.
    with django_assert_num_queries(4):
        detail = client.get(f"/api/contests/{world.season.pk}/").json()
    assert len(detail["ranking"]) == 2
