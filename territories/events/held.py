"""Which events were held, when and where, as the indicators, the calendars and the
feed count them (docs/domain.md, "Event indicators"). Query pieces over
`Event.objects`, kept apart from the app's query vocabulary (querysets.py) so that
they can be read next to their definitions."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from territories.registry.models import Territory

from .models import Event

SCHEDULED = Event.State.SCHEDULED


def held(now=None):
    """Held: not cancelled, ended, and its participants recorded (0 counts: an
    event that nobody came to was held and recorded as such)."""
    now = now or timezone.now()
    return Q(state=SCHEDULED, ends_at__lte=now, participants__isnull=False)


def place_territory():
    """The TOS of an event: the approved TOS whose boundary covers its point (approved
    boundaries never overlap; on a shared edge the lower id), else the organiser's
    TOS; null for an event outside every TOS organised by a council or a group."""
    covering = (
        Territory.objects.approved()
        .filter(geom__covers=OuterRef("geom"))
        .order_by("pk")
        .values("pk")[:1]
    )
    return Coalesce(Subquery(covering), F("territory_id"))


def year():
    """The year of the start, in the district's time zone (TIME_ZONE)."""
    return ExtractYear("starts_at", tzinfo=timezone.get_default_timezone())


def with_place(queryset=None):
    """Events with `place_territory_id` and `year` annotated."""
    queryset = Event.objects.all() if queryset is None else queryset
    return queryset.annotate(place_territory_id=place_territory(), year=year())


def last_end(now=None):
    """The latest end that has passed: it changes when any event ends, which makes
    an event held without any row changing (part of the indicators' ETag)."""
    now = now or timezone.now()
    ended = Event.objects.filter(ends_at__lte=now).aggregate(last=Max("ends_at"))
    return ended["last"]


def calendar_window(today=None):
    """[from, to) of the calendars: from the start of the day
    EVENT_CALENDAR_PAST_DAYS ago to the end of the day EVENT_CALENDAR_FUTURE_DAYS
    ahead, local days. The window moves by whole days, so the calendars' ETag
    carries the day."""
    today = today or timezone.localdate()
    zone = timezone.get_default_timezone()
    start = today - timedelta(days=settings.EVENT_CALENDAR_PAST_DAYS)
    end = today + timedelta(days=settings.EVENT_CALENDAR_FUTURE_DAYS + 1)
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end, time.min, tzinfo=zone),
    )


def in_window(queryset, window):
    """Events that overlap the window."""
    start, end = window
    return queryset.filter(ends_at__gt=start, starts_at__lt=end)
