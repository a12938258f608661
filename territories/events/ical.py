"""iCalendar (RFC 5545) of the events, written with the `icalendar` package
(docs/domain.md, "Events in calendars"):

- `/events/<id>.ics`: one event, whatever its date;
- `/events.ics`: every event from EVENT_CALENDAR_PAST_DAYS back to
  EVENT_CALENDAR_FUTURE_DAYS ahead, to subscribe to;
- `/events.ics?territory=<id>`: those of one TOS (held.place_territory: the approved
  TOS containing the event's point, else its organiser's TOS).

A cancelled event stays in, with STATUS:CANCELLED, so that a subscribed calendar
takes it off instead of keeping the stale entry. Times are UTC; the UID is stable
(`event-<id>@<SITE_URL's host>`). Only public fields: the organiser is the
organisation's name, never a person or an e-mail address. Written in the site's
language whatever the request's, so one URL has one content (ETag)."""

from datetime import UTC, datetime, time
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from geo.errors import QueryError
from geo.wgs84 import to_wgs84

from . import held, versions
from .links import event_path
from .models import Event
from .public import absolute, for_public, organiser_name, place_text
from .services.indicators import checked_territory

TABLES = (
    versions.EVENTS,
    versions.KINDS,
    versions.TERRITORIES,
    versions.COUNCILS,
    versions.YARDS,
    versions.GROUNDS,
    versions.ROOMS,
    versions.CENTRES,
)
SETTINGS = (
    "SITE_URL",
    "LANGUAGE_CODE",
    "EVENT_CALENDAR_PAST_DAYS",
    "EVENT_CALENDAR_FUTURE_DAYS",
)
CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid(event):
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"event-{event.pk}@{host}"


def calendar(events, *, stamp, name):
    """The VCALENDAR of `events` as bytes. `stamp` (DTSTAMP) is the last change of
    the events' table: when the information was last revised, the same on every
    request until something changes."""
    with translation.override(settings.LANGUAGE_CODE):
        cal = icalendar.Calendar()
        cal.add("prodid", "-//Angarsk//Druzhnye sosedi//RU")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", name)
        for event in events:
            cal.add_component(vevent(event, stamp))
        return cal.to_ical()


def vevent(event, stamp):
    entry = icalendar.Event()
    entry.add("uid", uid(event))
    entry.add("dtstamp", stamp.astimezone(UTC))
    entry.add("dtstart", event.starts_at.astimezone(UTC))
    entry.add("dtend", event.ends_at.astimezone(UTC))
    entry.add("summary", event.title)
    entry.add("description", description(event))
    location = place_text(event)
    if location:
        entry.add("location", location)
    point = to_wgs84(event.geom)
    entry.add("geo", (round(point.y, 6), round(point.x, 6)))
    url = absolute(event_path(event))
    entry.add("url", url)
    # A CAL-ADDRESS is a URI; the organisation has no public one but the event's
    # page, and its name goes in CN.
    organiser = icalendar.vCalAddress(url)
    organiser.params["cn"] = organiser_name(event)
    entry.add("organizer", organiser)
    entry.add("categories", [event.kind.name])
    cancelled = event.state == Event.State.CANCELLED
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return entry


def description(event):
    lines = [
        _("Вид: %s") % event.kind.name,
        _("Организатор: %s") % organiser_name(event),
    ]
    if event.description:
        lines += ["", event.description]
    return "\n".join(lines)


def respond(request, body_of, etag, last_modified, filename):
    """The calendar with its ETag and Last-Modified, or 304."""
    modified = int(last_modified.timestamp()) if last_modified else None
    cached = get_conditional_response(request, etag=etag, last_modified=modified)
    if cached is not None:
        return cached
    response = HttpResponse(body_of(), content_type=CONTENT_TYPE)
    response["ETag"] = etag
    if modified:
        response["Last-Modified"] = http_date(modified)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, public=True, no_cache=True)
    return response


def calendar_name(territory):
    with translation.override(settings.LANGUAGE_CODE):
        if territory is None:
            return _("Мероприятия — Дружные соседи, Ангарск")
        return _("Мероприятия ТОС «%s»") % territory.name


def _stamp(changed):
    return changed.get(versions.EVENTS) or timezone.now()


@require_GET
def event_ics(request, pk):
    event = for_public(Event.objects.filter(pk=pk)).first()
    if event is None:
        raise Http404(_("мероприятие не найдено"))
    changed = versions.changes(TABLES)
    etag, last_modified = versions.version(
        "event-ics", TABLES, SETTINGS, [pk], changed=changed
    )
    return respond(
        request,
        lambda: calendar([event], stamp=_stamp(changed), name=event.title),
        etag,
        last_modified,
        f"event-{pk}.ics",
    )


@require_GET
def events_ics(request):
    try:
        territory = (
            checked_territory(request.GET["territory"])
            if "territory" in request.GET
            else None
        )
    except QueryError as error:
        return HttpResponseBadRequest(
            f"{error.field}: {error}", content_type="text/plain; charset=utf-8"
        )
    today = timezone.localdate()
    events = held.in_window(held.with_place(), held.calendar_window(today))
    if territory is not None:
        events = events.filter(place_territory_id=territory.pk)
    changed = versions.changes(TABLES)
    key = [today, territory.pk if territory else ""]
    # The window moves at local midnight without any row changing.
    midnight = datetime.combine(today, time.min, tzinfo=timezone.get_default_timezone())
    etag, last_modified = versions.version(
        "events-ics", TABLES, SETTINGS, key, changed=changed, moved=midnight
    )
    return respond(
        request,
        lambda: calendar(
            for_public(events).order_by("starts_at", "pk"),
            stamp=_stamp(changed),
            name=calendar_name(territory),
        ),
        etag,
        last_modified,
        "events.ics",
    )
