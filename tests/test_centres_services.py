"""The rules of booking a room (docs/domain.md, "Resource centres and bookings"):
each refusal names the field and the reason, and stores nothing."""

from datetime import timedelta

import pytest
from django.db import connection, transaction

from geo.errors import Forbidden, NotFound, Refused
from territories.accounts import roles
from territories.centres.models import Booking, BookingSeries, Closure, OpeningHours
from territories.centres.services import bookings, closures
from territories.centres.services.recurrence import Repeat, occurrences

from .centres_helpers import (
    TZ,
    account,
    at,
    book,
    centre,
    chair,
    council_member,
    monday,
    room,
    staff_of,
)

pytestmark = pytest.mark.django_db

State = Booking.State


@pytest.fixture
def hall(district):
    return room(centre())


@pytest.fixture
def asker(tos):
    return chair(tos)


def nothing_stored():
    return BookingSeries.objects.count() == 0 and Booking.objects.count() == 0


def refused(call, *args, **kwargs):
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    return caught.value.field, str(caught.value)


def test_a_chair_books_for_their_tos_and_the_date_waits(hall, tos, asker):
    series = book(asker, hall, at(0, "18:00"), at(0, "19:30"), territory=tos)
    (booking,) = series.bookings.all()
    assert booking.state == State.REQUESTED
    assert (booking.room, booking.starts_at) == (hall, at(0, "18:00"))
    assert booking.during.lower == at(0, "18:00")
    assert series.requested_by == asker and series.territory == tos


def test_a_resident_without_a_role_may_not_book(hall, tos):
    resident = account("resident", roles.Role.RESIDENT)
    with pytest.raises(Forbidden) as caught:
        book(resident, hall, at(0, "18:00"), at(0, "19:00"), group="Соседи")
    assert caught.value.field == "organiser"
    assert nothing_stored()


def test_a_chair_may_not_book_for_another_tos(hall, tos, other_tos, asker):
    with pytest.raises(Forbidden) as caught:
        book(asker, hall, at(0, "18:00"), at(0, "19:00"), territory=other_tos)
    assert "Старица" in str(caught.value)
    assert nothing_stored()


def test_a_clash_names_the_times_and_the_organiser_never_the_person(hall, tos):
    council, member = council_member()
    book(member, hall, at(0, "18:00"), at(0, "19:30"), council=council)
    field, reason = refused(
        book, chair(tos), hall, at(0, "19:00"), at(0, "20:00"), territory=tos
    )
    assert (field, reason) == (
        "starts_at",
        "зал занят 18:00–19:30 (Совет МКД ул. Ленина, 5)",
    )
    assert member.username not in reason
    assert Booking.objects.count() == 1


def test_touching_bookings_do_not_clash(hall, tos, asker):
    book(asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos)
    book(asker, hall, at(0, "19:00"), at(0, "20:00"), territory=tos)
    assert Booking.objects.live().count() == 2


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        ((0, "19:00"), (0, "18:00"), "ends_at", "позже начала"),
        ((0, "08:00"), (0, "21:00"), "ends_at", "длиннее 12 ч"),
        (
            (0, "07:00"),
            (0, "09:00"),
            "starts_at",
            "вне часов работы центра: пн 08:00–22:00",
        ),
        ((0, "21:00"), (1, "09:00"), "starts_at", "вне часов работы"),
        ((-14, "10:00"), (-14, "11:00"), "starts_at", "уже прошло"),
        ((100, "10:00"), (100, "11:00"), "starts_at", "не дальше чем на 90 дней"),
    ],
)
def test_times_that_break_a_rule(hall, tos, asker, start, end, field, words):
    got_field, reason = refused(book, asker, hall, at(*start), at(*end), territory=tos)
    assert got_field == field
    assert words in reason
    assert nothing_stored()


def test_the_horizon_is_a_setting(hall, tos, asker, settings):
    settings.BOOKING_HORIZON_DAYS = 3
    field, reason = refused(
        book, asker, hall, at(7, "10:00"), at(7, "11:00"), territory=tos
    )
    assert (field, reason) == (
        "starts_at",
        "бронировать можно не дальше чем на 3 дней вперёд",
    )


