"""The forum's and the verification's pages (docs/domain.md, "Forum", "Verified
persons"): what each shows and refuses, by the services' own rules."""

import pytest
from django.contrib.auth import get_user_model

from territories.accounts import roles
from territories.accounts.models import ContactVerification
from territories.forum.models import Project, Vote

from .forum_helpers import open_round, person, project
from .verification_helpers import code_of, resident_account

pytestmark = pytest.mark.django_db


def test_a_resident_registers_and_is_signed_in(client):
    answer = client.post(
        "/accounts/register/", {"username": "novyi", "password": "Angarsk-2026-x!"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/accounts/verify/"
    user = get_user_model().objects.get(username="novyi")
    assert roles.has_role(user, roles.Role.RESIDENT)
    assert client.get("/accounts/verify/").status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"username": "", "password": "Angarsk-2026-x!"}, "username"),
        ({"username": "bad name!", "password": "Angarsk-2026-x!"}, "username"),
        ({"username": "novyi", "password": "123"}, "password"),
        ({"username": "novyi", "password": ""}, "password"),
    ],
)
def test_bad_registrations_are_refused_and_nothing_stored(client, data, field):
    answer = client.post("/accounts/register/", data)
    assert answer.status_code == 400
    assert field in answer.context["errors"]
    assert not get_user_model().objects.exists()


def test_a_taken_user_name_is_refused_whatever_its_case(client):
    resident_account("Novyi")
    answer = client.post(
        "/accounts/register/", {"username": "novyi", "password": "Angarsk-2026-x!"}
    )
    assert "username" in answer.context["errors"]


def test_registrations_per_address_are_limited(client, settings):
    settings.ACCOUNT_REGISTRATIONS_HOURLY_PER_CLIENT = 1
    client.post(
        "/accounts/register/", {"username": "a1", "password": "Angarsk-2026-x!"}
    )
    client.logout()
    answer = client.post(
        "/accounts/register/", {"username": "a2", "password": "Angarsk-2026-x!"}
    )
    assert answer.status_code == 429
    assert get_user_model().objects.count() == 1


def test_the_verify_page_asks_and_confirms(client):
    user = resident_account("anna")
    client.force_login(user)
    answer = client.post(
        "/accounts/verify/",
        {"action": "request", "channel": "phone", "value": "+79025550909"},
    )
    assert answer.status_code == 201
    row = ContactVerification.objects.get()
    wrong = client.post(
        "/accounts/verify/",
        {"action": "confirm", "verification": row.pk, "code": "xx"},
    )
    assert wrong.status_code == 400 and "code" in wrong.context["errors"]
    right = client.post(
        "/accounts/verify/",
        {"action": "confirm", "verification": row.pk, "code": code_of(row)},
    )
    assert right.status_code == 302
    assert "+79025550909" in client.get("/accounts/verify/").content.decode()


def test_the_verify_page_needs_an_account(client):
    assert client.get("/accounts/verify/").status_code == 302


def test_an_unverified_vote_on_the_page_is_403_and_stores_nothing(client, district):
    item = project(open_round(), person("author"))
    client.force_login(resident_account("stranger"))
    answer = client.post(f"/forum/projects/{item.pk}/vote/", {"action": "vote"})
    assert answer.status_code == 403
    assert "verification" in answer.context["errors"]
    assert not Vote.objects.exists()


def test_a_person_votes_and_withdraws_on_the_page(client, district):
    item = project(open_round(), person("author"))
    client.force_login(person("voter"))
    client.post(f"/forum/projects/{item.pk}/vote/", {"action": "vote"})
    assert Vote.objects.count() == 1
    page = client.get(f"/forum/projects/{item.pk}/").content.decode()
    assert "Отозвать голос" in page
    client.post(f"/forum/projects/{item.pk}/vote/", {"action": "withdraw"})
    assert not Vote.objects.exists()


def test_moderation_is_for_specialists(client, district):
    item = project(open_round(), person("author"), state="submitted")
    client.force_login(resident_account("someone"))
    assert client.get("/forum/moderation/").status_code == 404
    specialist = resident_account("specialist")
    roles.grant(specialist, roles.Role.SPECIALIST)
    client.force_login(specialist)
    assert item.title in client.get("/forum/moderation/").content.decode()
    answer = client.post(
        "/forum/moderation/",
        {"project": item.pk, "decision": "reject", "reason": "Не в округе"},
    )
    assert answer.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.reason) == ("rejected", "Не в округе")


def test_the_author_sees_the_reason_others_see_nothing(client, district):
    author = person("author")
    item = project(open_round(), author, state="rejected")
    assert client.get(f"/forum/projects/{item.pk}/").status_code == 404
    client.force_login(author)
    assert (
        "Условная причина" in client.get(f"/forum/projects/{item.pk}/").content.decode()
    )


def test_the_form_refuses_by_field_and_stores_nothing(client, district):
    open_round()
    client.force_login(person("author"))
    answer = client.post(
        "/forum/projects/new/",
        {"title": "Тропинка", "description": "Условно", "budget": "0", "geometry": ""},
    )
    assert answer.status_code == 400
    assert "budget" in answer.context["errors"]
    assert not Project.objects.exists()


def test_public_pages_answer(client, district):
    item = project(open_round(), person("author"))
    for url in ("/forum/", "/forum/implementation/", f"/forum/projects/{item.pk}/"):
        assert client.get(url).status_code == 200, url


def test_a_specialist_chooses_winners_and_moves_the_status_on_pages(client, district):
    from datetime import timedelta

    from django.utils import timezone

    from territories.forum.models import Implementation

    now = timezone.now()
    round_ = open_round(opens_at=now - timedelta(days=9), closes_at=now - timedelta(1))
    first = project(round_, person("author"), x=10)
    project(round_, first.author, x=20)
    specialist = resident_account("specialist")
    roles.grant(specialist, roles.Role.SPECIALIST)
    client.force_login(specialist)
    assert first.title in client.get("/forum/moderation/").content.decode()
    client.post(f"/forum/rounds/{round_.pk}/winners/", {"projects": [first.pk]})
    row = Implementation.objects.get()
    assert row.project_id == first.pk
    client.post(f"/forum/implementation/{row.pk}/status/", {"status": "in_progress"})
    row.refresh_from_db()
    assert row.status == "in_progress"
    # Not a specialist: refused, nothing changes.
    client.force_login(resident_account("someone"))
    client.post(f"/forum/implementation/{row.pk}/status/", {"status": "done"})
    row.refresh_from_db()
    assert row.status == "in_progress"
