"""Rounds, projects and persons for the forum's tests."""

from datetime import timedelta

from django.utils import timezone

from territories.forum.models import Project, Round

from .conftest import utm_point
from .verification_helpers import resident_account, verify

_phones = iter(range(100, 10_000))


def person(username):
    """A resident with a verified phone of their own."""
    user = resident_account(username)
    verify(user, f"+7902556{next(_phones):04d}", ip=f"203.0.113.{len(username) % 250}")
    return user


def open_round(**values):
    now = timezone.now()
    return Round.objects.create(
        title=values.pop("title", "Форум 2026"),
        opens_at=values.pop("opens_at", now - timedelta(days=1)),
        closes_at=values.pop("closes_at", now + timedelta(days=7)),
        **values,
    )


def project(round_, author, *, state="approved", title="Скамейки во дворе", x=100):
    return Project.objects.create(
        round=round_,
        title=title,
        description="Условный проект для теста.",
        budget=150_000,
        geom=utm_point(x, 100),
        author=author,
        state=state,
        reason="Условная причина." if state == "rejected" else "",
    )