def test_a_day_without_hours_is_closed(hall, tos, asker):
    OpeningHours.objects.filter(weekday=6).delete()
    field, reason = refused(
        book, asker, hall, at(6, "10:00"), at(6, "11:00"), territory=tos
    )
    assert (field, reason) == ("starts_at", "центр не работает в этот день (вс)")


def test_a_closure_refuses_with_its_reason(hall, tos, asker):
    Closure.objects.create(
        centre=hall.centre,
        starts_at=at(0, "00:00"),
        ends_at=at(2, "00:00"),
        reason="ремонт",
    )
    field, reason = refused(
        book, asker, hall, at(1, "10:00"), at(1, "11:00"), territory=tos
    )
    assert field == "starts_at"
    assert reason.endswith(": ремонт") and reason.startswith("закрыто ")
    assert nothing_stored()


def test_a_closure_of_another_room_does_not_refuse(hall, tos, asker):
    other = room(hall.centre, "Переговорная", 10)
    Closure.objects.create(
        centre=hall.centre,
        room=other,
        starts_at=at(0, "00:00"),
        ends_at=at(2, "00:00"),
        reason="ремонт",
    )
    book(asker, hall, at(1, "10:00"), at(1, "11:00"), territory=tos)
    assert Booking.objects.count() == 1


def test_more_people_than_seats(hall, tos, asker):
    field, reason = refused(
        book, asker, hall, at(0, "10:00"), at(0, "11:00"), territory=tos, people=41
    )
    assert (field, reason) == (
        "people",
        "в зале «Зал для собраний» 40 мест, а ожидается 41",
    )
    assert nothing_stored()


@pytest.mark.parametrize(
    ("field", "more"),
    [
        ("title", {"title": "  "}),
        ("title", {"title": "Ы" * 201}),
        ("people", {"people": 0}),
        ("purpose", {"purpose": "x\x00"}),
    ],
)
def test_bad_fields(hall, tos, asker, field, more):
    got, _reason = refused(
        book, asker, hall, at(0, "10:00"), at(0, "11:00"), territory=tos, **more
    )
    assert got == field
    assert nothing_stored()


def test_naive_times_are_refused(hall, tos, asker):
    naive = at(0, "10:00").replace(tzinfo=None)
    got, _reason = refused(book, asker, hall, naive, at(0, "11:00"), territory=tos)
    assert got == "starts_at"


# --- series ---------------------------------------------------------------------


def test_a_weekly_series_books_each_date(hall, tos, asker):
    series = book(
        asker,
        hall,
        at(0, "18:00"),
        at(0, "19:00"),
        territory=tos,
        repeat=Repeat("weekly", count=3),
    )
    starts = [b.starts_at for b in series.bookings.order_by("starts_at")]
    assert starts == [at(0, "18:00"), at(7, "18:00"), at(14, "18:00")]
    assert (series.repeat, series.count) == ("weekly", 3)


def test_a_series_with_one_taken_date_stores_nothing_and_names_it(hall, tos, asker):
    council, member = council_member()
    book(member, hall, at(7, "18:30"), at(7, "20:00"), council=council)
    field, reason = refused(
        book,
        asker,
        hall,
        at(0, "18:00"),
        at(0, "19:00"),
        territory=tos,
        repeat=Repeat("weekly", until=monday() + timedelta(days=21)),
    )
    second = (monday() + timedelta(days=7)).strftime("%d.%m.%Y")
    assert field == "starts_at"
    assert reason == f"{second}: зал занят 18:30–20:00 (Совет МКД ул. Ленина, 5)"
    assert BookingSeries.objects.count() == 1  # the council's only


def test_a_series_names_every_broken_date(hall, tos, asker):
    council, member = council_member()
    book(member, hall, at(14, "10:30"), at(14, "12:00"), council=council)
    Closure.objects.create(
        centre=hall.centre,
        starts_at=at(7, "00:00"),
        ends_at=at(8, "00:00"),
        reason="праздник",
    )
    field, reason = refused(
        book,
        asker,
        hall,
        at(0, "10:00"),
        at(0, "11:00"),
        territory=tos,
        repeat=Repeat("weekly", count=3),
    )
    second, third = (
        (monday() + timedelta(days=n)).strftime("%d.%m.%Y") for n in (7, 14)
    )
    assert field == "starts_at"
    assert reason.startswith(f"{second}: закрыто ") and "праздник; " in reason
    assert reason.endswith(f"{third}: зал занят 10:30–12:00 (Совет МКД ул. Ленина, 5)")
    assert BookingSeries.objects.count() == 1  # the council's only


