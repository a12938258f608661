"""Creating, editing and cancelling events (docs/domain.md, "Events"): who may,
where, when; every refusal names its field and stores nothing."""

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point

from geo.errors import Forbidden, Refused
from territories.accounts import roles
from territories.events import services
from territories.events.models import Event, EventKind, Registration
from territories.registry.models import Council

from .event_signup_helpers import (
    account,
    chair_of,
    event_data,
    iso,
    make_event,
    make_ground,
    make_yard,
    sign_up,
    soon,
    specialist,
    states,
)
from .jobs import jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(tos):
    return chair_of(tos)


def test_a_chair_creates_an_event_of_their_tos_at_a_point(tos, chair):
    data = event_data(territory=tos.pk)
    event = services.create_event(data, by=chair)
    assert event.territory == tos and event.created_by == chair
    assert event.state == "scheduled" and event.capacity == 3
    # The point came in as lon/lat and is stored in GIS_SRID, where it was given.
    assert event.geom.srid == 32648
    given = Point(data["lon"], data["lat"], srid=4326).transform(32648, clone=True)
    assert event.geom.distance(given) < 0.01
    assert Event.objects.get().kind.code == "chisty-dvorik"


def test_a_yard_or_ground_gets_a_point_on_its_surface(tos, chair):
    yard, ground = make_yard(0, 0), make_ground(300, 300)
    for kind, place in (("yard", yard), ("ground", ground)):
        data = event_data(territory=tos.pk, place_kind=kind, **{kind: place.pk})
        del data["lon"], data["lat"]
        event = services.create_event(data, by=chair)
        assert getattr(event, kind) == place
        assert place.geom.covers(event.geom)


