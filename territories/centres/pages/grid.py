"""The week grid of a room's page: rows of half-hour slots, a column a day, each
cell free, busy (the booking's title and organiser on its first slot) or closed
(outside opening hours or during a closure). Built from week.RoomWeek."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from ..services.rules import local_zone

SLOT = timedelta(minutes=30)
DEFAULT_HOURS = (time(9), time(18))


@dataclass
class Cell:
    kind: str  # free | busy | closed
    first: bool = False
    interval: object = None


@dataclass
class Row:
    label: str
    cells: list


def bounds(week):
    """The earliest opening and the latest closing of the week."""
    hours = [h for day in week.days for h in day.hours]
    if not hours:
        return DEFAULT_HOURS
    return min(o for o, _c in hours), max(c for _o, c in hours)


def slots(first, last):
    moment = datetime.combine(datetime.min.date(), first)
    end = datetime.combine(datetime.min.date(), last)
    while moment < end:
        yield moment.time()
        moment += SLOT


def cell(week, day, start_time, first_row):
    start = datetime.combine(day.date, start_time, tzinfo=local_zone())
    end = start + SLOT
    for interval in week.busy:
        if interval.starts_at < end and interval.ends_at > start:
            # Named where it starts, or on the grid's first row if earlier.
            first = first_row or interval.starts_at >= start
            return Cell("busy", first=first, interval=interval)
    for closure in week.closures:
        if closure.starts_at < end and closure.ends_at > start:
            return Cell("closed", interval=closure)
    if any(o <= start_time and end.time() <= c for o, c in day.hours):
        return Cell("free")
    return Cell("closed")


def grid(week):
    first, last = bounds(week)
    return [
        Row(t.strftime("%H:%M"), [cell(week, day, t, n == 0) for day in week.days])
        for n, t in enumerate(slots(first, last))
    ]
