"""Events for the records, calendar, feed and indicators tests, made straight through
the ORM (the events service is another helper's), and the people around them."""

from datetime import datetime, timedelta
from itertools import count

from django.utils import timezone

from territories.accounts import roles
from territories.events.models import Event, EventKind, Registration

from .boundary_helpers import account
from .conftest import utm_point

# A registrant's contacts: distinctive, so that any leak is found by a plain search.
REGISTRANT_NAME = "Евлампия Кузьминична Пряхина-Зарецкая"
REGISTRANT_EMAIL = "evlampiya.pryakhina.zz@example.net"
REGISTRANT_PHONE = "+7 (914) 555-73-19"
_tokens = count()


def kind(code="chisty-dvorik", name="Чистый дворик", *, planting=False):
    """A kind, the migration's seeded one when it is there (transactional tests flush
    it)."""
    found, _new = EventKind.objects.get_or_create(
        code=code, defaults={"name": name, "is_planting": planting}
    )
    return found


def planting_kind():
    return kind("ukorenis", "Укоренись в Ангарске", planting=True)


def event(
    territory=None,
    *,
    title="Субботник во дворе",
    of_kind=None,
    starts=timedelta(days=-2),
    hours=3,
    at=(100, 100),
    council=None,
    group_name="",
    **fields,
):
    """An event starting `starts` from now (or at `starts`, a datetime), `hours`
    long, at a point `at` metres from the centre; organised by `territory` (or a
    council, or a group by name)."""
    start = starts if isinstance(starts, datetime) else timezone.now() + starts
    if territory is None and council is None and not group_name:
        group_name = "Инициативная группа «Сосны»"
    return Event.objects.create(
        title=title,
        kind=of_kind or kind(),
        territory=territory,
        council=council,
        group_name=group_name,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        geom=utm_point(*at),
        **{"place_kind": Event.PlaceKind.POINT, **fields},
    )


def registrant(event, state=Registration.State.REGISTERED):
    """A sign-up carrying the distinctive contacts. One phone holds one live place
    per event (`registration_one_per_phone`): the waitlisted one leaves it out."""
    number = next(_tokens)
    return Registration.objects.create(
        event=event,
        name=REGISTRANT_NAME,
        email=REGISTRANT_EMAIL,
        phone="" if state == Registration.State.WAITLISTED else REGISTRANT_PHONE,
        contact_key=f"{REGISTRANT_EMAIL}#{number}",
        state=state,
        token_hash=f"{number:064d}",
    )


def specialist(username="specialist"):
    return account(username, roles.Role.SPECIALIST)


def resident(username="resident"):
    return account(username, roles.Role.RESIDENT)
