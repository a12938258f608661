"""Centres, rooms, accounts and times for the centres tests. Times are local
(settings.TIME_ZONE) on days a week or two ahead, so that they are neither past nor
beyond the booking horizon whenever the tests run."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from territories.accounts import roles
from territories.accounts.organisers import organiser
from territories.centres.models import CentreStaff, OpeningHours, Room
from territories.centres.services import bookings
from territories.registry.models import Council, ResourceCentre

from .boundary_helpers import account, api  # noqa: F401 (re-exported)
from .conftest import utm_point

TZ = ZoneInfo(settings.TIME_ZONE)


def centre(n=1, *, hours=True):
    """A centre open every day 08:00–22:00 (unless `hours` is False)."""
    made = ResourceCentre.objects.create(
        name=f"Ресурсный центр № {n}",
        address=f"ул. Тестовая, {n}",
        geom=utm_point(100 * n, 100),
    )
    if hours:
        OpeningHours.objects.bulk_create(
            OpeningHours(centre=made, weekday=d, opens=time(8), closes=time(22))
            for d in range(7)
        )
    return made


def room(of, name="Зал для собраний", capacity=40, **more):
    return Room.objects.create(centre=of, name=name, capacity=capacity, **more)


def monday(weeks=1):
    """The local Monday `weeks` weeks after this week's."""
    today = timezone.now().astimezone(TZ).date()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


def at(day, hhmm):
    """An aware local moment on `day` (a date, or days after next Monday)."""
    if not isinstance(day, date):
        day = monday() + timedelta(days=day)
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=TZ)


def chair(territory, username="chair"):
    user = account(username, roles.Role.CHAIR)
    territory.chair_user = user
    territory.save(update_fields=["chair_user"])
    return user


def staff_of(of, username="staff"):
    user = account(username, roles.Role.CENTRE_STAFF)
    CentreStaff.objects.get_or_create(centre=of, user=user)
    return user


def council_member(username="council", name="Совет МКД ул. Ленина, 5"):
    council = Council.objects.create(name=name)
    user = account(username, roles.Role.COUNCIL)
    council.members.add(user)
    return council, user


def book(by, in_room, start, end, *, territory=None, council=None, group="", **more):
    """A request through the service (title «Собрание» unless given)."""
    more.setdefault("title", "Собрание")
    return bookings.request(
        by=by,
        room=in_room,
        starts_at=start,
        ends_at=end,
        organiser=organiser(territory=territory, council=council, group_name=group),
        **more,
    )
