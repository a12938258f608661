"""Signing up without an account, the waitlist, the cancel link
(docs/domain.md, "Events"); the database's guard of capacity."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from geo.errors import NotFound, RateLimited, Refused
from territories.events import services
from territories.events.models import Registration
from territories.events.services.registration import normal_phone, token_for

from .event_signup_helpers import make_event, resident, sign_up, soon, states
from .jobs import jobs

pytestmark = pytest.mark.django_db


def test_a_full_event_puts_newcomers_on_the_waitlist(tos):
    event = make_event(tos, capacity=2)
    signups = [sign_up(event) for _n in range(4)]
    assert [s.registration.state for s in signups] == [
        "registered",
        "registered",
        "waitlisted",
        "waitlisted",
    ]


def test_no_capacity_means_no_limit(tos):
    event = make_event(tos, capacity=None)
    for _n in range(5):
        sign_up(event)
    assert set(states(event)) == {"registered"}


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("+7 (902) 555-01-99", "+79025550199"),
        ("8 902 555 01 99", "+79025550199"),
        ("79025550199", "+79025550199"),
        ("9025550199", "+79025550199"),
    ],
)
def test_phones_are_normalised(raw, normal):
    assert normal_phone(raw) == normal


@pytest.mark.parametrize("raw", ["12345", "+1 202 555 0199", "+7 ٩٠٢ 555 01 99"])
def test_other_phones_are_refused(raw):
    with pytest.raises(Refused) as refused:
        normal_phone(raw)
    assert refused.value.field == "phone"


def test_the_same_email_or_phone_twice_is_refused_naming_it(tos):
    event = make_event(tos)
    sign_up(event, email="Neighbour@Example.org")
    with pytest.raises(Refused) as refused:
        sign_up(event, email="neighbour@example.ORG")
    assert refused.value.field == "email"
    sign_up(event, email="", phone="8 (902) 555-01-99")
    with pytest.raises(Refused) as refused:
        sign_up(event, email="other@example.org", phone="+79025550199")
    assert refused.value.field == "phone"
    assert Registration.objects.filter(event=event).count() == 2
    assert Registration.objects.first().email == "neighbour@example.org"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "a@example.org"}, "name"),
        ({"name": "Житель"}, "email"),
        ({"name": "Житель", "email": "не адрес"}, "email"),
        ({"name": "Ж" * 201, "email": "a@example.org"}, "name"),
        ({"name": "Житель", "phone": "01"}, "phone"),
    ],
)
def test_a_sign_up_needs_a_name_and_a_contact(tos, data, field):
    event = make_event(tos)
    with pytest.raises(Refused) as refused:
        services.register(event, data, by=resident())
    assert refused.value.field == field
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"state": "cancelled"}, "state"),
        ({"starts_at": soon(days=-1)}, "starts_at"),
        ({"registration_required": False}, "registration_required"),
    ],
)
def test_no_sign_up_when_cancelled_started_or_not_needed(tos, fields, field):
    if "starts_at" in fields:
        fields["ends_at"] = soon(days=1)
    event = make_event(tos, **fields)
    with pytest.raises(Refused) as refused:
        sign_up(event)
    assert refused.value.field == field
    assert Registration.objects.count() == 0


def test_the_cancel_link_frees_a_place_for_the_first_waitlisted(tos):
    event = make_event(tos, capacity=1)
    first, second, third = (sign_up(event) for _n in range(3))
    cancelled = services.cancel_registration(first.token)
    assert cancelled.state == "cancelled"
    assert states(event) == ["cancelled", "registered", "waitlisted"]
    promoted = jobs("events.mail_promoted")
    assert [j.args["registration_id"] for j in promoted] == [second.registration.pk]
    with pytest.raises(Refused) as refused:
        services.cancel_registration(first.token)
    assert refused.value.field == "token"
    # A waitlisted person leaving frees nothing.
    services.cancel_registration(third.token)
    assert states(event) == ["cancelled", "registered", "cancelled"]


def test_after_cancelling_the_same_contact_may_sign_up_again(tos):
    event = make_event(tos)
    signup = sign_up(event, email="again@example.org")
    services.cancel_registration(signup.token)
    assert sign_up(event, email="again@example.org").registration.state == (
        "registered"
    )


@pytest.mark.parametrize("token", ["", "short", "x" * 43, None, "../../etc"])
def test_a_wrong_token_is_not_found(tos, token):
    event = make_event(tos)
    sign_up(event)
    with pytest.raises(NotFound) as refused:
        services.cancel_registration(token)
    assert refused.value.field == "token"


def test_the_token_is_stored_nowhere_in_clear(tos):
    event = make_event(tos)
    signup = sign_up(event)
    row = Registration.objects.filter(pk=signup.registration.pk).values().get()
    assert signup.token not in str(row)
    assert token_for(row["token_salt"]) == signup.token
    # The mail job derives the link again: only the id is in its arguments.
    assert [job.args for job in jobs("events.mail_signup")] == [
        {"registration_id": signup.registration.pk}
    ]


def test_a_phone_only_sign_up_mails_nothing(tos):
    event = make_event(tos)
    sign_up(event, email="", phone="+79025550100")
    assert jobs().count() == 0


def test_sign_ups_per_client_are_limited(tos, settings):
    settings.EVENT_SIGNUPS_HOURLY_PER_CLIENT = 2
    event = make_event(tos)
    for n in range(2):
        services.register(
            event, {"name": "Ж", "phone": f"+7902555010{n}"}, by=resident("203.0.113.5")
        )
    with pytest.raises(RateLimited) as refused:
        services.register(
            event, {"name": "Ж", "phone": "+79025550109"}, by=resident("203.0.113.5")
        )
    assert refused.value.field == "rate"
    assert Registration.objects.count() == 2


def test_the_database_refuses_a_registered_row_beyond_capacity(tos):
    event = make_event(tos, capacity=1)
    sign_up(event)
    with pytest.raises(IntegrityError, match="registration_within_capacity|is full"):
        with transaction.atomic():
            Registration.objects.create(
                event=event,
                name="мимо сервиса",
                phone="+79025550111",
                contact_key="+79025550111",
                state="registered",
                token_hash="f" * 64,
            )
    assert states(event) == ["registered"]


def test_the_database_refuses_a_capacity_below_the_registered(tos):
    event = make_event(tos, capacity=3)
    sign_up(event), sign_up(event)
    with pytest.raises(IntegrityError, match="more than 1 places"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE events_event SET capacity = 1 WHERE id = %s", [event.pk]
            )


def test_a_started_event_keeps_its_registrations(tos):
    event = make_event(tos, starts_at=soon(days=0, hours=1))
    signup = sign_up(event)
    event.starts_at = soon(days=-1)
    event.ends_at = event.starts_at + timedelta(days=3)
    event.save()
    with pytest.raises(Refused) as refused:
        services.cancel_registration(signup.token)
    assert refused.value.field == "starts_at"
