"""The contests' rules (docs/domain.md, "Contests"): applying, editing until the
window closes, photos, moderation, score sheets and conflicts of interest, state
changes; each refusal names its field and stores nothing."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from geo.errors import Forbidden, NotFound, Refused
from territories.accounts import roles
from territories.contests import services
from territories.contests.models import Entry, EntryPhoto, Score, Season, StateChange

from .boundary_helpers import account, chair_of
from .contest_helpers import (
    council_with_house,
    criteria,
    entry,
    juror,
    nomination,
    representative,
    season,
    specialist,
)
from .report_helpers import image_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def open_season(district):
    s = season()
    return s, nomination(s, for_councils=True)


def application(nom, body, house, **more):
    return {
        "nomination": nom.pk,
        "applicant_kind": "council",
        "council": body.pk,
        "title": "Дом без мусора",
        "description": "Мы убрали подвал",
        "place_kind": "building",
        "place": house.pk,
        **more,
    }


def refused(call, field, kind=Refused):
    with pytest.raises(kind) as caught:
        call()
    assert caught.value.field == field, caught.value
    return str(caught.value)


def test_a_council_representative_applies_for_their_council(open_season):
    s, nom = open_season
    council, house = council_with_house()
    rep = representative(council)
    made = services.apply(
        s.pk, application(nom, council, house), photos=[upload(image_bytes())], by=rep
    )
    assert made.state == Entry.State.PENDING
    assert made.applicant_name == council.name
    assert made.photos.count() == 1
    assert made.geom.within(house.geom)


def test_someone_else_may_not_apply_for_the_council(open_season):
    s, nom = open_season
    council, house = council_with_house()
    stranger = account("stranger", roles.Role.COUNCIL)
    refused(
        lambda: services.apply(s.pk, application(nom, council, house), by=stranger),
        "council",
        Forbidden,
    )
    assert not Entry.objects.exists()


def test_a_nomination_takes_only_its_kinds_of_applicants(open_season, tos):
    s, nom = open_season
    _council, house = council_with_house()
    chair = chair_of(tos)
    data = application(nom, _council, house, applicant_kind="territory", tos=tos.pk)
    message = refused(lambda: services.apply(s.pk, data, by=chair), "applicant_kind")
    assert nom.name in message
    assert not Entry.objects.exists()


def test_a_tos_chair_and_a_resident_apply_where_the_nomination_takes_them(tos):
    s = season()
    nom = nomination(s, for_territories=True, for_residents=True)
    _council, house = council_with_house()
    chair = chair_of(tos)
    ours = services.apply(
        s.pk,
        application(nom, _council, house, applicant_kind="territory", tos=tos.pk),
        by=chair,
    )
    assert ours.applicant_name == f"ТОС «{tos.name}»"
    resident = account("ira", roles.Role.RESIDENT)
    data = application(nom, _council, house, applicant_kind="resident")
    refused(lambda: services.apply(s.pk, data, by=resident), "display_name")
    mine = services.apply(s.pk, {**data, "display_name": "Ирина, дом 12"}, by=resident)
    assert mine.applicant_name == "Ирина, дом 12"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "х" * 201}, "title"),
        ({"place_kind": "moon"}, "place_kind"),
        ({"place": 999999}, "place"),
        ({"nomination": 999999}, "nomination"),
        ({"council": "abc"}, "council"),
    ],
)
def test_bad_input_is_refused_by_name(open_season, change, field):
    s, nom = open_season
    council, house = council_with_house()
    rep = representative(council)
    data = application(nom, council, house, **change)
    refused(lambda: services.apply(s.pk, data, by=rep), field)
    assert not Entry.objects.exists()


def test_anonymous_and_unknown_seasons(open_season):
    s, nom = open_season
    council, house = council_with_house()
    anonymous = type("Anon", (), {"is_authenticated": False, "is_active": False})()
    data = application(nom, council, house)
    refused(lambda: services.apply(s.pk, data, by=anonymous), "applicant", Forbidden)
    rep = representative(council)
    refused(lambda: services.apply(987654, data, by=rep), "season", NotFound)


def test_after_the_window_neither_applying_nor_editing(open_season):
    s, nom = open_season
    council, house = council_with_house()
    rep = representative(council)
    made = services.apply(s.pk, application(nom, council, house), by=rep)
    services.edit(made.pk, {"title": "Новое название"}, by=rep)
    Season.objects.filter(pk=s.pk).update(closes_at=timezone.now() - timedelta(1))
    refused(lambda: services.edit(made.pk, {"title": "Позже"}, by=rep), "window")
    refused(
        lambda: services.apply(s.pk, application(nom, council, house), by=rep),
        "window",
    )
    made.refresh_from_db()
    assert made.title == "Новое название"
    assert Entry.objects.count() == 1


def test_only_the_author_edits_and_an_edit_returns_to_moderation(open_season):
    s, nom = open_season
    council, house = council_with_house()
    rep = representative(council)
    made = services.apply(s.pk, application(nom, council, house), by=rep)
    services.moderate(made.pk, "approved", by=specialist())
    other = account("other", roles.Role.COUNCIL)
    refused(lambda: services.edit(made.pk, {"title": "Чужое"}, by=other), "applicant")
    edited = services.edit(made.pk, {"description": "Ещё и крыша"}, by=rep)
    assert edited.state == Entry.State.PENDING
    assert edited.title == "Дом без мусора"


def test_up_to_ten_photos(open_season):
    s, nom = open_season
    council, house = council_with_house()
    rep = representative(council)
    photos = [upload(image_bytes(), f"{n}.jpg") for n in range(8)]
    made = services.apply(s.pk, application(nom, council, house), photos=photos, by=rep)
    three = [upload(image_bytes(), f"x{n}.jpg") for n in range(3)]
    message = refused(lambda: services.add_photos(made.pk, three, by=rep), "photos")
    assert "10" in message
    services.add_photos(made.pk, three[:2], by=rep)
    assert EntryPhoto.objects.filter(entry=made).count() == 10
    eleven = [upload(image_bytes(), f"y{n}.jpg") for n in range(11)]
    refused(
        lambda: services.apply(
            s.pk, application(nom, council, house), photos=eleven, by=rep
        ),
        "photos",
    )
    assert Entry.objects.count() == 1


def test_moderation_is_the_specialists_and_a_rejection_needs_a_reason(open_season):
    s, nom = open_season
    council, house = council_with_house()
    made = entry(s, nom, council=council, house=house, state=Entry.State.PENDING)
    rep = representative(council)
    refused(lambda: services.moderate(made.pk, "approved", by=rep), "state", Forbidden)
    refused(lambda: services.moderate(made.pk, "rejected", by=specialist()), "reason")
    refused(lambda: services.moderate(made.pk, "maybe", by=specialist()), "state")
    done = services.moderate(made.pk, "rejected", "Не по теме", by=specialist())
    assert (done.state, done.rejection_reason) == ("rejected", "Не по теме")


# --- scoring -------------------------------------------------------------------------


@pytest.fixture
def judged(district, tos):
    s = season(Season.State.JUDGING)
    nom = nomination(s)
    crits = criteria(s)
    council, house = council_with_house(territory=tos)
    return s, nom, crits, entry(s, nom, council=council, house=house), council


def test_a_juror_scores_a_whole_sheet_and_may_replace_it(judged):
    s, _nom, crits, made, _council = judged
    j = juror(s, "juror-a")
    services.submit_sheet(made.pk, {crits[0].pk: 8, crits[1].pk: "4,5"}, by=j.user)
    services.submit_sheet(made.pk, {crits[0].pk: 9, crits[1].pk: 5}, by=j.user)
    assert sorted(Score.objects.values_list("value", flat=True)) == [5, 9]


def test_a_score_out_of_range_is_refused_naming_the_criterion(judged):
    s, _nom, crits, made, _council = judged
    j = juror(s, "juror-a")
    message = refused(
        lambda: services.submit_sheet(
            made.pk, {crits[0].pk: 8, crits[1].pk: 6}, by=j.user
        ),
        f"scores.{crits[1].pk}",
    )
    assert "Озеленение" in message and "5" in message
    for bad in (-1, "abc", None, float("nan"), True, "1.234"):
        refused(
            lambda b=bad: services.submit_sheet(
                made.pk, {crits[0].pk: b, crits[1].pk: 1}, by=j.user
            ),
            f"scores.{crits[0].pk}",
        )
    # A sheet is whole: one criterion missing is refused, nothing stored.
    refused(
        lambda: services.submit_sheet(made.pk, {crits[0].pk: 1}, by=j.user),
        f"scores.{crits[1].pk}",
    )
    refused(
        lambda: services.submit_sheet(made.pk, {"424242": 1}, by=j.user),
        "scores.424242",
    )
    assert not Score.objects.exists()


def test_only_jurors_score_and_only_while_judging(judged):
    s, _nom, crits, made, _council = judged
    sheet = {crits[0].pk: 1, crits[1].pk: 1}
    refused(
        lambda: services.submit_sheet(made.pk, sheet, by=account("nobody")),
        "juror",
        Forbidden,
    )
    j = juror(s, "juror-a")
    Season.objects.filter(pk=s.pk).update(state="closed")
    refused(lambda: services.submit_sheet(made.pk, sheet, by=j.user), "state")
    assert not Score.objects.exists()


def test_a_pending_entry_is_not_scored(judged, tos):
    s, nom, crits, _made, council = judged
    pending = entry(
        s, nom, council=council, house=council.buildings.get(), state="pending"
    )
    j = juror(s, "juror-a")
    sheet = {crits[0].pk: 1, crits[1].pk: 1}
    refused(lambda: services.submit_sheet(pending.pk, sheet, by=j.user), "entry")


def test_a_chair_may_not_score_an_entry_from_their_tos(judged, tos):
    s, _nom, crits, made, _council = judged
    j = juror(s, "juror-chair")
    chair_of(tos, "juror-chair")
    message = refused(
        lambda: services.submit_sheet(
            made.pk, {crits[0].pk: 1, crits[1].pk: 1}, by=j.user
        ),
        "entry",
        Forbidden,
    )
    assert message == f"вы не можете оценивать заявку своего ТОС «{tos.name}»"
    assert not Score.objects.exists()


@pytest.mark.parametrize("link", ["member", "home_council", "home_tos", "initiative"])
def test_every_tie_to_the_entry_is_a_conflict(judged, tos, link):
    s, _nom, _crits, made, council = judged
    user = account("juror-x")
    home = {}
    if link == "member":
        council.members.add(user)
    elif link == "home_council":
        home = {"home_council": council}
    elif link == "home_tos":
        home = {"home_territory": tos}
    else:
        tos.initiative_group.add(user)
    j = juror(s, "juror-x", **home)
    assert services.conflict(j, made) is not None
    free = juror(s, "juror-free")
    assert services.conflict(free, made) is None


# --- states --------------------------------------------------------------------------


def test_states_move_one_step_by_specialists_and_are_logged(judged):
    s, _nom, _crits, _made, council = judged
    refused(
        lambda: services.change_state(s.pk, "closed", by=representative(council)),
        "state",
        Forbidden,
    )
    refused(lambda: services.change_state(s.pk, "published", by=specialist()), "to")
    refused(
        lambda: services.change_state(s.pk, "closed", by=specialist(), expected="open"),
        "from",
    )
    services.change_state(s.pk, "closed", by=specialist())
    services.change_state(s.pk, "published", by=specialist())
    refused(lambda: services.change_state(s.pk, "open", by=specialist()), "to")
    assert list(StateChange.objects.values_list("from_state", "to_state")) == [
        ("judging", "closed"),
        ("closed", "published"),
    ]


def test_the_database_refuses_a_jump_and_a_score_out_of_range(judged):
    """Written around the services: the triggers of migration 0002 refuse."""
    s, _nom, crits, made, _council = judged
    j = juror(s, "juror-a")
    with pytest.raises(IntegrityError, match="above the maximum"):
        with transaction.atomic():
            Score.objects.create(juror=j, entry=made, criterion=crits[1], value=6)
    with pytest.raises(IntegrityError, match="score_not_negative"):
        with transaction.atomic():
            Score.objects.create(juror=j, entry=made, criterion=crits[1], value=-1)
    Score.objects.create(juror=j, entry=made, criterion=crits[1], value=5)
    with pytest.raises(IntegrityError, match="has scores above"):
        with transaction.atomic():
            crits[1].max_score = 4
            crits[1].save()
    with pytest.raises(IntegrityError, match="one step forward"):
        with transaction.atomic():
            Season.objects.filter(pk=s.pk).update(state="published")
    Season.objects.filter(pk=s.pk).update(state="closed")
    with pytest.raises(IntegrityError, match="only while the season is judged"):
        with transaction.atomic():
            Score.objects.create(juror=j, entry=made, criterion=crits[0], value=1)
    assert Score.objects.count() == 1


def test_a_juror_cannot_score_their_own_entry(judged):
    """docs/domain.md, "Conflicts of interest": the applicant's own account is the
    first conflict, checked by the service and by the score trigger."""
    s, nom, crits, made, _council = judged
    j = juror(s, "juror-own")
    Entry.objects.filter(pk=made.pk).update(applicant=j.user)
    made.refresh_from_db()
    assert services.conflict(j, made) == "вы не можете оценивать свою заявку"
    refused(
        lambda: services.submit_sheet(
            made.pk, {crits[0].pk: 1, crits[1].pk: 1}, by=j.user
        ),
        "entry",
        Forbidden,
    )
    with pytest.raises(IntegrityError, match="own entry"):
        with transaction.atomic():
            Score.objects.create(juror=j, entry=made, criterion=crits[1], value=1)
    assert not Score.objects.exists()
    other = juror(s, "juror-other")
    Score.objects.create(juror=other, entry=made, criterion=crits[1], value=1)
