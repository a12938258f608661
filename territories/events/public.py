"""What the events' public outputs (calendars, feed, indicators, the results page)
say about an event, in one place: its organiser's public name and where it is (its
page's address is links.event_path). Never anything of the people who signed up
(docs/domain.md, "Events")."""

from django.conf import settings

from territories.accounts.organisers import of_row


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def organiser_name(event):
    """The organisation's public name (a TOS, a council, a group), never a person's."""
    return of_row(event).name


def place_text(event):
    """Where to come: in a centre's room, «centre, room, the centre's address» (and
    the organiser's «как найти» after it); else «как найти», else the yard's or
    ground's name."""
    room = event.room
    if room is not None:
        centre = room.centre
        parts = [centre.name, room.name, centre.address, event.address]
        return ", ".join(part for part in parts if part)
    if event.address:
        return event.address
    for place in (event.yard, event.ground):
        if place is not None and place.name:
            return place.name
    return ""


def for_public(queryset):
    """The rows the public outputs read, with what they name joined."""
    return queryset.select_related(
        "kind", "territory", "council", "yard", "ground", "room__centre"
    )
