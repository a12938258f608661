"""Registrants' names, e-mails and phones never reach public output (docs/domain.md,
"Events"): distinctive contacts are planted in registrations (live, waitlisted and
cancelled) of events of every kind and state, and every public output of the
events app is searched for them — the calendar pages, each event's page, the REST
API, the events layer and the map page, the iCalendar files, the Atom feed, the
indicators, the results page (as the public and as the organiser), the results API's
answers and the layer catalogue."""

import json
from datetime import timedelta

import pytest

from territories.events.models import Event, Registration

from .boundary_helpers import api, chair_of
from .event_helpers import (
    REGISTRANT_EMAIL,
    REGISTRANT_NAME,
    REGISTRANT_PHONE,
    event,
    planting_kind,
    registrant,
)
from .report_helpers import lat_lon

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def needles():
    """The contacts as stored and in the forms an output might carry them: the
    e-mail's local part, the phone's digits, the surname; iCalendar folds long
    lines, so the contents are unfolded first."""
    digits = "".join(ch for ch in REGISTRANT_PHONE if ch.isdigit())
    return [
        REGISTRANT_EMAIL,
        REGISTRANT_EMAIL.split("@")[0],
        REGISTRANT_PHONE,
        digits,
        digits[1:],
        REGISTRANT_NAME,
        REGISTRANT_NAME.split()[-1],
    ]


def leaks(text):
    unfolded = text.replace("\r\n ", "").replace("\n ", "")
    # JSON may carry the Cyrillic name as \uXXXX escapes.
    return [n for n in needles() if n in unfolded or json.dumps(n)[1:-1] in unfolded]


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def events_with_registrants(tos):
    chair = chair_of(tos)
    rows = [
        event(tos, title="Прошедший", participants=12, outcome="Итоги"),
        event(tos, title="Будущий", starts=timedelta(days=3)),
        event(tos, title="Отменённый", state=Event.State.CANCELLED),
        event(tos, title="Посадка", of_kind=planting_kind()),
    ]
    for row in rows:
        for state in Registration.State.values:
            registrant(row, state)
    return rows, chair


def test_the_premise_contacts_are_stored(events_with_registrants):
    assert Registration.objects.filter(email=REGISTRANT_EMAIL).count() == 12


def test_no_public_output_carries_a_registrant(client, events_with_registrants, tos):
    rows, chair = events_with_registrants
    urls = [
        "/events.ics",
        f"/events.ics?territory={tos.pk}",
        "/feeds/events.atom",
        f"/feeds/events.atom?territory={tos.pk}",
        "/api/indicators/events/",
        f"/api/indicators/events/?territory={tos.pk}",
        "/api/layers/",
        "/api/layers/trees/",
        "/api/layers/events/",
        "/",
        "/events/",
        "/events/?view=list&from=2000-01-01",
        f"/events/?territory={tos.pk}",
        "/api/events/",
        "/api/events/?from=2000-01-01",
        "/api/events/kinds/",
        *(f"/events/{row.pk}.ics" for row in rows),
        *(f"/events/{row.pk}/results/" for row in rows),
        *(f"/events/{row.pk}/" for row in rows),
        *(f"/api/events/{row.pk}/" for row in rows),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert leaks(body(response)) == [], url


def test_the_organiser_sees_no_contacts_on_the_results_page_either(
    client, events_with_registrants
):
    rows, chair = events_with_registrants
    client.force_login(chair)
    for row in rows:
        response = client.get(f"/events/{row.pk}/results/")
        assert leaks(body(response)) == [], row.title


def test_the_results_api_answers_carry_no_contacts(events_with_registrants):
    rows, chair = events_with_registrants
    past, _future, _cancelled, drive = rows
    lat, lon = lat_lon(20, 20)
    answers = [
        api(chair).post(
            f"/api/events/{past.pk}/results/", {"participants": 5}, format="json"
        ),
        api(chair).post(
            f"/api/events/{drive.pk}/trees/",
            [{"lon": lon, "lat": lat, "species": "ель"}],
            format="json",
        ),
    ]
    for response in answers:
        assert response.status_code == 200, response.content
        assert leaks(body(response)) == []


def test_the_scan_finds_a_planted_leak():
    """The scan itself can fail: a contact in any of its forms is found."""
    assert leaks(f"ORGANIZER;CN={REGISTRANT_NAME}:x") != []
    assert leaks(json.dumps({"x": REGISTRANT_NAME})) != []
    assert leaks("tel 79145557319") != []
    assert leaks("mail evlampiya.pryakhina.zz at example") != []


def test_another_initiative_member_reaches_no_group_events_registrants(client):
    """An event of a group by name is managed by the account that created it (and
    specialists): another initiative member, signed in, reads no registrant and
    cancels, edits or records nothing (docs/domain.md, "Organisers")."""
    from territories.accounts.roles import Role

    from .boundary_helpers import account

    creator = account("group-creator", Role.INITIATIVE)
    other = account("other-group", Role.INITIATIVE)
    past = event(group_name="Соседи", created_by=creator, title="Прошло")
    ahead = event(group_name="Соседи", created_by=creator, starts=timedelta(days=3))
    for row in (past, ahead):
        registrant(row)
    client.force_login(other)
    for row in (past, ahead):
        for url in (
            f"/api/events/{row.pk}/registrations/",
            f"/events/{row.pk}/registrations/",
        ):
            response = client.get(url)
            assert response.status_code in (403, 404), url
            assert leaks(body(response)) == [], url
    assert api(other).post(f"/api/events/{ahead.pk}/cancel/").status_code == 403
    answer = api(other).patch(
        f"/api/events/{ahead.pk}/", {"title": "Чужое"}, format="json"
    )
    assert answer.status_code == 403
    answer = api(other).post(
        f"/api/events/{past.pk}/results/", {"participants": 5}, format="json"
    )
    assert answer.status_code == 403
    ahead.refresh_from_db()
    past.refresh_from_db()
    assert ahead.state == Event.State.SCHEDULED and ahead.title != "Чужое"
    assert past.recorded_at is None
    # The creator still manages both.
    response = api(creator).get(f"/api/events/{ahead.pk}/registrations/")
    assert response.status_code == 200
    assert REGISTRANT_EMAIL in body(response)
