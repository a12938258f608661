"""iCalendar feeds of a centre's and a room's accepted bookings (docs/domain.md,
"Resource centres and bookings"), written with the `icalendar` package: one VEVENT
a booking, its UID stable (the booking's id and the site), times in UTC, SUMMARY the
title and the organiser's public name; nothing personal. ETag and Last-Modified
come from the last change of every table the feed reads (geo_layerstate, kept by
the triggers of centres migration 0002 and registry 0002)."""

import hashlib
from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from geo.layers import table_changes
from territories.accounts.organisers import of_row
from territories.registry.models import ResourceCentre

from .models import Booking, Room

# Every table whose rows the feeds show: a change of any changes the ETag.
TABLES = (
    "centres_booking",
    "centres_bookingseries",
    "centres_room",
    "territories_resourcecentre",
    "territories_territory",
    "territories_council",
)
CONTENT_TYPE = "text/calendar; charset=utf-8"


@require_GET
def centre_ics(request, pk):
    centre = get_object_or_404(ResourceCentre, pk=pk)
    found = Booking.objects.of_centre(centre)
    return feed(request, f"centre-{centre.pk}", centre.name, found)


@require_GET
def room_ics(request, pk):
    room = get_object_or_404(Room.objects.select_related("centre"), pk=pk)
    found = Booking.objects.of_room(room)
    return feed(request, f"room-{room.pk}", f"{room.centre.name}, {room.name}", found)


def feed(request, key, name, bookings):
    etag, modified = version(key)
    modified_ts = int(modified.timestamp()) if modified else None
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=modified_ts
    )
    if not_modified is not None:
        return not_modified
    # One language for everyone, so that the ETag need not vary by it.
    with translation.override(settings.LANGUAGE_CODE):
        body = calendar(name, bookings.accepted().for_display().order_by("starts_at"))
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["ETag"] = etag
    if modified_ts:
        response["Last-Modified"] = http_date(modified_ts)
    patch_cache_control(response, public=True, no_cache=True)
    return response


def version(key):
    changed = table_changes(TABLES)
    parts = [key, *(f"{t}@{changed.get(t)}" for t in TABLES), settings.LANGUAGE_CODE]
    digest = hashlib.sha1("|".join(parts).encode()).hexdigest()
    return f'"{digest[:32]}"', max(changed.values(), default=None)


def calendar(name, bookings):
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    cal = Calendar()
    cal.add("prodid", "-//Angarsk friendly neighbours//resource centres//RU")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for booking in bookings:
        cal.add_component(event(booking, host))
    return cal.to_ical()


def event(booking, host):
    series = booking.series
    item = Event()
    item.add("uid", f"booking-{booking.pk}@{host}")
    item.add("dtstamp", booking.updated_at.astimezone(UTC))
    item.add("dtstart", booking.starts_at.astimezone(UTC))
    item.add("dtend", booking.ends_at.astimezone(UTC))
    item.add("summary", f"{series.title} — {of_row(series).name}")
    item.add("location", f"{booking.room.centre.name}, {booking.room.name}")
    item.add("status", "CONFIRMED")
    return item


urlpatterns = [
    path("centres/<int:pk>.ics", centre_ics, name="centre-ics"),
    path("centres/rooms/<int:pk>.ics", room_ics, name="room-ics"),
]
