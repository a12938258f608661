"""Implementation projects (docs/domain.md, "Forum"): status forward with dates,
followers confirmed by mail and told of each new status by jobs deferred in the
change's transaction; the figures the indicators dashboard reads."""

from datetime import date

import pytest
from django.core import mail
from django.utils import timezone

from geo.errors import Forbidden, Refused
from territories.accounts import roles
from territories.forum.models import Follower, Implementation
from territories.forum.services import figures, implementation

from .forum_helpers import open_round, person, project
from .jobs import JOBS, jobs, run_jobs
from .verification_helpers import as_requester, resident_account


@pytest.fixture
def specialist(district):
    user = resident_account("specialist")
    roles.grant(user, roles.Role.SPECIALIST)
    return user


def carried_out(author, *, x=100, status="planned", done_on=None, territory=None):
    row = project(open_round(), author, state="winner", x=x)
    if territory is not None:
        row.territory = territory
        row.save()
    return Implementation.objects.create(
        project=row, geom=row.geom, budget=row.budget, status=status, done_on=done_on
    )


@pytest.mark.django_db
def test_the_status_moves_forward_with_dates(specialist):
    row = carried_out(person("author"))
    by = as_requester(specialist)
    implementation.change(row.pk, {"status": "in_progress"}, by=by)
    row.refresh_from_db()
    assert row.started_on == timezone.localdate()
    implementation.change(row.pk, {"status": "done"}, by=by)
    row.refresh_from_db()
    assert (row.status, row.done_on) == ("done", timezone.localdate())
    with pytest.raises(Refused) as refused:
        implementation.change(row.pk, {"status": "planned"}, by=by)
    assert refused.value.field == "status"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"done_on": "вчера"}, "done_on"),
        ({"budget": 0}, "budget"),
        ({"started_on": "2026-05-01", "done_on": "2026-04-01"}, "done_on"),
    ],
)
def test_bad_changes_are_refused_by_name(specialist, data, field):
    row = carried_out(person("author"))
    with pytest.raises(Refused) as refused:
        implementation.change(row.pk, data, by=as_requester(specialist))
    assert refused.value.field == field
    assert Implementation.objects.get(pk=row.pk).status == "planned"


@pytest.mark.django_db
def test_only_specialists_change_the_status(district):
    row = carried_out(person("author"))
    with pytest.raises(Forbidden):
        implementation.change(
            row.pk, {"status": "done"}, by=as_requester(row.project.author)
        )


@JOBS
def test_a_confirmed_follower_is_mailed_each_new_status(district, specialist):
    row = carried_out(person("author"))
    follower = implementation.follow(
        row.pk, "Follower@Example.org", by=as_requester(None)
    )
    assert follower.email == "follower@example.org"
    run_jobs()
    link = next(w for w in mail.outbox[-1].body.split() if "/forum/follow/" in w)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    # Not yet confirmed: nothing about the project is sent.
    implementation.change(
        row.pk, {"status": "in_progress"}, by=as_requester(specialist)
    )
    assert not jobs("forum.mail_status").exists()
    implementation.confirm_follow(token)
    mail.outbox.clear()
    implementation.change(row.pk, {"status": "done"}, by=as_requester(specialist))
    assert jobs("forum.mail_status").count() == 1
    run_jobs()
    assert mail.outbox[-1].to == ["follower@example.org"]
    assert "выполнен" in mail.outbox[-1].body
    implementation.unfollow(token)
    assert not Follower.objects.exists()


@pytest.mark.django_db
def test_follows_per_client_are_limited(district, settings):
    settings.FORUM_FOLLOWS_HOURLY_PER_CLIENT = 1
    row = carried_out(person("author"))
    implementation.follow(row.pk, "a@example.org", by=as_requester(None))
    with pytest.raises(Refused) as refused:
        implementation.follow(row.pk, "b@example.org", by=as_requester(None))
    assert refused.value.field == "rate"


@pytest.mark.django_db
def test_implemented_counts_the_done_by_year_and_territory(tos, other_tos):
    author = person("author")
    this_year = timezone.localdate().year
    inside = carried_out(author, x=100, status="done", done_on=date(this_year, 3, 1))
    carried_out(author, x=150, status="done", done_on=date(this_year - 1, 3, 1))
    carried_out(author, x=200, status="in_progress")
    # Outside every TOS, authored for the other TOS: counted there.
    authored = carried_out(
        author,
        x=8000,
        status="done",
        done_on=date(this_year, 5, 1),
        territory=other_tos,
    )
    assert figures.implemented().count == 3
    assert figures.implemented(year=this_year).count == 2
    of_tos = figures.implemented(territory=tos)
    assert of_tos.count == 2
    assert inside in of_tos.projects
    assert list(figures.implemented(year=this_year, territory=other_tos).projects) == [
        authored
    ]


@pytest.mark.django_db
def test_nothing_done_counts_zero(district):
    assert figures.implemented(year=2001).count == 0
    assert list(figures.implemented().projects) == []
