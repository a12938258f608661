"""What one booked date must respect (docs/domain.md, "Resource centres and
bookings", Rules), each refusal with its reason: local time is settings.TIME_ZONE.
The clash with another booking is checked here to name it; the exclusion
constraint `booking_no_overlap` is what guarantees it (services.bookings)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from territories.accounts.organisers import of_row

from ..models import Booking, Closure, OpeningHours

WEEKDAYS_SHORT = {
    0: gettext_lazy("пн"),
    1: gettext_lazy("вт"),
    2: gettext_lazy("ср"),
    3: gettext_lazy("чт"),
    4: gettext_lazy("пт"),
    5: gettext_lazy("сб"),
    6: gettext_lazy("вс"),
}


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


def horizon_days():
    return settings.BOOKING_HORIZON_DAYS


def hm(moment):
    return moment.astimezone(local_zone()).strftime("%H:%M")


def day(moment):
    return moment.astimezone(local_zone()).strftime("%d.%m.%Y")


def span(start, end):
    """18:00–19:30, or 10.03.2027 18:00 – 11.03.2027 09:00 across local days."""
    if day(start) == day(end):
        return f"{hm(start)}–{hm(end)}"
    return f"{day(start)} {hm(start)} – {day(end)} {hm(end)}"


def clash_text(other):
    """«зал занят 18:00–19:30 (Совет МКД ул. Ленина, 5)»: the organiser's public
    name, never the person who asked."""
    return _("зал занят %(span)s (%(organiser)s)") % {
        "span": span(other.starts_at, other.ends_at),
        "organiser": of_row(other.series).name,
    }


def check_shape(starts_at, ends_at):
    """The times themselves: (field, reason) or None."""
    if ends_at <= starts_at:
        return "ends_at", _("окончание должно быть позже начала")
    longest = settings.BOOKING_MAX_HOURS
    if ends_at - starts_at > timedelta(hours=longest):
        return "ends_at", _("бронь длиннее %d ч") % longest
    return None


def check_people(room, people):
    if people is not None and people > room.capacity:
        return "people", _(
            "в зале «%(room)s» %(capacity)d мест, а ожидается %(people)d"
        ) % {
            "room": room.name,
            "capacity": room.capacity,
            "people": people,
        }
    return None


class Day:
    """The room's rules for a set of dates, read once: opening hours by weekday."""

    def __init__(self, room):
        self.room = room
        self.hours = {}
        for row in OpeningHours.objects.filter(centre_id=room.centre_id):
            self.hours.setdefault(row.weekday, []).append((row.opens, row.closes))

    def problem(self, starts_at, ends_at, now, exclude=None):
        """(field, reason) of the first rule the date breaks, or None."""
        return (
            self.when(starts_at, now)
            or self.open(starts_at, ends_at)
            or self.closed(starts_at, ends_at)
            or self.taken(starts_at, ends_at, exclude)
        )

    def when(self, starts_at, now):
        if starts_at < now:
            return "starts_at", _("это время уже прошло")
        if starts_at > now + timedelta(days=horizon_days()):
            return "starts_at", _(
                "бронировать можно не дальше чем на %d дней вперёд"
            ) % horizon_days()
        return None

    def open(self, starts_at, ends_at):
        tz = local_zone()
        start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
        intervals = self.hours.get(start.weekday(), [])
        fits = start.date() == end.date() and any(
            opens <= start.time() and end.time() <= closes
            for opens, closes in intervals
        )
        if fits:
            return None
        if not intervals:
            return "starts_at", _("центр не работает в этот день (%s)") % (
                WEEKDAYS_SHORT[start.weekday()]
            )
        hours = ", ".join(f"{o:%H:%M}–{c:%H:%M}" for o, c in intervals)
        return "starts_at", _("вне часов работы центра: %(day)s %(hours)s") % {
            "day": WEEKDAYS_SHORT[start.weekday()],
            "hours": hours,
        }

    def closed(self, starts_at, ends_at):
        closure = (
            Closure.objects.affecting(self.room).overlapping(starts_at, ends_at).first()
        )
        if closure is None:
            return None
        return "starts_at", _("закрыто %(span)s: %(reason)s") % {
            "span": span(closure.starts_at, closure.ends_at),
            "reason": closure.reason,
        }

    def taken(self, starts_at, ends_at, exclude):
        other = clashing(self.room, starts_at, ends_at, exclude)
        return ("starts_at", clash_text(other)) if other else None


def clashing(room, starts_at, ends_at, exclude=None):
    """The live booking of the room sharing time with [starts_at, ends_at)."""
    found = (
        Booking.objects.live()
        .of_room(room)
        .overlapping(starts_at, ends_at)
        .select_related("series__territory", "series__council")
        .order_by("starts_at")
    )
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.first()


def dated(starts_at, reason):
    """A reason with its local date, for the dates of a series."""
    return f"{day(starts_at)}: {reason}"
