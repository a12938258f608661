"""The events REST API (docs/domain.md, "Events"): the calendar's list and its
filters, an event, an organiser's writes, sign-ups without an account, the cancel
link, the organiser's registrations; no personal data in public answers."""

import json
from datetime import timedelta

import pytest

from territories.events.models import Event, EventKind, Registration

from .conftest import utm_point
from .event_signup_helpers import (
    NAME,
    account,
    api,
    chair_of,
    event_data,
    make_event,
    sign_up,
    soon,
)

pytestmark = pytest.mark.django_db
LIST = "/api/events/"


def test_the_list_filters_by_kind_date_and_territory(tos, other_tos):
    ours = make_event(tos, starts_at=soon(days=2))
    theirs = make_event(
        other_tos,
        title="Чистый берег",
        kind=EventKind.objects.get(code="chisty-bereg"),
        starts_at=soon(days=20),
        geom=ours.geom,
    )
    assert api().get(LIST).json()["count"] == 2
    day = (soon(days=10)).date().isoformat()
    assert [e["id"] for e in api().get(f"{LIST}?from={day}").json()["results"]] == [
        theirs.pk
    ]
    assert [e["id"] for e in api().get(f"{LIST}?to={day}").json()["results"]] == [
        ours.pk
    ]
    # Both lie in `tos`'s boundary: they are its events, whoever organises them.
    by_tos = api().get(f"{LIST}?territory={tos.pk}").json()["results"]
    assert len(by_tos) == 2
    assert api().get(f"{LIST}?territory={other_tos.pk}").json()["count"] == 0
    # Outside every TOS, an event is its organiser's.
    astray = make_event(other_tos, geom=utm_point(-5000, -5000))
    by_other = api().get(f"{LIST}?territory={other_tos.pk}").json()["results"]
    assert [e["id"] for e in by_other] == [astray.pk]
    by_kind = api().get(f"{LIST}?kind=chisty-bereg,den-sosedey").json()["results"]
    assert [e["id"] for e in by_kind] == [theirs.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-02-30", "from"),
        ("to=tomorrow", "to"),
        ("from=2026-05-02&to=2026-05-01", "to"),
        ("kind=no-such", "kind"),
        ("territory=999999", "territory"),
        ("territory=x", "territory"),
        ("page=0", "page"),
        ("colour=red", "colour"),
    ],
)
def test_bad_parameters_are_named(tos, query, field):
    response = api().get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_the_list_takes_two_queries_however_long(tos, django_assert_num_queries):
    for n in range(5):
        event = make_event(tos, capacity=5, starts_at=soon(days=n + 1))
        sign_up(event)
    with django_assert_num_queries(2):
        response = api().get(LIST)
    assert response.json()["count"] == 5
    with django_assert_num_queries(3):  # the TOS is read to name a missing one
        api().get(f"{LIST}?territory={tos.pk}")


def test_public_answers_carry_no_personal_data(tos):
    event = make_event(tos, capacity=1)
    sign_up(event, NAME, email="secret.person@example.org")
    sign_up(event, NAME, email="", phone="+79025550123")
    texts = [
        api().get(LIST).content.decode(),
        api().get(f"{LIST}{event.pk}/").content.decode(),
    ]
    for text in texts:
        assert "Сидорчук" not in text and "secret.person" not in text
        assert "5550123" not in text
    detail = json.loads(texts[1])
    assert (detail["registered"], detail["waitlisted"], detail["places_left"]) == (
        1,
        1,
        0,
    )


