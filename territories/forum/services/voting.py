"""One person, one vote per project (docs/domain.md, "Forum"). A vote is cast and
withdrawn within the round's window; the round's per-person limit is counted under
an advisory lock per (round, voter), the lock the database's trigger takes too
(forum migration 0002), so racing votes are counted in turn. The tally is public;
who voted is not."""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from geo.errors import Forbidden, NotFound, Refused

from ..models import Project, Vote
from .access import check_person


def lock_voter(round_id, voter_id):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))",
            [f"forum-vote:{round_id}:{voter_id}"],
        )


def check_window(round_, now):
    if now < round_.opens_at:
        raise Refused("window", _("голосование ещё не открыто"))
    if now >= round_.closes_at:
        raise Refused("window", _("голосование закрыто"))


def voted_project(project_id):
    project = (
        Project.objects.select_related("round")
        .filter(pk=project_id, state__in=("approved", "winner"))
        .first()
    )
    if project is None:
        raise NotFound("id", _("проект не найден"))
    if project.state != Project.State.APPROVED:
        raise Refused("state", _("за этот проект не голосуют"))
    return project


def vote(project_id, *, by):
    """`by.account`'s vote for the project; Refused naming `verification`,
    `window`, `author`, `limit` or `vote` (already voted)."""
    check_person(by.account)
    project = voted_project(project_id)
    round_ = project.round
    check_window(round_, timezone.now())
    if project.author_id == by.account.pk and not round_.own_project_votes:
        raise Forbidden("author", _("в этой сессии нельзя голосовать за свой проект"))
    with transaction.atomic():
        lock_voter(round_.pk, by.account.pk)
        if Vote.objects.filter(project=project, voter=by.account).exists():
            raise Refused("vote", _("вы уже проголосовали за этот проект"))
        limit = round_.votes_per_person
        if limit is not None:
            used = Vote.objects.filter(round=round_, voter=by.account).count()
            if used >= limit:
                raise Refused(
                    "limit",
                    ngettext(
                        "в этой сессии можно поддержать %d проект",
                        "в этой сессии можно поддержать %d проектов",
                        limit,
                    )
                    % limit,
                )
        try:
            with transaction.atomic():
                Vote.objects.create(round=round_, project=project, voter=by.account)
        except IntegrityError as error:
            raise refusal_of(error) from error
    return tally(project.pk)


def constraint_of(error):
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def refusal_of(error):
    constraint = constraint_of(error)
    if constraint == "vote_once":
        return Refused("vote", _("вы уже проголосовали за этот проект"))
    if constraint == "vote_within_limit":
        return Refused("limit", _("голоса этой сессии уже отданы"))
    if constraint == "vote_in_window":
        return Refused("window", _("голосование закрыто"))
    return Refused("vote", _("голос не принят"))


def withdraw(project_id, *, by):
    """Take one's vote back while the window is open."""
    check_person(by.account)
    project = voted_project(project_id)
    check_window(project.round, timezone.now())
    with transaction.atomic():
        lock_voter(project.round_id, by.account.pk)
        deleted = Vote.objects.filter(project=project, voter=by.account).delete()[0]
    if not deleted:
        raise NotFound("vote", _("вы не голосовали за этот проект"))
    return tally(project.pk)


def tally(project_id):
    return Vote.objects.filter(project_id=project_id).count()


def has_voted(project, account):
    if account is None or not account.is_authenticated:
        return False
    return Vote.objects.filter(project=project, voter=account).exists()
