"""An event in a resource centre's room (docs/domain.md, "Events"): the room is
booked in the same step (centres.services.bookings, inside the event's
transaction), or an existing booking of the organiser is named; a refusal of
either stores nothing."""

from datetime import timedelta

import pytest

from geo.errors import Refused
from territories.centres.models import Booking
from territories.events import services
from territories.events.models import Event

from .centres_helpers import at, book, centre, room
from .event_signup_helpers import api, chair_of, event_data

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def in_room(hall, start, hours=2, **more):
    data = event_data(
        place_kind="room",
        room=hall.pk,
        starts_at=start.isoformat(),
        ends_at=(start + timedelta(hours=hours)).isoformat(),
        **more,
    )
    del data["lon"], data["lat"]
    return data


@pytest.fixture
def hall(district):
    return room(centre(1), capacity=40)


def test_the_room_is_booked_with_the_event(tos, hall):
    chair = chair_of(tos)
    event = services.create_event(
        in_room(hall, at(2, "18:00"), territory=tos.pk), by=chair
    )
    booking = Booking.objects.get()
    assert event.booking == booking and event.room == hall
    assert booking.state == "requested" and booking.series.territory == tos
    assert (booking.starts_at, booking.ends_at) == (event.starts_at, event.ends_at)
    assert event.geom.equals(hall.centre.geom)


def test_a_refused_booking_rolls_the_event_back(tos, hall):
    chair = chair_of(tos)
    book(chair, hall, at(2, "17:00"), at(2, "21:00"), territory=tos)
    with pytest.raises(Refused) as refused:
        services.create_event(in_room(hall, at(2, "18:00"), territory=tos.pk), by=chair)
    assert refused.value.field == "starts_at"
    assert Event.objects.count() == 0 and Booking.objects.count() == 1


def test_more_places_than_the_room_seats_are_named_as_capacity(tos, hall):
    data = in_room(hall, at(2, "18:00"), territory=tos.pk, capacity=500)
    with pytest.raises(Refused) as refused:
        services.create_event(data, by=chair_of(tos))
    assert refused.value.field == "capacity"
    assert Event.objects.count() == Booking.objects.count() == 0


def test_an_existing_booking_of_the_organiser_is_used(tos, hall):
    chair = chair_of(tos)
    series = book(chair, hall, at(3, "17:00"), at(3, "21:00"), territory=tos)
    booking = series.bookings.get()
    data = in_room(hall, at(3, "18:00"), territory=tos.pk, booking=booking.pk)
    event = services.create_event(data, by=chair)
    assert event.booking == booking and Booking.objects.count() == 1


def test_a_booking_of_another_organiser_or_room_is_refused(tos, other_tos, hall):
    chair = chair_of(tos)
    theirs = book(
        chair_of(other_tos, "other"),
        hall,
        at(4, "17:00"),
        at(4, "21:00"),
        territory=other_tos,
    ).bookings.get()
    with pytest.raises(Refused) as refused:
        services.create_event(
            in_room(hall, at(4, "18:00"), territory=tos.pk, booking=theirs.pk), by=chair
        )
    assert refused.value.field == "booking"
    elsewhere = room(centre(2), name="Зал другого центра")
    with pytest.raises(Refused) as refused:
        services.create_event(
            in_room(elsewhere, at(4, "18:00"), territory=tos.pk, booking=theirs.pk),
            by=chair,
        )
    assert refused.value.field == "booking"
    assert "Ресурсный центр № 1" in str(refused.value)
    assert Event.objects.count() == 0


def test_an_event_outside_its_booking_is_refused(tos, hall):
    chair = chair_of(tos)
    booking = book(chair, hall, at(5, "17:00"), at(5, "19:00"), territory=tos)
    data = in_room(
        hall, at(5, "18:00"), territory=tos.pk, booking=booking.bookings.get().pk
    )
    with pytest.raises(Refused) as refused:
        services.create_event(data, by=chair)
    assert refused.value.field == "booking"


def test_editing_keeps_the_booking_and_cancelling_frees_the_room(tos, hall):
    chair = chair_of(tos)
    data = in_room(hall, at(6, "18:00"), territory=tos.pk)
    event = services.create_event(data, by=chair)
    services.edit_event(event, {**data, "title": "Собрание жильцов"}, by=chair)
    assert Booking.objects.count() == 1
    with pytest.raises(Refused) as refused:
        services.edit_event(event, {"ends_at": at(6, "23:00").isoformat()}, by=chair)
    assert refused.value.field == "ends_at"
    services.cancel_event(event, by=chair)
    assert Booking.objects.get().state == "cancelled"