def test_an_organiser_creates_edits_and_cancels(tos):
    chair = chair_of(tos)
    response = api(chair).post(LIST, event_data(territory=tos.pk), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["organiser"] == {
        "kind": "territory",
        "id": tos.pk,
        "name": "ТОС «Перекресток»",
    }
    url = f"{LIST}{created['id']}/"
    response = api(chair).patch(url, {"capacity": 10}, format="json")
    assert response.status_code == 200 and response.json()["capacity"] == 10
    response = api(chair).post(f"{url}cancel/")
    assert response.status_code == 200 and response.json()["state"] == "cancelled"


def test_writes_need_an_account_and_the_organiser(tos, other_tos):
    assert api().post(LIST, event_data(), format="json").status_code == 401
    chair = chair_of(tos)
    response = api(chair).post(LIST, event_data(territory=other_tos.pk), format="json")
    assert response.status_code == 403 and response.json()["field"] == "organiser"
    event = make_event(other_tos)
    assert api(chair).patch(f"{LIST}{event.pk}/", {}, format="json").status_code == (
        403
    )
    assert api(chair).post(f"{LIST}{event.pk}/cancel/").status_code == 403
    assert Event.objects.get(pk=event.pk).state == "scheduled"


def test_a_refusal_names_the_field(tos):
    chair = chair_of(tos)
    data = event_data(territory=tos.pk, capacity=0)
    response = api(chair).post(LIST, data, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "capacity"


def test_anyone_signs_up_and_cancels_with_the_token(tos):
    event = make_event(tos, capacity=1)
    url = f"{LIST}{event.pk}/registrations/"
    response = api().post(
        url, {"name": "Житель", "email": "ja@example.org"}, format="json"
    )
    assert response.status_code == 201
    answer = response.json()
    assert answer["state"] == "registered"
    assert answer["cancel_url"].endswith(
        f"/events/registrations/{answer['cancel_token']}/cancel/"
    )
    again = api().post(url, {"name": "Ж", "email": "JA@example.org"}, format="json")
    assert again.status_code == 400 and again.json()["field"] == "email"
    response = api().post(
        "/api/registrations/cancel/", {"token": answer["cancel_token"]}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    wrong = api().post("/api/registrations/cancel/", {"token": "x" * 43}, format="json")
    assert wrong.status_code == 404 and wrong.json()["field"] == "token"


def test_sign_ups_are_rate_limited_with_retry_after(tos, settings):
    settings.EVENT_SIGNUPS_HOURLY_PER_CLIENT = 1
    event = make_event(tos)
    url = f"{LIST}{event.pk}/registrations/"
    assert api().post(url, {"name": "A", "phone": "9025550001"}).status_code == 201
    response = api().post(url, {"name": "B", "phone": "9025550002"})
    assert response.status_code == 429 and response.json()["field"] == "rate"
    assert int(response["Retry-After"]) > 0


def test_sign_up_to_an_event_without_registration_is_refused(tos):
    event = make_event(tos, registration_required=False)
    response = api().post(
        f"{LIST}{event.pk}/registrations/", {"name": "A", "phone": "9025550001"}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "registration_required"


def test_only_the_organiser_sees_the_registrations(tos, other_tos):
    event = make_event(tos)
    sign_up(event, NAME, email="secret.person@example.org")
    url = f"{LIST}{event.pk}/registrations/"
    assert api().get(url).status_code == 401
    assert api(chair_of(other_tos, "other")).get(url).status_code == 403
    rows = api(chair_of(tos)).get(url).json()
    assert [(r["name"], r["email"], r["state"]) for r in rows] == [
        (NAME, "secret.person@example.org", "registered")
    ]


def test_kinds_are_listed_and_organisers_add_theirs(tos):
    kinds = api().get(f"{LIST}kinds/").json()
    assert len([k for k in kinds if k["traditional"]]) == 9
    assert {"Укоренись в Ангарске", "Обучение"} <= {k["name"] for k in kinds}
    response = api(chair_of(tos)).post(
        f"{LIST}kinds/", {"name": "Двор без окурков"}, format="json"
    )
    assert response.status_code == 201
    duplicate = api(chair_of(tos)).post(
        f"{LIST}kinds/", {"name": "ДВОР БЕЗ ОКУРКОВ"}, format="json"
    )
    assert duplicate.status_code == 400 and duplicate.json()["field"] == "name"
    resident = account("resident")
    assert (
        api(resident).post(f"{LIST}kinds/", {"name": "x"}, format="json").status_code
        == 403
    )


def test_an_unknown_event_is_404(tos):
    assert api().get(f"{LIST}999999/").status_code == 404
    assert api().get(f"{LIST}abc/").status_code == 404


def test_the_detail_shows_the_results_recorded(tos):
    event = make_event(
        tos,
        starts_at=soon(days=-3),
        ends_at=soon(days=-3) + timedelta(hours=2),
        participants=42,
        outcome="Убрали двор",
    )
    results = api().get(f"{LIST}{event.pk}/").json()["results"]
    assert results["participants"] == 42 and results["outcome"] == "Убрали двор"
    assert Registration.objects.count() == 0
