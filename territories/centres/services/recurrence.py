"""The dates of a repeating request (docs/domain.md, "Resource centres and
bookings", Repeating requests): the same local time every week or every month.
A month without the first date's day (the 31st in April) is skipped."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from geo.errors import Refused

WEEKLY, MONTHLY = "weekly", "monthly"
# A bound on a count, whatever the horizon: one more date than any horizon of a
# year could hold weekly.
MAX_COUNT = 60


@dataclass(frozen=True)
class Repeat:
    """`every` is "weekly" or "monthly"; exactly one of `until` (a local date,
    inclusive) and `count` (dates in all, the first included)."""

    every: str
    until: object = None  # datetime.date
    count: int | None = None

    def check(self, first_day):
        if self.every not in (WEEKLY, MONTHLY):
            raise Refused("repeat", _("повторение: weekly или monthly"))
        if (self.until is None) == (self.count is None):
            raise Refused("repeat", _("укажите либо дату окончания, либо число раз"))
        if self.count is not None and not 1 <= self.count <= MAX_COUNT:
            raise Refused("count", _("число раз — от 1 до %d") % MAX_COUNT)
        if self.until is not None and self.until < first_day:
            raise Refused("until", _("дата окончания раньше первой даты"))


def occurrences(starts_at, ends_at, repeat, tz, last_day):
    """[(start, end)] of each date, aware; dates after `last_day` (local) are not
    generated, so the loop is bounded by the horizon however far `until` lies.
    Returns (dates, whether dates were cut at `last_day`)."""
    if repeat is None:
        return [(starts_at, ends_at)], False
    local = starts_at.astimezone(tz)
    length = ends_at - starts_at
    repeat.check(local.date())
    dates, cut, n = [], False, 0
    while repeat.count is None or len(dates) < repeat.count:
        day = shifted(local.date(), repeat.every, n)
        n += 1
        if day is None:
            continue
        if repeat.until is not None and day > repeat.until:
            break
        if day > last_day:
            cut = True
            break
        start = datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=tz)
        dates.append((start, start + length))
    return dates, cut


def shifted(day, every, n):
    if every == WEEKLY:
        return day + timedelta(weeks=n)
    months = day.month - 1 + n
    try:
        return day.replace(year=day.year + months // 12, month=months % 12 + 1)
    except ValueError:
        return None
