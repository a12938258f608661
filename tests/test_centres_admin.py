"""The admin of centres: rooms with their equipment, closures through the service,
staff posted with their role."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from territories.accounts.roles import Role, has_role
from territories.centres.models import Booking, CentreStaff, Closure, Room

from .centres_helpers import account, at, book, centre, chair, room

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client = Client()
    client.force_login(user)
    return client


def closure_form(hall, **more):
    return {
        "centre": hall.centre.pk,
        "room": "",
        "starts_at_0": str(at(0, "00:00").date()),
        "starts_at_1": "00:00",
        "ends_at_0": str(at(1, "00:00").date()),
        "ends_at_1": "00:00",
        "reason": "ремонт",
        **more,
    }


def test_a_room_with_its_equipment(admin_client, district):
    made = centre()
    answer = admin_client.post(
        "/admin/centres/room/add/",
        {
            "centre": made.pk,
            "name": "Зал",
            "capacity": "30",
            "equipment": ["projector", "wifi"],
            "accessibility": "",
            "description": "",
        },
    )
    assert answer.status_code == 302
    assert Room.objects.get().equipment == ["projector", "wifi"]
    assert admin_client.get("/admin/centres/room/").status_code == 200


def test_a_closure_over_a_booking_is_refused_until_asked_to_cancel(
    admin_client, district, tos
):
    hall = room(centre())
    booking = book(chair(tos), hall, at(0, "18:00"), at(0, "19:00"), territory=tos)
    answer = admin_client.post("/admin/centres/closure/add/", closure_form(hall))
    assert answer.status_code == 200
    assert "зал занят 18:00–19:00 (ТОС «Перекресток»)" in answer.content.decode()
    assert Closure.objects.count() == 0
    answer = admin_client.post(
        "/admin/centres/closure/add/", closure_form(hall, cancel_bookings="on")
    )
    assert answer.status_code == 302
    assert Closure.objects.count() == 1
    assert Booking.objects.get(series=booking).state == "cancelled"


def test_posting_staff_gives_the_role(admin_client, district):
    made = centre()
    user = account("keeper")
    answer = admin_client.post(
        "/admin/centres/centrestaff/add/", {"centre": made.pk, "user": user.pk}
    )
    assert answer.status_code == 302
    assert CentreStaff.objects.filter(user=user, centre=made).exists()
    user = get_user_model().objects.get(pk=user.pk)
    assert has_role(user, Role.CENTRE_STAFF)


def test_a_refused_closure_is_shown_on_the_form_not_reported_saved(
    admin_client, district
):
    """The service's refusals come up in the form's clean(): a room of another
    centre is named on the form and nothing is stored."""
    hall = room(centre())
    elsewhere = room(centre(2), "Чужой зал")
    answer = admin_client.post(
        "/admin/centres/closure/add/", closure_form(hall, room=elsewhere.pk)
    )
    assert answer.status_code == 200
    assert "зал другого центра" in answer.content.decode()
    assert Closure.objects.count() == 0


def test_a_refusal_of_no_form_field_is_shown_above_the_form(
    admin_client, district, tos
):
    """A booking an event holds is refused naming `booking`, no field of the form:
    the refusal stands above it and nothing is stored."""
    from territories.events import services

    from .event_signup_helpers import chair_of, event_data

    hall = room(centre())
    data = event_data(
        place_kind="room",
        room=hall.pk,
        territory=tos.pk,
        starts_at=at(0, "18:00").isoformat(),
        ends_at=at(0, "19:00").isoformat(),
    )
    del data["lon"], data["lat"]
    services.create_event(data, by=chair_of(tos))
    answer = admin_client.post(
        "/admin/centres/closure/add/", closure_form(hall, cancel_bookings="on")
    )
    assert answer.status_code == 200
    assert "бронь занята мероприятием" in answer.content.decode()
    assert Closure.objects.count() == 0
