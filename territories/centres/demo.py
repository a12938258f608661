"""The centres' demo rows (docs/domain.md, "Resource centres and bookings"): on top
of the registry's seven demo centres, their rooms as the fixture describes them
(«Зал для собраний до 40 мест, переговорная до 10 мест»), opening hours
«Пн–Пт 9:00–18:00, Сб 10:00–15:00», one closure and a few accepted bookings in this
week and the next, so that the week grid is not empty. All illustrative, and said
so. Rows are matched by natural keys (centre and room name; room and title), so
loading twice changes nothing; the bookings follow the current week."""

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction

from territories.registry.demo.plan import DEMO_PREFIX
from territories.registry.demo.store import Outcome, upsert
from territories.registry.models import ResourceCentre, Territory

from .models import Booking, BookingSeries, Closure, OpeningHours, Room
from .services.rules import local_zone
from .week import this_monday

ROOMS = (
    {
        "name": "Зал для собраний",
        "capacity": 40,
        "equipment": ["projector", "screen", "chairs", "tables", "sound", "wifi"],
        "step_free": True,
        "accessibility": "вход с улицы без ступеней (условно)",
        "description": "Собрания, круглые столы, встречи с депутатами (условно).",
    },
    {
        "name": "Переговорная",
        "capacity": 10,
        "equipment": ["tables", "chairs", "computer", "printer", "wifi", "flipchart"],
        "step_free": False,
        "accessibility": "второй этаж, без лифта (условно)",
        "description": "Заседания советов и инициативных групп (условно).",
    },
)
HOURS = [(d, time(9), time(18)) for d in range(5)] + [(5, time(10), time(15))]
# (centre number, room, day of the week from this Monday, from, to, title, TOS index)
BOOKINGS = (
    (1, 0, 1, time(16), time(18), "Собрание ТОС (условно)", 0),
    (1, 1, 3, time(10), time(12), "Заседание совета общественности (условно)", 1),
    (
        1,
        0,
        9,
        time(14),
        time(16),
        "Круглый стол «Двор, где живет ветеран» (условно)",
        2,
    ),
    (3, 0, 2, time(15), time(17), "Подготовка к «Дню соседей» (условно)", 3),
    (3, 1, 8, time(11), time(12), "Встреча инициативной группы (условно)", 4),
)


def load(facts, *, reset=False):
    """{name: Outcome}; the registry's demo centres must be stored already."""
    centres = list(
        ResourceCentre.objects.filter(osm_id__startswith=DEMO_PREFIX).order_by("osm_id")
    )
    centres.sort(key=lambda c: int(c.osm_id.rsplit("/", 1)[-1]))
    rooms = save_rooms(centres)
    outcomes = {
        "centre rooms": rooms,
        "centre opening hours": save_hours(centres),
        "centre closures": save_closure(centres),
    }
    outcomes["centre bookings"] = save_bookings(centres, facts)
    return outcomes


def save_rooms(centres):
    objs = [Room(centre=c, **spec) for c in centres for spec in ROOMS]
    existing = Room.objects.filter(centre__in=centres)
    return upsert(objs, existing, lambda r: (r.centre_id, r.name))


def save_hours(centres):
    objs = [
        OpeningHours(centre=c, weekday=d, opens=o, closes=e)
        for c in centres
        for d, o, e in HOURS
    ]
    existing = OpeningHours.objects.filter(centre__in=centres)
    return upsert(
        objs,
        existing,
        lambda h: (h.centre_id, h.weekday, h.opens),
        stale=lambda h: True,
    )


def save_closure(centres):
    """Centre № 2 closed on Wednesday of the week after next (a sanitary day)."""
    if len(centres) < 2:
        return Outcome()
    day = this_monday() + timedelta(weeks=2, days=2)
    tz = local_zone()
    closure = Closure(
        centre=centres[1],
        starts_at=datetime.combine(day, time.min, tzinfo=tz),
        ends_at=datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz),
        reason="Санитарный день (условно)",
    )
    existing = Closure.objects.filter(centre=centres[1], reason=closure.reason)
    return upsert([closure], existing, lambda c: (c.centre_id, c.reason))


def save_bookings(centres, facts):
    """Accepted bookings for demo TOS; a slot someone really booked is left
    to them (the demo's booking is skipped)."""
    names = [t["name"] for t in facts["tos"]["territories"]]
    territories = {t.name: t for t in Territory.objects.filter(name__in=names)}
    outcome = Outcome()
    monday, tz = this_monday(), local_zone()
    for number, room_index, offset, opens, closes, title, tos_index in BOOKINGS:
        territory = territories.get(names[tos_index % len(names)])
        if number > len(centres) or territory is None:
            continue
        room = Room.objects.get(
            centre=centres[number - 1], name=ROOMS[room_index]["name"]
        )
        day = monday + timedelta(days=offset)
        start = datetime.combine(day, opens, tzinfo=tz)
        end = datetime.combine(day, closes, tzinfo=tz)
        outcome.total += 1
        step = save_booking(room, territory, title, start, end)
        if step:
            setattr(outcome, step, getattr(outcome, step) + 1)
    return outcome


def save_booking(room, territory, title, start, end):
    """'created', 'updated' or None (unchanged, or its slot taken)."""
    series, new = BookingSeries.objects.get_or_create(
        room=room, title=title, defaults={"territory": territory}
    )
    booking = series.bookings.first()
    if booking is not None and (booking.starts_at, booking.ends_at, booking.state) == (
        start,
        end,
        Booking.State.ACCEPTED,
    ):
        return None
    try:
        with transaction.atomic():
            if booking is None:
                Booking.objects.create(
                    series=series,
                    room=room,
                    starts_at=start,
                    ends_at=end,
                    state=Booking.State.ACCEPTED,
                )
                return "created"
            Booking.objects.filter(pk=booking.pk).update(
                starts_at=start, ends_at=end, state=Booking.State.ACCEPTED
            )
            return "updated"
    except IntegrityError:
        if new:
            series.delete()
        return None
