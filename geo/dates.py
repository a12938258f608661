"""Moments given as text in query strings (ISO 8601, W3C), for the database."""

from datetime import UTC, datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


def parse_moment(text, *, end_of_day=False):
    """An aware datetime in UTC from a date and time (with its offset, or in the
    district's time zone without one), or from a bare date: its first moment, or its
    last with `end_of_day`. None when the text is neither.

    In UTC because PostgreSQL refuses offsets beyond ±15:59; a moment that leaves the
    calendar in UTC raises OverflowError here rather than there."""
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None  # well formed, but no such day or hour
    if moment is None:
        try:
            day = parse_date(text)
        except ValueError:
            return None
        if day is None:
            return None
        moment = datetime.combine(day, time.max if end_of_day else time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.astimezone(UTC)
