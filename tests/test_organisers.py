"""Organisers of bookings and events (territories/accounts/organisers.py;
docs/domain.md, "Organisers"): exactly one of a TOS, a council or an initiative
group by name, and who may act for which."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from geo.errors import Forbidden, Refused
from territories.accounts import organisers
from territories.accounts.roles import Role, grant
from territories.registry.models import Council

pytestmark = pytest.mark.django_db


def person(name, *roles):
    user = get_user_model().objects.create_user(name, password="p")
    for role in roles:
        grant(user, role)
    return user


@pytest.fixture
def council(tos):
    return Council.objects.create(name="Совет МКД ул. Ленина, 5", territory=tos)


@pytest.mark.parametrize(
    "given",
    [{}, {"group_name": "  "}, {"group_name": "Соседи", "council": "c"}],
    ids=["none", "blank name", "two"],
)
def test_an_organiser_is_exactly_one(given, council):
    if given.get("council"):
        given["council"] = council
    with pytest.raises(Refused) as refusal:
        organisers.organiser(**given)
    assert refusal.value.field == "organiser"


def test_public_names_are_organisations_not_people(tos, council):
    assert organisers.organiser(territory=tos).name == "ТОС «Перекресток»"
    assert organisers.organiser(council=council).name == "Совет МКД ул. Ленина, 5"
    assert organisers.organiser(group_name=" Соседи ").name == "Соседи"


def test_a_chair_acts_for_their_tos_only(tos, other_tos):
    chair = person("chair", Role.CHAIR)
    tos.chair_user = chair
    tos.save()
    assert organisers.may_act_for(chair, organisers.organiser(territory=tos))
    assert not organisers.may_act_for(chair, organisers.organiser(territory=other_tos))
    assert not organisers.may_act_for(chair, organisers.organiser(group_name="Соседи"))


def test_an_initiative_member_acts_for_their_group_and_tos(tos, other_tos):
    member = person("member", Role.INITIATIVE)
    tos.initiative_group.add(member)
    assert organisers.may_act_for(member, organisers.organiser(territory=tos))
    assert organisers.may_act_for(member, organisers.organiser(group_name="Соседи"))
    assert not organisers.may_act_for(member, organisers.organiser(territory=other_tos))


def test_a_council_representative_acts_for_their_council(council):
    rep, other = person("rep", Role.COUNCIL), person("other", Role.COUNCIL)
    council.members.add(rep)
    who = organisers.organiser(council=council)
    assert organisers.may_act_for(rep, who)
    assert not organisers.may_act_for(other, who)
    with pytest.raises(Forbidden) as refusal:
        organisers.check_may_act_for(other, who)
    assert refusal.value.field == "organiser"


def test_a_resident_acts_for_nobody_and_a_specialist_for_all(tos, council):
    resident, specialist = person("res", Role.RESIDENT), person("sp", Role.SPECIALIST)
    for who in (
        organisers.organiser(territory=tos),
        organisers.organiser(council=council),
        organisers.organiser(group_name="Соседи"),
    ):
        assert not organisers.may_act_for(resident, who)
        assert organisers.may_act_for(specialist, who)


def test_choices_are_what_one_may_act_for(tos, other_tos, council):
    chair = person("chair", Role.CHAIR, Role.COUNCIL)
    tos.chair_user = chair
    tos.save()
    council.members.add(chair)
    territories, councils = organisers.choices_for(chair)
    assert list(territories) == [tos] and list(councils) == [council]


def add_user(*args):
    out = io.StringIO()
    call_command("add_user", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_add_user_makes_a_council_representative(council):
    out = add_user(
        "rep", "--role=council", "--council=Совет МКД ул. Ленина, 5", "--password=p"
    )
    assert "представитель совета «Совет МКД ул. Ленина, 5»" in out
    assert list(council.members.values_list("username", flat=True)) == ["rep"]
    again = add_user("rep", "--role=council", "--council=Совет МКД ул. Ленина, 5")
    assert "без изменений" in again


def test_add_user_refuses_an_unknown_council_or_a_council_for_another_role(council):
    with pytest.raises(CommandError, match="council: нет совета «Совет Б»"):
        add_user("rep", "--role=council", "--council=Совет Б", "--password=p")
    with pytest.raises(CommandError, match="council: совет указывают только"):
        add_user(
            "rep", "--role=chair", "--council=Совет МКД ул. Ленина, 5", "--password=p"
        )
    assert not get_user_model().objects.filter(username="rep").exists()
