"""No double booking, guaranteed by the database (docs/domain.md, "Resource centres
and bookings"): two requests for overlapping times in parallel transactions on two
real connections; one stands, the other is refused naming the clash. The controls
show that the exclusion constraint `booking_no_overlap` is what decides."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from geo.errors import Refused
from territories.centres.models import Booking
from territories.centres.services import rules

from .centres_helpers import at, book, centre, chair, council_member, room

pytestmark = pytest.mark.django_db(transaction=True)

CONSTRAINT = "booking_no_overlap"


@pytest.fixture
def scene(district, tos):
    hall = room(centre())
    council, member = council_member()
    return hall, {
        "tos": lambda s, e: book(chair(tos), hall, s, e, territory=tos),
        "council": lambda s, e: book(member, hall, s, e, council=council),
    }


def first_holds_while_second_asks(first, second, hold=0.5):
    """`first` booked and held uncommitted for `hold` s while `second` asks in
    another transaction (its check cannot see the first); {name: outcome}."""
    written = threading.Event()
    outcome = {}

    def run(name, call, wait):
        try:
            if wait:
                written.wait(5)
            with transaction.atomic():
                call()
                if not wait:
                    written.set()
                    threading.Event().wait(hold)
            outcome[name] = "booked"
        except Refused as refusal:
            outcome[name] = (refusal.field, str(refusal))
        except IntegrityError as error:
            outcome[name] = ("integrity", str(error))
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


def test_the_second_of_two_racing_requests_is_refused_naming_the_first(scene):
    hall, ask = scene
    outcome = first_holds_while_second_asks(
        ("council", lambda: ask["council"](at(0, "18:00"), at(0, "19:30"))),
        ("tos", lambda: ask["tos"](at(0, "19:00"), at(0, "20:00"))),
    )
    assert outcome == {
        "council": "booked",
        "tos": ("starts_at", "зал занят 18:00–19:30 (Совет МКД ул. Ленина, 5)"),
    }
    assert list(
        Booking.objects.live().values_list("series__council__name", flat=True)
    ) == ["Совет МКД ул. Ленина, 5"]


def test_the_refusal_came_from_the_constraint(scene, monkeypatch):
    """The control: with the service's check blind (as in the race, where it
    cannot see the uncommitted first booking), the database raises the
    exclusion constraint by its name."""
    hall, ask = scene
    ask["council"](at(0, "18:00"), at(0, "19:30"))
    monkeypatch.setattr(rules.Day, "taken", lambda *args: None)
    seen = []
    original = rules.clashing

    def spy(*args, **kwargs):  # clash_refusal reads the clash after the error
        seen.append("after the constraint")
        return original(*args, **kwargs)

    monkeypatch.setattr(rules, "clashing", spy)
    with pytest.raises(Refused) as caught:
        ask["tos"](at(0, "19:00"), at(0, "20:00"))
    assert seen == ["after the constraint"]
    assert isinstance(caught.value.__cause__, IntegrityError)
    assert CONSTRAINT in str(caught.value.__cause__)


def test_without_the_constraint_the_same_race_double_books(scene):
    """The control of the race: dropped, both overlapping requests stand."""
    hall, ask = scene
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s",
            [CONSTRAINT],
        )
        (definition,) = cursor.fetchone()
        cursor.execute(f"ALTER TABLE centres_booking DROP CONSTRAINT {CONSTRAINT}")
    try:
        outcome = first_holds_while_second_asks(
            ("council", lambda: ask["council"](at(0, "18:00"), at(0, "19:30"))),
            ("tos", lambda: ask["tos"](at(0, "19:00"), at(0, "20:00"))),
        )
        assert outcome == {"council": "booked", "tos": "booked"}
    finally:
        Booking.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER TABLE centres_booking ADD CONSTRAINT {CONSTRAINT} {definition}"
            )


def released_together(ask, first, second):
    """Both asked at the same moment from two threads; {name: outcome}."""
    start = threading.Barrier(2)
    outcome = {}

    def run(name, s, e):
        try:
            start.wait()
            ask[name](s, e)
            outcome[name] = "booked"
        except Refused as refusal:
            outcome[name] = str(refusal)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=a) for a in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


def test_requests_released_together_leave_exactly_one(scene):
    """Ten rounds: one date stands each time and the other is refused by name,
    whichever comes first."""
    hall, ask = scene
    for round_ in range(10):
        day = round_ % 5
        outcome = released_together(
            ask,
            ("tos", at(day, "10:00"), at(day, "11:00")),
            ("council", at(day, "10:30"), at(day, "11:30")),
        )
        outcomes = sorted(outcome.values())
        assert outcomes[0] == "booked", outcome
        assert outcomes[1].startswith("зал занят 10:"), outcome
        assert Booking.objects.live().count() == 1
        Booking.objects.all().delete()


def test_two_overlapping_requests_cannot_even_wait_together(scene):
    """A request holds its slot: a second one is refused before any accept, so
    two accepts can never race (the constraint covers `requested` too)."""
    hall, ask = scene
    ask["council"](at(0, "18:00"), at(0, "19:30"))
    with pytest.raises(Refused):
        ask["tos"](at(0, "18:00"), at(0, "19:30"))
    assert Booking.objects.requested().count() == 1


def test_a_move_and_a_closure_over_it_take_the_locks_in_one_order(district, tos):
    """A closure locks the centre, then cancels the bookings under it; a move
    must lock the centre before the booking too. Here the closure holds the
    centre while the move starts: with the booking locked first the two waited
    for each other (a deadlock, one aborted by PostgreSQL); centre first, the
    move waits, then finds its booking cancelled and is refused naming state."""
    from django.db import OperationalError

    from territories.centres import locks
    from territories.centres.services import bookings, closures

    from .centres_helpers import staff_of

    hall = room(centre())
    asker = chair(tos)
    staff = staff_of(hall.centre)
    booking = book(asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos)
    booking = booking.bookings.get()
    centre_locked, move_started = threading.Event(), threading.Event()
    outcome = {}

    def close():
        try:
            with transaction.atomic():
                locks.lock_centre(hall.centre_id)
                centre_locked.set()
                move_started.wait(5)
                threading.Event().wait(0.7)  # the move reaches its locks meanwhile
                closures.add(
                    centre=hall.centre,
                    starts_at=at(0, "00:00"),
                    ends_at=at(1, "00:00"),
                    reason="авария",
                    by=staff,
                    cancel_bookings=True,
                )
            outcome["closure"] = "stored"
        except OperationalError as error:
            outcome["closure"] = ("operational", str(error))
        finally:
            centre_locked.set()
            connection.close()

    def move():
        try:
            centre_locked.wait(5)
            move_started.set()
            bookings.move(
                booking, by=asker, starts_at=at(0, "19:00"), ends_at=at(0, "20:00")
            )
            outcome["move"] = "moved"
        except Refused as refusal:
            outcome["move"] = refusal.field
        except OperationalError as error:
            outcome["move"] = ("operational", str(error))
        finally:
            move_started.set()
            connection.close()

    threads = [threading.Thread(target=close), threading.Thread(target=move)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcome == {"closure": "stored", "move": "state"}
    assert Booking.objects.get().state == "cancelled"
