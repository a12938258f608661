"""Shared pieces of the events tests: the seeded kinds (again, for transactional
tests), organisers' accounts, events stored directly or through the services, and
what a sign-up sends."""

from datetime import timedelta
from itertools import count

from django.utils import timezone
from rest_framework.test import APIClient

from geo.requester import Requester
from geo.wgs84 import to_wgs84
from territories.accounts import roles
from territories.events.models import Event, EventKind, Registration
from territories.events.services import register
from territories.registry.models import Ground, Yard

from .boundary_helpers import account, chair_of
from .conftest import utm_box, utm_point

_addresses = count(10)
# A name that must never appear in public output.
NAME = "Евлампия Кондратьевна Сидорчук"


def lon_lat(x=100, y=100):
    point = to_wgs84(utm_point(x, y))
    return round(point.x, 6), round(point.y, 6)


def soon(days=1, hours=0):
    return timezone.now() + timedelta(days=days, hours=hours)


def iso(moment):
    return moment.isoformat()


def event_data(**overrides):
    """A valid body for a new event at a point inside the `tos` fixture."""
    lon, lat = lon_lat()
    start = soon(days=3)
    data = {
        "title": "Чистый дворик у дома 5",
        "kind": "chisty-dvorik",
        "description": "Уборка двора",
        "starts_at": iso(start),
        "ends_at": iso(start + timedelta(hours=2)),
        "place_kind": "point",
        "lon": lon,
        "lat": lat,
        "registration_required": True,
        "capacity": 3,
    }
    return {**data, **overrides}


def make_event(territory, **fields):
    """An event stored directly (no rules), organised by `territory`."""
    start = fields.pop("starts_at", soon())
    values = {
        "title": "Выходи гулять!",
        "kind": EventKind.objects.get(code="vyhodi-gulyat"),
        "territory": territory,
        "starts_at": start,
        "ends_at": fields.pop("ends_at", start + timedelta(hours=2)),
        "place_kind": "point",
        "geom": utm_point(100, 100),
        "registration_required": True,
        **fields,
    }
    return Event.objects.create(**values)


def make_yard(x=0, y=0):
    return Yard.objects.create(name="Двор у дома 7", geom=utm_box(x, y, 100, 80))


def make_ground(x=300, y=300):
    return Ground.objects.create(
        kind="playground", name="Площадка «Солнышко»", geom=utm_box(x, y, 30, 30)
    )


def resident(ip="192.0.2.1"):
    return Requester(None, "", ip)


def sign_up(event, name="Житель", *, email=None, phone="", ip=None):
    """A sign-up through the service from an address of its own."""
    n = next(_addresses)
    if email is None and not phone:
        email = f"resident{n}@example.org"
    return register(
        event,
        {"name": name, "email": email or "", "phone": phone},
        by=resident(ip or f"198.51.100.{n % 250}"),
    )


def states(event):
    return list(
        Registration.objects.filter(event=event)
        .order_by("pk")
        .values_list("state", flat=True)
    )


def specialist(username="specialist"):
    return account(username, roles.Role.SPECIALIST)


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


__all__ = ["account", "chair_of"]
