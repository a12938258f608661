"""The results page (`/events/<id>/results/`): everyone sees what was recorded; the
form is offered to whoever may record, and its refusals name the field. The map's
script and the feeds' links are in the page's head."""

from datetime import timedelta

import pytest

from territories.events.models import Event, EventPhoto

from .boundary_helpers import chair_of
from .event_helpers import event, planting_kind, resident
from .report_helpers import image_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def page(pk):
    return f"/events/{pk}/results/"


def test_the_public_sees_the_results_without_the_form(client, tos):
    row = event(tos, participants=31, outcome="Покрасили забор")
    response = client.get(page(row.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert "31 участник" in text and "Покрасили забор" in text
    assert 'name="participants"' not in text
    assert "/feeds/events.atom" in text and f"/events/{row.pk}.ics" in text


def test_the_organiser_records_through_the_form(client, tos):
    chair = chair_of(tos)
    row = event(tos)
    client.force_login(chair)
    form = client.get(page(row.pk)).content.decode()
    assert 'name="participants"' in form
    response = client.post(
        page(row.pk),
        {
            "participants": "18",
            "outcome": "Высадили цветы",
            "photos": [upload(image_bytes(), "a.jpg")],
        },
    )
    assert response.status_code == 302
    stored = Event.objects.get(pk=row.pk)
    assert (stored.participants, stored.outcome) == (18, "Высадили цветы")
    assert EventPhoto.objects.filter(event=row).count() == 1
    assert "Итоги сохранены" in client.get(page(row.pk)).content.decode()


def test_a_refusal_names_the_field(client, tos):
    client.force_login(chair_of(tos))
    row = event(tos)
    response = client.post(page(row.pk), {"participants": "-3", "outcome": "x"})
    assert response.status_code == 400
    assert 'data-field="participants"' in response.content.decode()
    assert Event.objects.get(pk=row.pk).participants is None


def test_a_refused_photo_stores_nothing_of_the_form(client, tos):
    """The figures and the photos of one form are one transaction: a file that is
    no image leaves the participants and the outcome as they were."""
    chair = chair_of(tos)
    row = event(tos)
    client.force_login(chair)
    response = client.post(
        page(row.pk),
        {
            "participants": "18",
            "outcome": "Высадили цветы",
            "photos": [upload(b"not an image at all", "a.jpg")],
        },
    )
    assert response.status_code == 400
    stored = Event.objects.get(pk=row.pk)
    assert (stored.participants, stored.outcome, stored.recorded_at) == (None, "", None)
    assert EventPhoto.objects.count() == 0


def test_someone_else_gets_403(client, tos):
    client.force_login(resident())
    row = event(tos)
    response = client.post(page(row.pk), {"participants": "3"})
    assert response.status_code == 403
    assert Event.objects.get(pk=row.pk).participants is None


def test_the_map_only_at_planting_drives(client, tos):
    client.force_login(chair_of(tos))
    drive = event(tos, of_kind=planting_kind())
    walk = event(tos)
    assert "trees-map" in client.get(page(drive.pk)).content.decode()
    assert "trees-map" not in client.get(page(walk.pk)).content.decode()


def test_no_form_before_the_start(client, tos):
    client.force_login(chair_of(tos))
    coming = event(tos, starts=timedelta(days=1))
    assert 'name="participants"' not in client.get(page(coming.pk)).content.decode()


def test_unknown_event(client, district):
    assert client.get(page(999_999)).status_code == 404