def test_a_series_beyond_the_horizon_is_refused(hall, tos, asker):
    field, reason = refused(
        book,
        asker,
        hall,
        at(0, "10:00"),
        at(0, "11:00"),
        territory=tos,
        repeat=Repeat("weekly", count=20),
    )
    assert field == "count" and "90 дней" in reason
    assert nothing_stored()


@pytest.mark.parametrize(
    ("repeat", "field"),
    [
        (Repeat("daily", count=2), "repeat"),
        (Repeat("weekly"), "repeat"),
        (Repeat("weekly", count=0), "count"),
    ],
)
def test_bad_repeats(hall, tos, asker, repeat, field):
    got, _reason = refused(
        book,
        asker,
        hall,
        at(0, "10:00"),
        at(0, "11:00"),
        territory=tos,
        repeat=repeat,
    )
    assert got == field


def test_a_monthly_series_skips_months_without_the_day():
    start = at(monday(), "10:00").replace(year=2031, month=1, day=31)
    dates, cut = occurrences(
        start,
        start + timedelta(hours=1),
        Repeat("monthly", count=3),
        TZ,
        start.date() + timedelta(days=400),
    )
    assert [d.strftime("%m-%d") for d, _e in dates] == ["01-31", "03-31", "05-31"]
    assert not cut


# --- decisions ------------------------------------------------------------------


@pytest.fixture
def waiting(hall, tos, asker):
    series = book(asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos)
    return series.bookings.get()


def test_the_centres_staff_accept(waiting, hall):
    staff = staff_of(hall.centre)
    bookings.accept(waiting, by=staff)
    waiting.refresh_from_db()
    assert (waiting.state, waiting.decided_by) == (State.ACCEPTED, staff)
    assert waiting.decided_at is not None


def test_staff_of_another_centre_or_the_asker_may_not_decide(waiting, asker):
    other = staff_of(centre(2), "other")
    for user in (other, asker):
        with pytest.raises(Forbidden):
            bookings.accept(waiting, by=user)
    waiting.refresh_from_db()
    assert waiting.state == State.REQUESTED


def test_a_decline_needs_a_reason_and_frees_the_slot(waiting, hall, tos, asker):
    staff = staff_of(hall.centre)
    assert refused(bookings.decline, waiting, by=staff, reason=" ")[0] == "reason"
    bookings.decline(waiting, by=staff, reason="зал на ремонте")
    waiting.refresh_from_db()
    assert (waiting.state, waiting.decline_reason) == (State.DECLINED, "зал на ремонте")
    book(asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos)


def test_a_decision_is_taken_once(waiting, hall):
    staff = staff_of(hall.centre)
    bookings.accept(waiting, by=staff)
    field, reason = refused(bookings.decline, waiting, by=staff, reason="нет")
    assert (field, reason) == ("state", "решение уже принято: подтверждено")


def test_the_asker_cancels_and_the_slot_is_free(waiting, hall, tos, asker):
    bookings.cancel(waiting, by=asker)
    waiting.refresh_from_db()
    assert (waiting.state, waiting.cancelled_by) == (State.CANCELLED, asker)
    book(asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos)
    assert refused(bookings.cancel, waiting, by=asker)[0] == "state"


def test_a_stranger_may_not_cancel_or_see(waiting):
    stranger = account("stranger", roles.Role.INITIATIVE)
    with pytest.raises(Forbidden):
        bookings.cancel(waiting, by=stranger)
    with pytest.raises(NotFound):
        bookings.get(waiting.pk, by=stranger)


def test_moved_by_the_asker_it_waits_again(waiting, hall, asker):
    bookings.accept(waiting, by=staff_of(hall.centre))
    bookings.move(waiting, by=asker, starts_at=at(1, "10:00"), ends_at=at(1, "11:00"))
    waiting.refresh_from_db()
    assert (waiting.state, waiting.starts_at) == (State.REQUESTED, at(1, "10:00"))
    assert waiting.during.upper == at(1, "11:00")


