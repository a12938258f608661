"""Votes racing (docs/domain.md, "Forum"; forum migration 0002): one person's two
votes for one project at once leave one row; one person's votes for many projects at
once never exceed the round's limit, by the service and by the trigger alone. Real
threads, each with its own connection."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from geo.errors import Refused
from territories.forum.models import Vote
from territories.forum.services import voting

from .forum_helpers import open_round, person, project
from .verification_helpers import as_requester

pytestmark = pytest.mark.django_db(transaction=True)

LOCK = (
    "PERFORM pg_advisory_xact_lock(hashtext("
    "'forum-vote:' || NEW.round_id || ':' || NEW.voter_id));"
)


def in_threads(targets):
    start = threading.Barrier(len(targets))
    outcomes = []

    def run(target):
        try:
            start.wait()
            outcomes.append(target())
        except Refused as refused:
            outcomes.append(refused.field)
        except IntegrityError as error:
            outcomes.append(error.__cause__.diag.constraint_name)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def people(district):
    return person("author"), person("voter")


def test_two_votes_of_one_person_for_one_project_at_once_leave_one(people):
    author, voter = people
    item = project(open_round(), author)

    def casting():
        return voting.vote(item.pk, by=as_requester(voter)) and "voted"

    outcomes = in_threads([casting] * 4)
    assert sorted(outcomes) == ["vote", "vote", "vote", "voted"]
    assert Vote.objects.filter(project=item, voter=voter).count() == 1


def test_votes_at_once_beyond_the_limit_are_refused(people):
    author, voter = people
    round_ = open_round(votes_per_person=2)
    items = [project(round_, author, x=10 * n) for n in range(6)]

    def casting(item):
        return lambda: voting.vote(item.pk, by=as_requester(voter)) and "voted"

    outcomes = in_threads([casting(item) for item in items])
    assert sorted(outcomes) == ["limit"] * 4 + ["voted"] * 2
    assert Vote.objects.filter(round=round_, voter=voter).count() == 2


def raw_inserts(round_, items, voter):
    """Insert votes straight into the table, no service lock, each in a
    transaction held a moment so that all are in flight together."""

    def inserting(item):
        def run():
            with transaction.atomic():
                Vote.objects.create(round=round_, project=item, voter=voter)
                threading.Event().wait(0.3)
            return "voted"

        return run

    return in_threads([inserting(item) for item in items])


def test_the_trigger_alone_keeps_the_limit(people):
    author, voter = people
    round_ = open_round(votes_per_person=1)
    items = [project(round_, author, x=10 * n) for n in range(4)]
    outcomes = raw_inserts(round_, items, voter)
    assert sorted(outcomes) == ["vote_within_limit"] * 3 + ["voted"]
    assert Vote.objects.filter(voter=voter).count() == 1


def test_without_the_triggers_lock_the_limit_would_break(people):
    """The control: the same trigger without its advisory lock counts in parallel
    snapshots and lets every racing vote in."""
    author, voter = people
    round_ = open_round(votes_per_person=1)
    items = [project(round_, author, x=10 * n) for n in range(4)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('forum_vote_guard'::regproc)")
        source = cursor.fetchone()[0]
    assert LOCK in source
    try:
        with connection.cursor() as cursor:
            cursor.execute(source.replace(LOCK, ""))
        outcomes = raw_inserts(round_, items, voter)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(source)
    assert outcomes.count("voted") > 1
