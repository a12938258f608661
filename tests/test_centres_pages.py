"""The centres' pages: they render, the week grid shows bookings and closures, the
request form and the staff's buttons work through the services, and no public page
shows the person who asked."""

import pytest
from django.test import Client

from territories.accounts import roles
from territories.centres.models import Booking, Closure

from .centres_helpers import account, at, book, centre, chair, monday, room, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(district):
    return room(centre(), equipment=["projector"], accessibility="пандус со двора")


@pytest.fixture
def asker(tos):
    user = chair(tos, "chair-person")
    user.email = "chair.person@example.org"
    user.save()
    return user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def week_param():
    year, number, _ = monday().isocalendar()
    return f"{year}-W{number:02d}"


def test_the_list_and_a_centre(hall):
    Closure.objects.create(
        centre=hall.centre,
        starts_at=at(2, "00:00"),
        ends_at=at(3, "00:00"),
        reason="санитарный день",
    )
    page = Client().get("/centres/").content.decode()
    assert "Ресурсный центр № 1" in page and f"/centres/rooms/{hall.pk}/" in page
    page = Client().get(f"/centres/{hall.centre.pk}/").content.decode()
    assert "проектор" in page and "пандус со двора" in page
    assert "санитарный день" in page and f"/centres/{hall.centre.pk}.ics" in page


def test_the_week_grid_shows_the_booking_and_no_person(hall, tos, asker):
    book(asker, hall, at(0, "18:00"), at(0, "19:30"), territory=tos, title="Совет дома")
    Closure.objects.create(
        centre=hall.centre,
        starts_at=at(2, "00:00"),
        ends_at=at(3, "00:00"),
        reason="санитарный день",
    )
    answer = Client().get(f"/centres/rooms/{hall.pk}/", {"week": week_param()})
    page = answer.content.decode()
    assert answer.status_code == 200
    assert page.count("Совет дома") == 1 and "ТОС «Перекресток»" in page
    assert page.count('<td class="slot-busy state-requested"') == 3  # 18:00–19:30
    assert "санитарный день" in page
    assert "chair-person" not in page and "chair.person@example.org" not in page
    assert "Забронировать зал" not in page  # anonymous: sign in first


@pytest.mark.parametrize("week", ["x", "2026-W99", "99999-W01"])
def test_a_bad_week_is_named_and_this_week_shown(hall, week):
    response = Client().get(f"/centres/rooms/{hall.pk}/", {"week": week})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert">week: ' in page and 'class="centres-grid"' in page


def test_the_form_books_and_a_refusal_is_shown_by_the_form(hall, tos, asker):
    client = signed_in(asker)
    page = client.get(f"/centres/rooms/{hall.pk}/").content.decode()
    assert f'value="territory:{tos.pk}"' in page
    form = {
        "date": str(monday()),
        "start": "18:00",
        "end": "19:00",
        "title": "Собрание",
        "organiser": f"territory:{tos.pk}",
        "people": "50",
        "repeat": "none",
    }
    refused = client.post(f"/centres/rooms/{hall.pk}/book/", form)
    assert refused.status_code == 400
    assert "Участников: в зале «Зал для собраний» 40 мест" in refused.content.decode()
    assert Booking.objects.count() == 0
    answer = client.post(
        f"/centres/rooms/{hall.pk}/book/", {**form, "people": "20"}, follow=True
    )
    assert "Заявка отправлена" in answer.content.decode()
    assert Booking.objects.get().starts_at == at(0, "18:00")


def test_a_resident_sees_no_form_and_cannot_post(hall, tos):
    resident = account("resident", roles.Role.RESIDENT)
    client = signed_in(resident)
    assert (
        "Отправить заявку"
        not in client.get(f"/centres/rooms/{hall.pk}/").content.decode()
    )
    answer = client.post(
        f"/centres/rooms/{hall.pk}/book/",
        {
            "date": str(monday()),
            "start": "10:00",
            "end": "11:00",
            "title": "x",
            "organiser": "group",
            "group_name": "Соседи",
        },
    )
    assert (
        answer.status_code == 400
        and "бронировать залы могут" in answer.content.decode()
    )
    assert Booking.objects.count() == 0


