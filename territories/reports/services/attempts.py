"""The hourly refusal budget: a sender whose submissions keep being refused gets 429,
as one who sends too many reports does (docs/architecture.md, "Cheap checks first").

Each submission is an attempt, written down before any check (a row of
`SubmissionAttempt`) under an advisory lock on the sender, so concurrent
submissions cannot all pass a budget that has room for one. Accepted, the row goes
with the report's transaction (`accepted()`); refused for the rate, it is deleted
(a 429 costs nothing to refuse again and must not lengthen the wait); refused for
anything else — a field, the place, a photo, a body too long — it stays and counts
until it is an hour old."""

import math
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import RateLimited

from ..models import SubmissionAttempt

WINDOW = timedelta(hours=1)
# Expired rows deleted by one attempt: enough to keep up, never a long statement.
PRUNED_AT_ONCE = 500
# The attempt under way in this thread or task: (sender, row id).
_current = ContextVar("submission_attempt", default=None)


@contextmanager
def attempt(sender):
    """Run one submission of `sender` ("client:…", "user:…", "key:…"; None for staff,
    who are not counted) as a counted attempt, or refuse it with RateLimited once
    the sender's refusals of the last hour fill REPORT_HOURLY_REFUSALS."""
    if sender is None:
        yield
        return
    row = _begin(sender)
    token = _current.set((sender, row))
    try:
        yield
    except RateLimited:
        SubmissionAttempt.objects.filter(pk=row).delete()
        raise
    finally:
        _current.reset(token)


def under_way(sender):
    """Whether this thread is inside an attempt of `sender` (an edge's attempt
    around `submit_report`, which then is the same attempt)."""
    current = _current.get()
    return sender is not None and current is not None and current[0] == sender


def accepted():
    """The attempt under way succeeded: call inside the transaction that stores it."""
    current = _current.get()
    if current is not None:
        SubmissionAttempt.objects.filter(pk=current[1]).delete()


def _begin(sender):
    """The new attempt's row id, or RateLimited; one short transaction."""
    now = timezone.now()
    budget = max(1, settings.REPORT_HOURLY_REFUSALS)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                [f"report-refusals:{sender}"],
            )
        _prune(now - WINDOW)
        # The sender's newest `budget` attempts: once the oldest of them is an hour
        # old, there is room again.
        newest = list(
            SubmissionAttempt.objects.filter(sender=sender)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:budget]
        )
        if len(newest) >= budget:
            wait = (newest[-1] + WINDOW - now).total_seconds()
            raise RateLimited("rate", _too_often(budget), max(1, math.ceil(wait)))
        return SubmissionAttempt.objects.create(sender=sender, created_at=now).pk


def _prune(before):
    """Deletes attempts made before `before`, whoever's. Rows that another
    transaction is deleting are skipped, not waited for: two prunes never wait on
    each other, so they cannot deadlock."""
    expired = (
        SubmissionAttempt.objects.filter(created_at__lt=before)
        .select_for_update(skip_locked=True)
        .values("pk")[:PRUNED_AT_ONCE]
    )
    SubmissionAttempt.objects.filter(pk__in=expired).delete()


def _too_often(budget):
    return (
        _("слишком много отклонённых сообщений за час (не больше %d); попробуйте позже")
        % budget
    )