def test_the_api_and_the_form_book_a_room(client, tos, hall):
    chair = chair_of(tos)
    response = api(chair).post(
        "/api/events/", in_room(hall, at(7, "18:00"), territory=tos.pk), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["booking"] == Booking.objects.get().pk
    clash = api(chair).post(
        "/api/events/", in_room(hall, at(7, "19:00"), territory=tos.pk), format="json"
    )
    assert clash.status_code == 400 and clash.json()["field"] == "starts_at"
    client.force_login(chair)
    form = text(client.get("/events/new/"))
    assert f'<option value="{hall.pk}">Ресурсный центр № 1: Зал для собраний' in form
    assert Event.objects.count() == 1


def test_the_centres_cannot_move_or_cancel_a_booking_an_event_holds(tos, hall):
    """The booking an event holds is moved or cancelled through the event only:
    the centres' own endpoints are refused naming `booking` (a trigger on
    centres_booking, events 0007), and nothing changes."""
    from .centres_helpers import staff_of

    chair = chair_of(tos)
    event = services.create_event(
        in_room(hall, at(2, "18:00"), territory=tos.pk), by=chair
    )
    staff = staff_of(hall.centre)
    url = f"/api/bookings/{event.booking_id}/"
    attempts = [
        api(chair).patch(
            url,
            {
                "starts_at": at(3, "18:00").isoformat(),
                "ends_at": at(3, "20:00").isoformat(),
            },
            format="json",
        ),
        api(chair).post(url + "cancel/", {"reason": "не нужно"}, format="json"),
        api(staff).post(url + "cancel/", {"reason": "ремонт"}, format="json"),
        api(staff).post(url + "decline/", {"reason": "занято"}, format="json"),
        api(chair).post(f"/api/booking-series/{event.booking.series_id}/cancel/"),
    ]
    for answer in attempts:
        assert answer.status_code == 400, answer.content
        assert answer.json()["field"] == "booking"
        assert f"мероприятием «{event.title}»" in answer.json()["error"]
    booking = Booking.objects.get()
    assert booking.state == "requested" and booking.starts_at == at(2, "18:00")
    # A move that still covers the event is fine; cancelling the event frees it.
    wider = api(chair).patch(
        url,
        {
            "starts_at": at(2, "17:00").isoformat(),
            "ends_at": at(2, "21:00").isoformat(),
        },
        format="json",
    )
    assert wider.status_code == 200, wider.content
    services.cancel_event(event, by=chair)
    assert Booking.objects.get().state == "cancelled"


def test_a_closure_cannot_cancel_a_booking_an_event_holds(tos, hall):
    from territories.centres.models import Closure
    from territories.centres.services import closures

    from .centres_helpers import staff_of

    event = services.create_event(
        in_room(hall, at(2, "18:00"), territory=tos.pk), by=chair_of(tos)
    )
    with pytest.raises(Refused) as refused:
        closures.add(
            centre=hall.centre,
            starts_at=at(2, "00:00"),
            ends_at=at(3, "00:00"),
            reason="ремонт",
            by=staff_of(hall.centre),
            cancel_bookings=True,
        )
    assert refused.value.field == "booking"
    assert Closure.objects.count() == 0
    assert Booking.objects.get(pk=event.booking_id).state == "requested"


def test_an_existing_booking_is_checked_against_the_rooms_seats(tos):
    """An event naming an existing booking (or raising its capacity later) may
    not promise more places than the room seats."""
    small = room(centre(2), capacity=10)
    chair = chair_of(tos)
    series = book(chair, small, at(3, "17:00"), at(3, "21:00"), territory=tos)
    data = in_room(
        small,
        at(3, "18:00"),
        territory=tos.pk,
        booking=series.bookings.get().pk,
        registration_required=True,
        capacity=50,
    )
    with pytest.raises(Refused) as refused:
        services.create_event(data, by=chair)
    assert refused.value.field == "capacity"
    assert Event.objects.count() == 0
    data["capacity"] = 8
    event = services.create_event(data, by=chair)
    with pytest.raises(Refused) as refused:
        services.edit_event(event, {"capacity": 11}, by=chair)
    assert refused.value.field == "capacity"
    event.refresh_from_db()
    assert event.capacity == 8
    services.edit_event(event, {"capacity": 10}, by=chair)
    assert series_people(event) == 10


def series_people(event):
    return (
        Booking.objects.select_related("series").get(pk=event.booking_id).series.people
    )