def test_the_staff_accept_from_the_queue(hall, tos, asker):
    booking = book(
        asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos
    ).bookings.get()
    staff = signed_in(staff_of(hall.centre))
    page = staff.get("/centres/queue/").content.decode()
    assert "chair-person" in page  # the staff see who asked
    answer = staff.post(
        f"/centres/bookings/{booking.pk}/accept/", {"back": "queue"}, follow=True
    )
    assert "Бронь подтверждена." in answer.content.decode()
    booking.refresh_from_db()
    assert booking.state == "accepted"
    assert signed_in(asker).get("/centres/queue/").status_code == 403


def test_a_refused_step_is_a_flash_message(hall, tos, asker):
    booking = book(
        asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos
    ).bookings.get()
    answer = signed_in(asker).post(
        f"/centres/bookings/{booking.pk}/accept/", follow=True
    )
    assert (
        "решения по заявкам принимают сотрудники этого центра"
        in answer.content.decode()
    )


def test_my_bookings_and_cancel(hall, tos, asker):
    booking = book(
        asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos
    ).bookings.get()
    client = signed_in(asker)
    assert "Собрание" in client.get("/centres/bookings/").content.decode()
    client.post(f"/centres/bookings/{booking.pk}/cancel/")
    booking.refresh_from_db()
    assert booking.state == "cancelled"
    assert Client().get("/centres/bookings/").status_code == 302  # sign in first


@pytest.mark.parametrize(
    "change, shown",
    [
        ({"date": "2027-02-30"}, "Начало"),
        ({"organiser": "", "group_name": "Соседи\x00"}, "Инициативная группа"),
    ],
)
def test_an_impossible_date_or_text_is_named_not_a_500(hall, tos, change, shown):
    client = signed_in(account("group-member", roles.Role.INITIATIVE))
    form = {
        "date": str(monday()),
        "start": "18:00",
        "end": "19:00",
        "title": "Собрание",
        "organiser": f"territory:{tos.pk}",
        "repeat": "none",
        **change,
    }
    refused = client.post(f"/centres/rooms/{hall.pk}/book/", form)
    assert refused.status_code == 400
    assert f"{shown}:" in refused.content.decode()
    assert Booking.objects.count() == 0


@pytest.mark.parametrize("name", ["Соседи\x00", "Соседи\ud800"])
def test_a_group_name_that_cannot_be_stored_is_a_400(hall, name):
    import json

    from .centres_helpers import api

    # Escaped: the JSON body carries "\ud800" as a JSON string may.
    answer = api(account("group-member", roles.Role.INITIATIVE)).post(
        "/api/bookings/",
        json.dumps(
            {
                "room": hall.pk,
                "starts_at": at(0, "18:00").isoformat(),
                "ends_at": at(0, "19:00").isoformat(),
                "title": "Собрание",
                "group_name": name,
            }
        ),
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == "group_name"
    assert Booking.objects.count() == 0


def test_the_centres_staff_add_a_closure_on_its_page(hall, tos, asker):
    staff = staff_of(hall.centre)
    page = f"/centres/{hall.centre_id}/"
    assert 'name="reason"' not in signed_in(asker).get(page).content.decode()
    client = signed_in(staff)
    assert 'name="reason"' in client.get(page).content.decode()
    book(asker, hall, at(0, "18:00"), at(0, "19:00"), territory=tos)
    form = {
        "date_from": str(at(0, "00:00").date()),
        "time_from": "00:00",
        "date_to": str(at(1, "00:00").date()),
        "time_to": "00:00",
        "room": "",
        "reason": "ремонт крыши",
    }
    refused = client.post(f"{page}closures/", form)
    assert refused.status_code == 400
    assert "на это время есть брони" in refused.content.decode()
    assert Closure.objects.count() == 0
    bad = client.post(f"{page}closures/", {**form, "date_to": "2027-02-30"})
    assert bad.status_code == 400 and Closure.objects.count() == 0
    done = client.post(
        f"{page}closures/", {**form, "cancel_bookings": "on"}, follow=True
    )
    assert "ремонт крыши" in done.content.decode()
    assert Closure.objects.get().reason == "ремонт крыши"
    assert Booking.objects.get().state == "cancelled"
    assert signed_in(asker).post(f"{page}closures/", form).status_code == 403
