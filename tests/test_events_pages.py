"""The events' pages (docs/domain.md, "Events"): the calendar, an event's page with
the sign-up form and the cancel link shown once, the cancel link's page, the
organiser's form and registrations list."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from territories.events.models import Event, EventKind, Registration

from .event_signup_helpers import (
    NAME,
    account,
    chair_of,
    lon_lat,
    make_event,
    make_yard,
    sign_up,
    soon,
)

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_month_shows_each_event_on_its_day(client, tos):
    start = timezone.localtime(soon(days=1)).replace(hour=18, minute=30)
    event = make_event(tos, title="День соседей во дворе", starts_at=start)
    month = start.strftime("%Y-%m")
    page = text(client.get(f"/events/?month={month}"))
    assert "День соседей во дворе" in page and f"/events/{event.pk}/" in page
    assert "18:30" in page
    other_month = (start + timedelta(days=62)).strftime("%Y-%m")
    assert "День соседей во дворе" not in text(
        client.get(f"/events/?month={other_month}")
    )


@pytest.mark.parametrize("month", ["2026-13", "99999-01", "май"])
def test_a_bad_month_is_named_and_shows_no_events(client, tos, month):
    make_event(tos, title="Гуляем")
    response = client.get("/events/", {"month": month})
    assert response.status_code == 400
    assert "month: ожидается месяц ГГГГ-ММ" in text(response)
    assert "Гуляем" not in text(response)


def test_the_list_filters_by_kind_and_refuses_a_bad_territory(client, tos):
    make_event(tos, title="Гуляем")
    make_event(tos, title="Убираем", kind=EventKind.objects.get(code="chisty-dvorik"))
    page = text(client.get("/events/?view=list&kind=chisty-dvorik"))
    assert "Убираем" in page and "Гуляем" not in page
    response = client.get("/events/?view=list&territory=999999")
    assert response.status_code == 400 and "999999" in text(response)


def test_the_event_page_shows_places_and_no_personal_data(client, tos):
    event = make_event(tos, capacity=2)
    sign_up(event, NAME, email="hidden.person@example.org")
    page = text(client.get(f"/events/{event.pk}/"))
    assert "ТОС «Перекресток»" in page
    assert "свободно 1 из 2" in page
    assert "Сидорчук" not in page and "hidden.person" not in page
    assert 'id="event-map"' in page and 'id="event-config"' in page


def test_signing_up_shows_the_cancel_link_once(client, tos):
    event = make_event(tos, capacity=1)
    response = client.post(
        f"/events/{event.pk}/register/",
        {"name": "Житель", "email": "ja@example.org", "phone": ""},
    )
    assert response.status_code == 201
    link = re.search(r"/events/registrations/([\w-]+)/cancel/", text(response))
    assert link is not None
    assert link.group(1) not in text(client.get(f"/events/{event.pk}/"))
    confirm = client.get(link.group(0))
    assert confirm.status_code == 200 and "Отменить запись" in text(confirm)
    done = client.post(link.group(0))
    assert "Запись отменена" in text(done)
    assert Registration.objects.get().state == "cancelled"


def test_a_refused_sign_up_is_named_next_to_its_field(client, tos):
    event = make_event(tos)
    response = client.post(
        f"/events/{event.pk}/register/", {"name": "Житель", "phone": "123"}
    )
    assert response.status_code == 400
    assert 'data-error-for="phone"' in text(response)
    assert Registration.objects.count() == 0


def test_an_unknown_cancel_link_is_404(client):
    assert client.get("/events/registrations/" + "x" * 43 + "/cancel/").status_code == (
        404
    )


def test_the_organisers_form_creates_an_event(client, tos):
    chair = chair_of(tos)
    client.force_login(chair)
    assert client.get("/events/new/").status_code == 200
    lon, lat = lon_lat()
    start = soon(days=5)
    form = {
        "title": "Цветной дворик",
        "kind": "tsvetnoy-dvorik",
        "organiser": f"territory:{tos.pk}",
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=3)),
        "place_kind": "point",
        "lon": lon,
        "lat": lat,
        "capacity": "",
        "registration_required": "on",
    }
    response = client.post("/events/new/", form)
    event = Event.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/events/{event.pk}/"
    )
    assert event.territory == tos and event.registration_required

    yard = make_yard()
    edit = {**form, "place_kind": "yard", "yard": str(yard.pk), "capacity": "0"}
    response = client.post(f"/events/{event.pk}/edit/", edit)
    assert response.status_code == 400 and 'data-error-for="capacity"' in text(response)
    edit["capacity"] = "12"
    assert client.post(f"/events/{event.pk}/edit/", edit).status_code == 302
    event.refresh_from_db()
    assert (event.place_kind, event.yard, event.capacity) == ("yard", yard, 12)


def test_the_form_names_a_missing_point(client, tos):
    client.force_login(chair_of(tos))
    start = soon(days=5)
    response = client.post(
        "/events/new/",
        {
            "title": "Без места",
            "kind": "den-sosedey",
            "organiser": f"territory:{tos.pk}",
            "starts_at": local(start),
            "ends_at": local(start + timedelta(hours=1)),
            "place_kind": "point",
        },
    )
    assert response.status_code == 400 and 'data-error-for="lat"' in text(response)
    assert Event.objects.count() == 0


def test_residents_cannot_organise(client, tos):
    assert client.get("/events/new/").status_code == 302  # to sign in
    client.force_login(account("resident"))
    assert client.get("/events/new/").status_code == 403


def test_only_the_organiser_sees_the_registrations_and_cancels(client, tos, other_tos):
    event = make_event(tos)
    sign_up(event, NAME, email="hidden.person@example.org")
    client.force_login(chair_of(other_tos, "other"))
    assert client.get(f"/events/{event.pk}/registrations/").status_code == 403
    assert client.post(f"/events/{event.pk}/cancel/").status_code == 403
    client.force_login(chair_of(tos))
    page = text(client.get(f"/events/{event.pk}/registrations/"))
    assert NAME in page and "hidden.person@example.org" in page
    client.post(f"/events/{event.pk}/cancel/")
    event.refresh_from_db()
    assert event.state == "cancelled"
    assert "Мероприятие отменено" in text(client.get(f"/events/{event.pk}/"))


def test_afterwards_the_page_shows_the_results(client, tos):
    event = make_event(
        tos,
        starts_at=soon(days=-2),
        ends_at=soon(days=-2) + timedelta(hours=2),
        participants=37,
        outcome="Посадили клумбу",
    )
    page = text(client.get(f"/events/{event.pk}/"))
    assert "Итоги" in page and "37" in page and "Посадили клумбу" in page
    assert 'action="/events/' not in page  # no sign-up form


def test_the_pages_speak_english(client, tos):
    event = make_event(tos)
    client.cookies["django_language"] = "en"
    page = text(client.get(f"/events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Organiser" in page and "Sign up" in page