def test_moved_by_the_staff_it_stays_accepted(waiting, hall):
    staff = staff_of(hall.centre)
    bookings.accept(waiting, by=staff)
    bookings.move(waiting, by=staff, starts_at=at(1, "10:00"), ends_at=at(1, "11:00"))
    waiting.refresh_from_db()
    assert waiting.state == State.ACCEPTED


def test_a_move_is_checked_again_but_not_against_itself(waiting, hall, tos, asker):
    bookings.move(waiting, by=asker, starts_at=at(0, "18:30"), ends_at=at(0, "19:30"))
    other = book(asker, hall, at(0, "20:00"), at(0, "21:00"), territory=tos)
    field, reason = refused(
        bookings.move,
        waiting,
        by=asker,
        starts_at=at(0, "20:30"),
        ends_at=at(0, "21:30"),
    )
    assert (field, reason) == ("starts_at", "зал занят 20:00–21:00 (ТОС «Перекресток»)")
    waiting.refresh_from_db()
    assert waiting.starts_at == at(0, "18:30")
    assert other.bookings.get().starts_at == at(0, "20:00")


def test_the_whole_series_is_cancelled(hall, tos, asker):
    series = book(
        asker,
        hall,
        at(0, "18:00"),
        at(0, "19:00"),
        territory=tos,
        repeat=Repeat("weekly", count=3),
    )
    first = series.bookings.order_by("starts_at").first()
    bookings.cancel(first, by=asker)
    cancelled = bookings.cancel_series(series, by=asker, reason="переехали")
    assert len(cancelled) == 2
    assert set(series.bookings.values_list("state", flat=True)) == {State.CANCELLED}
    assert refused(bookings.cancel_series, series, by=asker)[0] == "series"


# --- closures -------------------------------------------------------------------


def test_a_closure_over_live_bookings_is_refused_naming_them(waiting, hall):
    staff = staff_of(hall.centre)
    field, reason = refused(
        closures.add,
        centre=hall.centre,
        starts_at=at(0, "00:00"),
        ends_at=at(1, "00:00"),
        reason="ремонт",
        by=staff,
    )
    assert field == "starts_at"
    assert "зал занят 18:00–19:00 (ТОС «Перекресток»)" in reason
    assert Closure.objects.count() == 0


def test_a_closure_may_cancel_them(waiting, hall):
    staff = staff_of(hall.centre)
    closure, hit = closures.add(
        centre=hall.centre,
        starts_at=at(0, "00:00"),
        ends_at=at(1, "00:00"),
        reason="ремонт",
        by=staff,
        cancel_bookings=True,
    )
    waiting.refresh_from_db()
    assert hit == [waiting]
    assert (waiting.state, waiting.cancel_reason) == (State.CANCELLED, "ремонт")
    assert closure.reason == "ремонт"


def test_only_the_centres_staff_close_it(hall, asker):
    with pytest.raises(Forbidden):
        closures.add(
            centre=hall.centre,
            starts_at=at(0, "00:00"),
            ends_at=at(1, "00:00"),
            reason="ремонт",
            by=asker,
        )


# --- inside another transaction -------------------------------------------------


def test_a_clash_found_by_the_constraint_leaves_the_outer_transaction_usable(
    hall, tos, asker, monkeypatch
):
    """The events app books inside its own transaction: a refused request (here
    one that got past the check, as in a race) must not break it."""
    book(asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos)
    monkeypatch.setattr("territories.centres.services.rules.Day.taken", lambda *a: None)
    with transaction.atomic():
        field, reason = refused(
            book, asker, hall, at(0, "18:30"), at(0, "19:30"), territory=tos
        )
        assert (field, reason) == (
            "starts_at",
            "зал занят 18:00–19:00 (ТОС «Перекресток»)",
        )
        with connection.cursor() as cursor:  # the transaction still works
            cursor.execute("SELECT count(*) FROM centres_bookingseries")
            assert cursor.fetchone() == (1,)
