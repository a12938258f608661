"""The hourly refusal budget: a sender whose submissions keep being refused gets 429,
as one who sends too many reports does (docs/architecture.md, "Cheap checks first").

Each submission is an attempt, counted by `geo.limits` before any check (a hit of
the `REFUSALS` limit, under the limit's advisory lock on the sender, so concurrent
submissions cannot all pass a budget that has room for one). Accepted, the hit goes
with the report's transaction (`accepted()`); refused for the rate, it is taken back
(a 429 costs nothing to refuse again and must not lengthen the wait); refused for
anything else — a field, the place, a photo, a body too long — it stays and counts
until it is an hour old."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.utils.translation import gettext_lazy

from geo import limits
from geo.errors import RateLimited

REFUSALS = limits.Limit(
    scope="report-refusals",
    setting="REPORT_HOURLY_REFUSALS",
    window=timedelta(hours=1),
    field="rate",
    message=gettext_lazy(
        "слишком много отклонённых сообщений за час; попробуйте позже"
    ),
)
# The attempt under way in this thread or task: (sender, hit id).
_current = ContextVar("submission_attempt", default=None)


@contextmanager
def attempt(sender):
    """Run one submission of `sender` ("client:…", "user:…", "key:…"; None for staff,
    who are not counted) as a counted attempt, or refuse it with RateLimited once
    the sender's refusals of the last hour fill REPORT_HOURLY_REFUSALS."""
    if sender is None:
        yield
        return
    hit = limits.spend(REFUSALS, sender)
    token = _current.set((sender, hit))
    try:
        yield
    except RateLimited:
        limits.unrecord(hit)
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
        limits.unrecord(current[1])