REFUSALS = [
    ({"ends_at": "start"}, "ends_at"),
    ({"starts_at": "past"}, "starts_at"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": -2}, "capacity"),
    ({"capacity": "много"}, "capacity"),
    ({"kind": "no-such-kind"}, "kind"),
    ({"place_kind": "moon"}, "place_kind"),
    ({"place_kind": "yard"}, "yard"),
    ({"place_kind": "point", "yard": 1}, "yard"),
    ({"lat": None}, "lat"),
    ({"lat": 10.0, "lon": 10.0}, "lat"),  # far outside UTM 48N
    ({"lon": 104.5}, "lat"),  # in the zone, outside the district
    ({"title": "x" * 201}, "title"),
    ({"title": "  "}, "title"),
    ({"description": "д" * 4001}, "description"),
    ({"address": "a\x00b"}, "address"),
    ({"registration_required": False}, "capacity"),
    ({"surprise": 1}, "surprise"),
    ({"starts_at": "2026-13-45T10:00"}, "starts_at"),
]


@pytest.mark.parametrize(("change", "field"), REFUSALS)
def test_each_refusal_names_its_field_and_stores_nothing(tos, chair, change, field):
    data = event_data(territory=tos.pk, **change)
    if change.get("ends_at") == "start":
        data["ends_at"] = data["starts_at"]
    if change.get("starts_at") == "past":
        data["starts_at"] = iso(soon(days=-1))
    with pytest.raises(Refused) as refused:
        services.create_event(data, by=chair)
    assert refused.value.field == field
    assert Event.objects.count() == 0


def test_an_organiser_one_may_not_act_for_is_forbidden(tos, other_tos, chair):
    with pytest.raises(Forbidden) as refused:
        services.create_event(event_data(territory=other_tos.pk), by=chair)
    assert refused.value.field == "organiser"
    resident = account("resident", roles.Role.RESIDENT)
    with pytest.raises(Forbidden):
        services.create_event(event_data(group_name="Соседи"), by=resident)
    assert Event.objects.count() == 0


def test_exactly_one_organiser(tos, chair):
    with pytest.raises(Refused) as refused:
        services.create_event(
            event_data(territory=tos.pk, group_name="Соседи"), by=chair
        )
    assert refused.value.field == "organiser"


def test_a_specialist_organises_for_any_council(tos):
    council = Council.objects.create(name="Совет дома 5")
    event = services.create_event(event_data(council=council.pk), by=specialist())
    assert event.council == council


def test_organisers_add_their_own_kind_unique_whatever_the_case(tos, chair):
    kind = services.create_kind("  Субботник на набережной ", by=chair)
    assert kind.name == "Субботник на набережной" and kind.created_by == chair
    with pytest.raises(Refused) as refused:
        services.create_kind("СУББОТНИК НА НАБЕРЕЖНОЙ", by=chair)
    assert refused.value.field == "name"
    with pytest.raises(Refused):
        services.create_kind("чистый дворик", by=chair)  # a seeded one
    with pytest.raises(Forbidden):
        services.create_kind("Моё", by=account("someone"))
    assert EventKind.objects.filter(created_by=chair).count() == 1


def test_capacity_below_the_registered_is_refused(tos, chair):
    event = make_event(tos, capacity=3)
    sign_up(event), sign_up(event)
    with pytest.raises(Refused) as refused:
        services.edit_event(event, {"capacity": 1}, by=chair)
    assert refused.value.field == "capacity"
    event.refresh_from_db()
    assert event.capacity == 3


def test_more_places_let_the_first_waitlisted_in(tos, chair):
    event = make_event(tos, capacity=1)
    for _n in range(3):
        sign_up(event)
    assert states(event) == ["registered", "waitlisted", "waitlisted"]
    services.edit_event(event, {"capacity": 2}, by=chair)
    assert states(event) == ["registered", "registered", "waitlisted"]
    assert jobs("events.mail_promoted").count() == 1


def test_an_edit_checks_the_new_times_against_the_stored_ones(tos, chair):
    event = make_event(tos)
    with pytest.raises(Refused) as refused:
        services.edit_event(
            event, {"ends_at": iso(event.starts_at - timedelta(hours=1))}, by=chair
        )
    assert refused.value.field == "ends_at"
    services.edit_event(event, {"title": "Выходи гулять! (перенесено)"}, by=chair)
    event.refresh_from_db()
    assert event.title.endswith("(перенесено)")


def test_someone_else_cannot_edit_or_cancel(tos, other_tos, chair):
    event = make_event(other_tos)
    with pytest.raises(Forbidden):
        services.edit_event(event, {"title": "чужое"}, by=chair)
    with pytest.raises(Forbidden):
        services.cancel_event(event, by=chair)


def test_cancelling_tells_everyone_signed_up_with_an_email(tos, chair):
    event = make_event(tos, capacity=1)
    sign_up(event), sign_up(event, email="", phone="+79025550101")
    sign_up(event)  # waitlisted
    services.cancel_event(event, by=chair)
    event.refresh_from_db()
    assert event.state == "cancelled"
    told = [job.args["registration_id"] for job in jobs("events.mail_event_cancelled")]
    with_email = Registration.objects.filter(event=event).exclude(email="")
    assert sorted(told) == sorted(with_email.values_list("pk", flat=True))
    with pytest.raises(Refused) as refused:
        services.cancel_event(event, by=chair)
    assert refused.value.field == "state"
    with pytest.raises(Refused):
        services.edit_event(event, {"title": "снова"}, by=chair)


def test_a_started_or_recorded_event_is_neither_cancelled_nor_moved(tos, chair):
    """Once it has started, or its results are recorded, an event keeps its times
    and is not cancelled (refused naming `state`); other fields may still change."""
    from django.utils import timezone

    now = timezone.now()
    running = make_event(
        tos, starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=2)
    )
    recorded = make_event(tos, recorded_at=now)
    for event in (running, recorded):
        for change in (
            {
                "starts_at": iso(event.starts_at + timedelta(hours=3)),
                "ends_at": iso(event.ends_at + timedelta(hours=3)),
            },
            {"ends_at": iso(event.ends_at + timedelta(hours=1))},
        ):
            with pytest.raises(Refused) as refused:
                services.edit_event(event, change, by=chair)
            assert refused.value.field == "state", change
        with pytest.raises(Refused) as refused:
            services.cancel_event(event, by=chair)
        assert refused.value.field == "state"
        services.edit_event(event, {"title": "Выходи гулять! (итоги)"}, by=chair)
        stored = Event.objects.get(pk=event.pk)
        assert stored.state == "scheduled"
        assert (stored.starts_at, stored.ends_at) == (event.starts_at, event.ends_at)


def test_a_new_start_resets_the_reminders_and_tells_the_registrants(tos, chair):
    """Moved, an event is announced again: the live registrants with an e-mail get
    a «перенесено» mail, and the reminder goes again before the new start."""
    from django.utils import timezone

    event = make_event(tos, capacity=1)
    first = sign_up(event).registration
    by_phone = sign_up(event, email="", phone="+79025550101").registration
    gone = sign_up(event, email="gone@example.org").registration
    Registration.objects.filter(pk=gone.pk).update(state="cancelled")
    Registration.objects.update(reminded_at=timezone.now())
    services.edit_event(event, {"title": "Выходи гулять!!"}, by=chair)
    assert jobs("events.mail_event_moved").count() == 0
    services.edit_event(
        event,
        {
            "starts_at": iso(event.starts_at + timedelta(days=1)),
            "ends_at": iso(event.ends_at + timedelta(days=1)),
        },
        by=chair,
    )
    told = [job.args["registration_id"] for job in jobs("events.mail_event_moved")]
    assert told == [first.pk]
    reminded = dict(Registration.objects.values_list("pk", "reminded_at"))
    assert reminded[first.pk] is None and reminded[by_phone.pk] is None
    assert reminded[gone.pk] is not None
