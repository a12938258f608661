"""Simultaneous sign-ups never exceed an event's capacity, and one contact holds
one live registration, however the requests interleave (docs/domain.md, "Events";
the trigger of events migration 0004). Real threads, each with its own connection."""

import threading

import pytest
from django.db import connection, transaction

from geo.errors import Refused
from territories.events import services
from territories.events.models import Registration
from territories.events.services import registration as signups

from .event_signup_helpers import make_event, resident, states

pytestmark = pytest.mark.django_db(transaction=True)

SENDERS = 10
CAPACITY = 3
LOCK = "PERFORM 1 FROM events_event WHERE id = NEW.event_id FOR NO KEY UPDATE;"


def in_threads(target, count):
    start = threading.Barrier(count)
    outcomes = []

    def run(number):
        try:
            start.wait()
            outcomes.append(target(number))
        except Refused as refused:
            outcomes.append(refused.field)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_simultaneous_sign_ups_fill_exactly_the_capacity(tos, kinds):
    event = make_event(tos, capacity=CAPACITY)

    def sign_up(number):
        return services.register(
            event,
            {"name": f"Житель {number}", "email": f"r{number}@example.org"},
            by=resident(f"198.51.100.{number}"),
        ).registration.state

    outcomes = in_threads(sign_up, SENDERS)
    assert sorted(outcomes) == sorted(
        ["registered"] * CAPACITY + ["waitlisted"] * (SENDERS - CAPACITY)
    )
    assert states(event).count("registered") == CAPACITY


def test_the_same_contact_at_once_is_stored_once(tos, kinds):
    event = make_event(tos, capacity=None)

    def sign_up(number):
        return services.register(
            event,
            {"name": "Один и тот же", "email": "SAME@example.org"},
            by=resident(f"198.51.100.{number}"),
        ).registration.state

    outcomes = in_threads(sign_up, 6)
    assert sorted(outcomes) == ["email"] * 5 + ["registered"]
    assert Registration.objects.filter(event=event).count() == 1


def sign_up_in_turn(event, hold=0.5):
    """A's sign-up written and held uncommitted for `hold` s while B signs up in
    another transaction; the states they end with."""
    written = threading.Event()
    outcome = {}

    def sign_up(name, first):
        try:
            if not first:
                written.wait(5)
            with transaction.atomic():
                signup = services.register(
                    event,
                    {"name": name, "phone": f"+7902555000{len(name)}"},
                    by=resident(f"203.0.113.{len(name)}"),
                )
                if first:
                    written.set()
                    threading.Event().wait(hold)
            outcome[name] = signup.registration.state
        finally:
            written.set()
            connection.close()

    threads = [
        threading.Thread(target=sign_up, args=("А", True)),
        threading.Thread(target=sign_up, args=("Бб", False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


def test_the_second_of_two_racing_sign_ups_waits_for_the_first(tos, kinds):
    event = make_event(tos, capacity=1)
    assert sign_up_in_turn(event) == {"А": "registered", "Бб": "waitlisted"}


def test_without_the_service_lock_the_trigger_still_keeps_the_capacity(
    tos, kinds, monkeypatch
):
    """The service counts without a lock and decides «registered»; the trigger
    waits for the first, refuses, and the service files the second as waitlisted."""
    unlocked = signups.Event.objects.filter
    monkeypatch.setattr(signups, "lock_event", lambda pk: unlocked(pk=pk).first())
    event = make_event(tos, capacity=1)
    assert sign_up_in_turn(event) == {"А": "registered", "Бб": "waitlisted"}


def test_without_any_lock_the_same_race_overfills_the_event(tos, kinds, monkeypatch):
    """The control: the scenario above is a real race, which only the locks win."""
    unlocked = signups.Event.objects.filter
    monkeypatch.setattr(signups, "lock_event", lambda pk: unlocked(pk=pk).first())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_functiondef('events_registration_capacity'::regproc)"
        )
        original = cursor.fetchone()[0]
        assert LOCK in original
        cursor.execute(original.replace(LOCK, ""))
    try:
        event = make_event(tos, capacity=1)
        assert sign_up_in_turn(event) == {"А": "registered", "Бб": "registered"}
        assert states(event) == ["registered", "registered"]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(original)


def first_holds_then_second(first, second, hold=0.6):
    """`first` runs in a transaction held open `hold` s after it wrote, while
    `second` runs in another; {name: "done" or the refused field}."""
    written = threading.Event()
    outcome = {}

    def run(name, call, waits):
        try:
            if waits:
                written.wait(5)
            with transaction.atomic():
                call()
                if not waits:
                    written.set()
                    threading.Event().wait(hold)
            outcome[name] = "done"
        except Refused as refused:
            outcome[name] = refused.field
        finally:
            written.set()
            connection.close()

    threads = [
        threading.Thread(target=run, args=(*first, False)),
        threading.Thread(target=run, args=(*second, True)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


@pytest.fixture
def booked_room(district, tos, kinds):
    from territories.centres.services import bookings as centre_bookings

    from .centres_helpers import at, book, centre, room
    from .event_signup_helpers import chair_of, event_data

    hall = room(centre())
    chair = chair_of(tos)
    series = book(chair, hall, at(2, "17:00"), at(2, "21:00"), territory=tos)
    booking = series.bookings.get()
    data = event_data(
        place_kind="room",
        room=hall.pk,
        booking=booking.pk,
        territory=tos.pk,
        starts_at=at(2, "18:00").isoformat(),
        ends_at=at(2, "20:00").isoformat(),
    )
    del data["lon"], data["lat"]
    return {
        "event": lambda: services.create_event(data, by=chair),
        "cancel": lambda: centre_bookings.cancel(booking, by=chair, reason="не нужно"),
        "booking": booking,
    }


@pytest.mark.parametrize("first", ["event", "cancel"])
def test_an_event_and_a_cancel_of_its_booking_do_not_both_stand(booked_room, first):
    """An event taking an existing booking and the booking's cancel, racing: one
    stands, the other is refused naming `booking` — never an event holding a
    cancelled booking (the trigger of events 0007 and the booking's row lock)."""
    from territories.centres.models import Booking
    from territories.events.models import Event

    second = "cancel" if first == "event" else "event"
    outcome = first_holds_then_second(
        (first, booked_room[first]), (second, booked_room[second])
    )
    assert outcome == {first: "done", second: "booking"}
    state = Booking.objects.get(pk=booked_room["booking"].pk).state
    assert (Event.objects.exists(), state) == (
        (True, "requested") if first == "event" else (False, "cancelled")
    )
