"""The demo's events: a dozen illustrative events of the practice's traditional
kinds, upcoming and past, in the demo's yards and grounds, organised by the demo's
TOS (territories/registry/demo). Dates are counted from today, so the calendar
always has some ahead; each description says the event is illustrative. No
registrations are invented. Rows are known by their demo key in `osm_id`, so a
second load changes nothing on the same day."""

from datetime import datetime, time, timedelta

from django.contrib.gis.db.models.functions import PointOnSurface
from django.utils import timezone

from territories.registry.demo import DEMO_PREFIX, Outcome
from territories.registry.models import Ground, Territory, Yard

from .models import Event, EventKind

KEY = f"{DEMO_PREFIX}event/"
NOTICE = "Демонстрационное мероприятие (условно)."
# (days from today, start hour, hours, kind code, title, place, capacity)
PLAN = [
    (3, 11, 3, "chisty-dvorik", "Чистый дворик: весенняя уборка", "yard", 30),
    (6, 17, 2, "vyhodi-gulyat", "Выходи гулять! Игры для всего двора", "ground", None),
    (10, 12, 3, "tsvetnoy-dvorik", "Цветной дворик: красим лавочки", "yard", 15),
    (14, 16, 3, "den-sosedey", "День соседей: чаепитие во дворе", "yard", None),
    (21, 11, 2, "den-zashchity-detey", "День защиты детей на площадке", "ground", 40),
    (28, 10, 4, "ukorenis", "Укоренись в Ангарске: посадка деревьев", "yard", 25),
    (35, 18, 2, "den-semyi", "День семьи, любви и верности", "ground", None),
    (-7, 11, 3, "chisty-bereg", "Чистый берег: уборка у реки", "yard", None),
    (
        -14,
        12,
        2,
        "dvor-veterana",
        "Двор, где живёт ветеран: поздравление",
        "yard",
        None,
    ),
    (-30, 11, 2, "den-zhivotnyh", "Всемирный день защиты животных", "ground", None),
    (-45, 17, 2, "vyhodi-gulyat", "Выходи гулять! Эстафета", "ground", None),
    (-60, 10, 3, "chisty-dvorik", "Чистый дворик: субботник", "yard", None),
]


def load_demo(facts, *, reset=False):
    """Store the demo events; {"events": Outcome}. Nothing without the demo's TOS
    and places (the registry's demo is loaded first, in the same transaction)."""
    territories = list(
        Territory.objects.filter(
            name__in=[t["name"] for t in facts["tos"]["territories"]],
            status=Territory.Status.APPROVED,
        ).order_by("name")
    )
    yards = demo_places(Yard)
    grounds = demo_places(Ground)
    if not territories or not yards or not grounds:
        return {"events": Outcome()}
    kinds = {kind.code: kind for kind in EventKind.objects.all()}
    today = timezone.localdate()
    outcome = Outcome()
    for n, row in enumerate(PLAN, start=1):
        days, hour, hours, code, title, place, capacity = row
        start = timezone.make_aware(
            datetime.combine(today + timedelta(days=days), time(hour))
        )
        spot = (yards if place == "yard" else grounds)[
            n % len(yards if place == "yard" else grounds)
        ]
        values = {
            "title": title,
            "kind": kinds[code],
            "description": f"{NOTICE} {kinds[code].name}: приходите всем двором.",
            "territory": territories[n % len(territories)],
            "starts_at": start,
            "ends_at": start + timedelta(hours=hours),
            "place_kind": place,
            "yard": spot if place == "yard" else None,
            "ground": spot if place == "ground" else None,
            "geom": spot.spot,
            "capacity": capacity,
            "registration_required": capacity is not None,
            "campaign": "Укоренись в Ангарске" if code == "ukorenis" else "",
            "state": Event.State.SCHEDULED,
        }
        store(f"{KEY}{n}", values, outcome)
    outcome.deleted = stale_events(len(PLAN)).delete()[0]
    outcome.total = len(PLAN)
    return {"events": outcome}


def demo_places(model):
    return list(
        model.objects.filter(osm_id__startswith=DEMO_PREFIX)
        .annotate(spot=PointOnSurface("geom"))
        .order_by("pk")
    )


def store(key, values, outcome):
    event = Event.objects.filter(osm_id=key).first()
    if event is None:
        Event.objects.create(osm_id=key, **values)
        outcome.created += 1
        return
    changed = [f for f, v in values.items() if getattr(event, f) != v]
    if changed:
        for field in changed:
            setattr(event, field, values[field])
        event.save()
        outcome.updated += 1


def stale_events(count):
    keys = [f"{KEY}{n}" for n in range(1, count + 1)]
    return Event.objects.filter(osm_id__startswith=KEY).exclude(osm_id__in=keys)


def unload_demo():
    """Delete the demo events (before the registry deletes the places and TOS they
    refer to); the number of rows deleted."""
    return Event.objects.filter(osm_id__startswith=KEY).delete()[0]
