"""The database's own guarantees of centres (territories/centres/models.py): each
constraint refuses by its name, whatever code path writes."""

from datetime import time

import pytest
from django.db import IntegrityError, transaction

from territories.centres.models import (
    Booking,
    BookingSeries,
    Closure,
    OpeningHours,
    Room,
)

from .centres_helpers import at, centre, room

pytestmark = pytest.mark.django_db


def refused_by(name, create):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        create()
    assert name in str(caught.value)


@pytest.fixture
def hall(district):
    return room(centre(), equipment=["projector", "wifi"])


@pytest.fixture
def series(hall, tos):
    return BookingSeries.objects.create(room=hall, territory=tos, title="Собрание")


def booking(series, start, end, state="requested", **more):
    return Booking.objects.create(
        series=series,
        room=series.room,
        starts_at=start,
        ends_at=end,
        state=state,
        **more,
    )


def test_room_constraints(hall):
    refused_by("room_capacity_positive", lambda: room(hall.centre, "Б", capacity=0))
    refused_by(
        "room_equipment_known",
        lambda: room(hall.centre, "В", equipment=["projector", "jacuzzi"]),
    )
    refused_by("room_name_unique", lambda: room(hall.centre))
    assert hall.equipment_labels == ["проектор", "Wi-Fi"]
    assert Room.objects.count() == 1


def test_hours_and_closures_end_after_they_start(hall):
    refused_by(
        "opening_hours_opens_first",
        lambda: OpeningHours.objects.create(
            centre=hall.centre, weekday=0, opens=time(18), closes=time(9)
        ),
    )
    refused_by(
        "closure_ends_after_start",
        lambda: Closure.objects.create(
            centre=hall.centre,
            starts_at=at(1, "10:00"),
            ends_at=at(0, "10:00"),
            reason="x",
        ),
    )


def test_a_series_has_exactly_one_organiser_and_a_bounded_repeat(hall, tos):
    refused_by(
        "booking_series_one_organiser",
        lambda: BookingSeries.objects.create(
            room=hall, territory=tos, group_name="Соседи", title="x"
        ),
    )
    refused_by(
        "booking_series_one_organiser",
        lambda: BookingSeries.objects.create(room=hall, title="x"),
    )
    refused_by(
        "booking_series_repeat_bounded",
        lambda: BookingSeries.objects.create(
            room=hall, group_name="Соседи", title="x", repeat="weekly"
        ),
    )


def test_overlapping_live_bookings_are_refused_by_the_exclusion_constraint(series):
    booking(series, at(0, "18:00"), at(0, "19:30"))
    for state in ("requested", "accepted"):
        refused_by(
            "booking_no_overlap",
            lambda s=state: booking(series, at(0, "19:00"), at(0, "20:00"), s),
        )
    # Touching is no overlap ([start, end)), and declined or cancelled hold nothing.
    booking(series, at(0, "19:30"), at(0, "20:00"), "accepted")
    booking(series, at(0, "18:30"), at(0, "19:00"), "cancelled")
    booking(series, at(0, "18:30"), at(0, "19:00"), "declined", decline_reason="нет")
    assert Booking.objects.live().count() == 2


def test_another_room_may_take_the_same_time(series, tos):
    other = BookingSeries.objects.create(
        room=room(series.room.centre, "Переговорная", 10), territory=tos, title="x"
    )
    booking(series, at(0, "18:00"), at(0, "19:30"))
    booking(other, at(0, "18:00"), at(0, "19:30"))
    assert Booking.objects.overlapping(at(0, "18:00"), at(0, "18:01")).count() == 2


def test_a_cancelled_booking_cannot_come_back_over_a_live_one(series):
    gone = booking(series, at(0, "18:00"), at(0, "19:00"), "cancelled")
    booking(series, at(0, "18:00"), at(0, "19:00"))
    gone.state = "requested"
    refused_by("booking_no_overlap", gone.save)


def test_bookings_end_after_they_start_and_a_decline_says_why(series):
    refused_by(
        "booking_ends_after_start",
        lambda: booking(series, at(0, "19:00"), at(0, "18:00")),
    )
    refused_by(
        "booking_declined_with_reason",
        lambda: booking(series, at(0, "19:00"), at(0, "20:00"), "declined"),
    )
