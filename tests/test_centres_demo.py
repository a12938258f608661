"""The centres' demo rows: rooms, hours, a closure and bookings on the registry's
seven demo centres, illustrative and said so; loading twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from territories.centres.models import Booking, Closure, OpeningHours, Room
from territories.registry.demo import load_demo

from .test_demo import ALL_MODELS

pytestmark = pytest.mark.django_db

CENTRES = ("centre rooms", "centre opening hours", "centre closures", "centre bookings")


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Room, OpeningHours, Closure, Booking)
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():  # every demo row, as tests/test_demo.py
        for model in ALL_MODELS:
            model.objects.all().delete()


@pytest.mark.usefixtures("demo")
def test_every_demo_centre_has_its_rooms_and_hours():
    assert counts() == {"Room": 14, "OpeningHours": 42, "Closure": 1, "Booking": 5}
    hall = Room.objects.get(centre__name="Ресурсный центр № 1", name="Зал для собраний")
    assert (hall.capacity, hall.step_free) == (40, True)
    assert "условно" in hall.description and "условно" in hall.accessibility
    assert all("условно" in b.series.title for b in Booking.objects.all())
    assert set(Booking.objects.values_list("state", flat=True)) == {"accepted"}
    assert "условно" in Closure.objects.get().reason


@pytest.mark.usefixtures("demo")
def test_loading_again_changes_nothing():
    before = counts()
    outcomes = load_demo()
    assert counts() == before
    assert {
        name: (o.created, o.updated, o.deleted)
        for name, o in outcomes.items()
        if name in CENTRES
    } == {name: (0, 0, 0) for name in CENTRES}


@pytest.mark.usefixtures("demo")
def test_a_reset_loads_the_same_rows():
    before = counts()
    load_demo(reset=True)
    assert counts() == before
