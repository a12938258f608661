"""Accounts, territories and drawn shapes for the boundaries tests."""

import json

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import MultiPolygon, Polygon
from rest_framework.test import APIClient

from territories.accounts import roles
from territories.boundaries import services
from territories.registry.models import Building, Territory

from .conftest import CENTRE, utm_box


def account(username, role=None, *, email=""):
    user, _new = get_user_model().objects.get_or_create(
        username=username, defaults={"email": email or f"{username}@example.org"}
    )
    if role:
        roles.grant(user, role)
    return user


def chair_of(territory, username="chair"):
    user = account(username, roles.Role.CHAIR)
    territory.chair_user = user
    territory.save(update_fields=["chair_user"])
    return user


def planner(username="planner"):
    return account(username, roles.Role.PLANNER)


def lonlat(geom):
    """A GIS_SRID geometry as a GeoJSON dict in EPSG:4326."""
    return json.loads(geom.transform(4326, clone=True).geojson)


def box(x, y, width, height):
    """`utm_box` as the GEOS MultiPolygon in EPSG:4326 that the services take."""
    return utm_box(x, y, width, height).transform(4326, clone=True)


def box_json(x, y, width, height):
    return lonlat(utm_box(x, y, width, height))


def polygon_json(*points):
    """A GeoJSON Polygon from UTM offsets (x, y) from the centre (ring closed here)."""
    ring = [(CENTRE.x + x, CENTRE.y + y) for x, y in points]
    ring.append(ring[0])
    return lonlat(MultiPolygon(Polygon(ring), srid=CENTRE.srid))


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def house(x, y, *, residents=None, flats=None, size=20):
    return Building.objects.create(
        address=f"дом {x},{y}",
        geom=utm_box(x, y, size, size),
        residents_recorded=residents,
        flats=flats,
    )


def approved_via_workflow(territory, shape, chair, reviewer, number="1-рд"):
    """Draw, submit and approve `shape` (EPSG:4326 GEOS) as the territory's boundary."""
    services.save_draft(territory, shape, by=chair)
    services.submit(territory, by=chair)
    return services.approve(
        territory, by=reviewer, decision_number=number, decision_date="2026-11-30"
    )


def reload(territory):
    return Territory.objects.get(pk=territory.pk)
