"""One person, one vote (docs/domain.md, "Forum"): refusals by name, nothing
stored; withdrawal; the tally; the database's guard behind the service."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from geo.errors import Forbidden, NotFound, Refused
from territories.forum.models import Vote
from territories.forum.services import voting

from .forum_helpers import open_round, person, project
from .verification_helpers import as_requester, resident_account

pytestmark = pytest.mark.django_db


def constraint(error):
    return error.value.__cause__.diag.constraint_name


@pytest.fixture
def author(district):
    return person("author")


@pytest.fixture
def voter(district):
    return person("voter")


def test_a_person_votes_and_the_tally_counts(author, voter):
    item = project(open_round(), author)
    assert voting.vote(item.pk, by=as_requester(voter)) == 1
    assert Vote.objects.filter(project=item).count() == 1


def test_an_unverified_account_is_refused_naming_verification(author):
    item = project(open_round(), author)
    stranger = resident_account("stranger")
    with pytest.raises(Forbidden) as refused:
        voting.vote(item.pk, by=as_requester(stranger))
    assert refused.value.field == "verification"
    assert not Vote.objects.exists()


def test_anonymous_is_refused_naming_verification(author):
    item = project(open_round(), author)
    with pytest.raises(Forbidden) as refused:
        voting.vote(item.pk, by=as_requester(None))
    assert refused.value.field == "verification"


@pytest.mark.parametrize(
    ("opens", "closes"), [(1, 5), (-5, -1)], ids=["not-yet", "closed"]
)
def test_outside_the_window_is_refused_naming_window(author, voter, opens, closes):
    now = timezone.now()
    round_ = open_round(
        opens_at=now + timedelta(days=opens), closes_at=now + timedelta(days=closes)
    )
    item = project(round_, author)
    with pytest.raises(Refused) as refused:
        voting.vote(item.pk, by=as_requester(voter))
    assert refused.value.field == "window"
    assert not Vote.objects.exists()


def test_a_second_vote_for_the_same_project_is_refused(author, voter):
    item = project(open_round(), author)
    voting.vote(item.pk, by=as_requester(voter))
    with pytest.raises(Refused) as refused:
        voting.vote(item.pk, by=as_requester(voter))
    assert refused.value.field == "vote"
    assert Vote.objects.count() == 1


def test_ones_own_project_is_refused_unless_the_round_allows(author):
    item = project(open_round(), author)
    with pytest.raises(Forbidden) as refused:
        voting.vote(item.pk, by=as_requester(author))
    assert refused.value.field == "author"
    allowed = project(open_round(own_project_votes=True), author)
    assert voting.vote(allowed.pk, by=as_requester(author)) == 1


def test_the_per_person_limit_holds(author, voter):
    round_ = open_round(votes_per_person=2)
    items = [project(round_, author, x=x) for x in (10, 20, 30)]
    voting.vote(items[0].pk, by=as_requester(voter))
    voting.vote(items[1].pk, by=as_requester(voter))
    with pytest.raises(Refused) as refused:
        voting.vote(items[2].pk, by=as_requester(voter))
    assert refused.value.field == "limit"
    assert Vote.objects.filter(voter=voter).count() == 2


def test_a_withdrawn_vote_frees_a_place_under_the_limit(author, voter):
    round_ = open_round(votes_per_person=1)
    first, second = project(round_, author, x=10), project(round_, author, x=20)
    voting.vote(first.pk, by=as_requester(voter))
    assert voting.withdraw(first.pk, by=as_requester(voter)) == 0
    assert voting.vote(second.pk, by=as_requester(voter)) == 1


def test_withdrawing_without_a_vote_is_not_found(author, voter):
    item = project(open_round(), author)
    with pytest.raises(NotFound) as refused:
        voting.withdraw(item.pk, by=as_requester(voter))
    assert refused.value.field == "vote"


def test_no_withdrawal_after_the_window(author, voter):
    round_ = open_round()
    item = project(round_, author)
    voting.vote(item.pk, by=as_requester(voter))
    round_.closes_at = timezone.now() - timedelta(seconds=1)
    round_.opens_at = round_.closes_at - timedelta(days=3)
    round_.save()
    with pytest.raises(Refused) as refused:
        voting.withdraw(item.pk, by=as_requester(voter))
    assert refused.value.field == "window"
    assert Vote.objects.count() == 1


@pytest.mark.parametrize("state", ["submitted", "rejected", "draft"])
def test_projects_not_admitted_take_no_votes(author, voter, state):
    item = project(open_round(), author, state=state)
    with pytest.raises(NotFound):
        voting.vote(item.pk, by=as_requester(voter))


def test_the_database_refuses_a_vote_outside_the_window_by_itself(author, voter):
    now = timezone.now()
    round_ = open_round(opens_at=now - timedelta(days=3), closes_at=now - timedelta(1))
    item = project(round_, author)
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Vote.objects.create(round=round_, project=item, voter=voter)
    assert constraint(error) == "vote_in_window"


def test_the_database_refuses_a_vote_beyond_the_limit_by_itself(author, voter):
    round_ = open_round(votes_per_person=1)
    first, second = project(round_, author, x=10), project(round_, author, x=20)
    Vote.objects.create(round=round_, project=first, voter=voter)
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Vote.objects.create(round=round_, project=second, voter=voter)
    assert constraint(error) == "vote_within_limit"


def test_the_database_refuses_a_vote_in_another_round(author, voter):
    item = project(open_round(), author)
    other = open_round(title="Другая")
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Vote.objects.create(round=other, project=item, voter=voter)
    assert constraint(error) == "vote_round_of_project"
