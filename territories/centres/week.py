"""A room's week as the public sees it (docs/domain.md, "Resource centres and
bookings"): opening hours by day, closures and busy intervals with their title and
organiser's public name, never the person who asked. The busy JSON and the week
grid page both read it."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import QueryError
from territories.accounts.organisers import of_row

from .models import Booking, Closure, OpeningHours
from .services.rules import local_zone

WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")


def parse_week(text, *, field_name="week"):
    """The Monday of an ISO week `YYYY-Www`; this week's without a text."""
    if text in (None, ""):
        return this_monday()
    found = WEEK.fullmatch(text)
    if found is None:
        raise QueryError(field_name, _("неделя в виде ГГГГ-Wнн, например 2027-W10"))
    year, number = map(int, found.groups())
    if not 2000 <= year <= 2100:
        raise QueryError(field_name, _("год недели — от 2000 до 2100"))
    try:
        return date.fromisocalendar(year, number, 1)
    except ValueError:
        raise QueryError(
            field_name,
            _("в %(year)d году нет недели %(week)d") % {"year": year, "week": number},
        ) from None


def this_monday():
    today = timezone.now().astimezone(local_zone()).date()
    return today - timedelta(days=today.weekday())


def iso_week(monday):
    year, number, _weekday = monday.isocalendar()
    return f"{year}-W{number:02d}"


@dataclass
class Interval:
    starts_at: datetime
    ends_at: datetime
    state: str = ""
    title: str = ""
    organiser: str = ""
    reason: str = ""
    booking_id: int | None = None


@dataclass
class Day:
    date: date
    hours: list = field(default_factory=list)  # [(opens, closes)]


@dataclass
class RoomWeek:
    room: object
    monday: date
    days: list
    busy: list
    closures: list

    @property
    def week(self):
        return iso_week(self.monday)

    @property
    def previous(self):
        return iso_week(self.monday - timedelta(weeks=1))

    @property
    def next(self):
        return iso_week(self.monday + timedelta(weeks=1))

    @property
    def starts_at(self):
        return datetime.combine(self.monday, time.min, tzinfo=local_zone())

    @property
    def ends_at(self):
        return self.starts_at + timedelta(days=7)


def room_week(room, monday):
    """The week from `monday` (local) in three queries."""
    tz = local_zone()
    hours = {}
    for row in OpeningHours.objects.filter(centre_id=room.centre_id):
        hours.setdefault(row.weekday, []).append((row.opens, row.closes))
    days = [Day(monday + timedelta(days=n), hours.get(n, [])) for n in range(7)]
    bookings = (
        Booking.objects.live()
        .of_room(room)
        .in_week(monday, tz)
        .select_related("series__territory", "series__council")
        .order_by("starts_at")
    )
    busy = [
        Interval(
            b.starts_at,
            b.ends_at,
            state=b.state,
            title=b.series.title,
            organiser=of_row(b.series).name,
            booking_id=b.pk,
        )
        for b in bookings
    ]
    start = datetime.combine(monday, time.min, tzinfo=tz)
    closures = [
        Interval(c.starts_at, c.ends_at, reason=c.reason)
        for c in Closure.objects.affecting(room)
        .overlapping(start, start + timedelta(days=7))
        .order_by("starts_at")
    ]
    return RoomWeek(room, monday, days, busy, closures)
