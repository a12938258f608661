"""The workflow of a report: who may move it to which status (docs/domain.md,
"Problem reports"), and the public timeline entry each move leaves."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo import limits
from geo.errors import Forbidden, Refused
from geo.text import without_unstorable
from territories.accounts import roles

from ..models import (
    ProblemReport,
    ReportUpdate,
)
from .notify import notify_followers

Status = ProblemReport.Status
Role = ReportUpdate.Role

# Reopening mails every follower; a client may try it only so often per report
# (docs/architecture.md, "Limits"). Specialists, who work through many, are exempt.
REOPENS_PER_CLIENT = limits.Limit(
    "reopen",
    "REPORT_REOPEN_HOURLY_PER_CLIENT",
    timedelta(hours=1),
    "rate",
    gettext_lazy("слишком много попыток открыть сообщение за час; попробуйте позже"),
)


# Which statuses a specialist may move a report to, from each status.
WORKFLOW = {
    Status.MODERATION: {"open", "hidden", "duplicate", "not_responsible", "closed"},
    Status.OPEN: {
        "in_progress",
        "planned",
        "fixed",
        "closed",
        "duplicate",
        "not_responsible",
        "hidden",
    },
    Status.IN_PROGRESS: {
        "open",
        "planned",
        "fixed",
        "closed",
        "duplicate",
        "not_responsible",
        "hidden",
    },
    Status.PLANNED: {
        "open",
        "in_progress",
        "fixed",
        "closed",
        "duplicate",
        "not_responsible",
        "hidden",
    },
    Status.FIXED: {"open", "closed", "hidden"},
    Status.CLOSED: {"open", "hidden"},
    Status.DUPLICATE: {"open", "hidden"},
    Status.NOT_RESPONSIBLE: {"open", "hidden"},
    Status.HIDDEN: {"moderation", "open"},
}


def change_status(report, status, *, by, comment="", duplicate_of=None):
    """Move a report through the workflow, with a public timeline entry, for the
    one asking (`by`, a `geo.requester.Requester`): a specialist along WORKFLOW;
    the reporter and the TOS chair only from fixed back to open
    (docs/domain.md, "Problem reports"); anyone else is refused."""
    role = role_of(report, by)
    if role is None:
        raise Forbidden(
            "token",
            _("менять статус могут заявитель, председатель ТОС и специалисты"),
        )
    if status not in _allowed(report, role):
        error = Refused if role == Role.SPECIALIST else Forbidden
        raise error(
            "status",
            _("из статуса «%(old)s» нельзя перейти в «%(new)s»")
            % {"old": report.get_status_display(), "new": _status_label(status)},
        )
    if status == Status.DUPLICATE:
        _check_original(report, duplicate_of)
    comment = _comment(comment)
    with transaction.atomic():
        previous = report.status
        report.status = status
        report.duplicate_of = duplicate_of if status == Status.DUPLICATE else None
        report.save(update_fields=["status", "duplicate_of", "updated_at"])
        update = ReportUpdate.objects.create(
            report=report,
            status=status,
            previous_status=previous,
            comment=comment,
            role=role,
            author=by.account,
        )
        # In this transaction, not on commit (docs/architecture.md, "Background jobs").
        notify_followers(update)
    return update


def reopen(report, *, by, comment=""):
    """A fixed report opened again by its reporter, its TOS chair or a specialist.
    Every attempt but a specialist's counts against the client's hourly quota for
    this report, refused ones too (so a secret link cannot be guessed by trying)."""
    if role_of(report, by) != Role.SPECIALIST:
        limits.spend(REOPENS_PER_CLIENT, (limits.client_of(by), report.pk))
    return change_status(report, Status.OPEN, by=by, comment=comment)


def _status_label(code):
    return Status(code).label if code in Status.values else code


def _allowed(report, role):
    if role == Role.SPECIALIST:
        return WORKFLOW[report.status]
    # The reporter and the TOS chair may only reopen what was marked fixed.
    return {Status.OPEN} if report.status == Status.FIXED else set()


def _check_original(report, original):
    if original is None:
        raise Refused("duplicate_of", _("укажите исходное сообщение"))
    if original.pk == report.pk or original.status in (Status.DUPLICATE, Status.HIDDEN):
        raise Refused("duplicate_of", _("это сообщение не может быть исходным"))


def _comment(comment):
    """The comment as stored; one longer than a report's description is refused,
    never cut: the words lost would be the ones its author ended with."""
    text = without_unstorable(comment or "").strip()
    if len(text) > settings.REPORT_MAX_DESCRIPTION:
        raise Refused(
            "comment",
            _("комментарий не длиннее %d символов") % settings.REPORT_MAX_DESCRIPTION,
        )
    return text


def is_reporter(report, by):
    """The reporter: the holder of the secret link, or the account that reported."""
    if report.manage_token_matches(by.token):
        return True
    return by.account is not None and report.user_id == by.account.pk


def role_of(report, by):
    """Who is acting on a report: a specialist (staff), its reporter (by account or
    by the secret link), the chair of its TOS, or None."""
    account = by.account
    if roles.is_specialist(account):
        return Role.SPECIALIST
    if is_reporter(report, by):
        return Role.REPORTER
    if account is not None and report.territory_id:
        if report.territory.chair_user_id == account.pk:
            return Role.TOS_CHAIR
    return None
