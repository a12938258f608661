"""Verified persons (docs/domain.md, "Verified persons"): a one-time code proves a
contact; it is single-use, expires, takes a few tries; requests are rate-limited;
one contact backs one account."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from geo.errors import Forbidden, NotFound, RateLimited, Refused
from territories.accounts import tasks, verification
from territories.accounts.models import ContactVerification, SmsMessage

from .jobs import jobs
from .verification_helpers import (
    as_requester,
    code_of,
    resident_account,
    verified_rows,
    verify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return resident_account("anna")


def ask(user, value="+7 (902) 555-01-01", channel="phone", ip="198.51.100.7"):
    return verification.request_code(
        {"channel": channel, "value": value}, by=as_requester(user, ip)
    )


def test_a_phone_is_normalised_and_the_code_is_not_stored(user):
    row = ask(user, "8 902 555 01 01")
    assert row.value == "+79025550101"
    code = code_of(row)
    assert len(code) == 6
    assert code not in row.code_hash and code not in row.salt
    assert jobs("accounts.send_code").count() == 1
    assert not verification.is_person(user)


def test_the_right_code_makes_a_person(user):
    row = ask(user)
    verification.confirm(row.pk, code_of(row), by=as_requester(user))
    assert verification.is_person(user)


def test_an_email_is_kept_in_lower_case_and_mailed(user):
    row = ask(user, "Anna@Example.ORG", "email")
    assert row.value == "anna@example.org"
    tasks.send_code(verification_id=row.pk)
    assert mail.outbox[-1].to == ["anna@example.org"]
    assert code_of(row) in mail.outbox[-1].body


def test_an_sms_goes_to_the_outbox(user):
    row = ask(user)
    tasks.send_code(verification_id=row.pk)
    message = SmsMessage.objects.get()
    assert message.phone == "+79025550101"
    assert code_of(row) in message.text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"channel": "fax", "value": "1"}, "channel"),
        ({"channel": "phone", "value": ""}, "value"),
        ({"channel": "phone", "value": "12345"}, "value"),
        ({"channel": "email", "value": "not-an-address"}, "value"),
        ({"channel": "email", "value": 5}, "value"),
    ],
)
def test_bad_contacts_are_refused_by_name_and_nothing_stored(user, data, field):
    with pytest.raises(Refused) as refused:
        verification.request_code(data, by=as_requester(user))
    assert refused.value.field == field
    assert not ContactVerification.objects.exists()
    assert not jobs().exists()


def test_a_used_code_cannot_be_replayed(user):
    row = ask(user)
    verification.confirm(row.pk, code_of(row), by=as_requester(user))
    with pytest.raises(Refused) as refused:
        verification.confirm(row.pk, code_of(row), by=as_requester(user))
    assert refused.value.field == "code"
    assert "использован" in str(refused.value)


def test_an_expired_code_is_refused(user):
    row = ask(user)
    ContactVerification.objects.filter(pk=row.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(Refused) as refused:
        verification.confirm(row.pk, code_of(row), by=as_requester(user))
    assert refused.value.field == "code"
    assert not verification.is_person(user)


def test_the_code_expires_after_ten_minutes(user):
    before = timezone.now()
    row = ask(user)
    assert (row.expires_at - before) <= timedelta(minutes=10, seconds=1)
    assert (row.expires_at - before) >= timedelta(minutes=9, seconds=59)


def test_wrong_codes_count_and_then_even_the_right_one_is_refused(user, settings):
    settings.VERIFICATION_MAX_ATTEMPTS = 3
    row = ask(user)
    wrong = f"{(int(code_of(row)) + 1) % 1_000_000:06d}"
    for _ in range(3):
        with pytest.raises(Refused) as refused:
            verification.confirm(row.pk, wrong, by=as_requester(user))
        assert refused.value.field == "code"
    assert ContactVerification.objects.get(pk=row.pk).attempts == 3
    with pytest.raises(Refused) as refused:
        verification.confirm(row.pk, code_of(row), by=as_requester(user))
    assert "попыток" in str(refused.value)
    assert not verification.is_person(user)


def test_a_newer_code_replaces_the_older(user):
    first = ask(user)
    second = ask(user)
    with pytest.raises(Refused):
        verification.confirm(first.pk, code_of(first), by=as_requester(user))
    verification.confirm(second.pk, code_of(second), by=as_requester(user))
    assert verification.is_person(user)


def test_another_accounts_request_is_not_found(user):
    row = ask(user)
    other = resident_account("boris")
    with pytest.raises(NotFound) as refused:
        verification.confirm(row.pk, code_of(row), by=as_requester(other))
    assert refused.value.field == "verification"


def test_anonymous_cannot_ask(user):
    with pytest.raises(Forbidden):
        verification.request_code(
            {"channel": "phone", "value": "+79025550101"},
            by=as_requester(None),
        )


def test_a_contact_verified_by_one_account_is_refused_to_another_only_at_confirm(
    user, settings
):
    """Asking does not tell whether another account holds the contact (no
    enumeration): the request is accepted and counted, but no code goes out to a
    taken contact; confirming is refused on `value`."""
    verify(user, "+79025550101")
    sent = jobs("accounts.send_code").count()
    other = resident_account("boris")
    row = ask(other, "8 902 555-01-01", ip="198.51.100.8")
    assert row.value == "+79025550101" and row.verified_at is None
    assert jobs("accounts.send_code").count() == sent
    with pytest.raises(Refused) as refused:
        verification.confirm(row.pk, code_of(row), by=as_requester(other))
    assert refused.value.field == "value"
    assert verified_rows().count() == 1
    settings.VERIFICATION_CODES_HOURLY_PER_ACCOUNT = 1
    with pytest.raises(RateLimited):  # the taken contact's request was counted
        ask(other, "+79025550199", ip="198.51.100.8")


def test_codes_per_account_are_limited(user, settings):
    settings.VERIFICATION_CODES_HOURLY_PER_ACCOUNT = 2
    ask(user, "+79025550101")
    ask(user, "+79025550102")
    with pytest.raises(RateLimited) as limited:
        ask(user, "+79025550103")
    assert limited.value.field == "rate"
    assert limited.value.retry_after > 0
    assert ContactVerification.objects.count() == 2


def test_codes_per_contact_are_limited_whoever_asks(user, settings):
    settings.VERIFICATION_CODES_HOURLY_PER_CONTACT = 1
    ask(user, "+79025550101")
    with pytest.raises(RateLimited) as limited:
        ask(resident_account("boris"), "+79025550101", ip="198.51.100.9")
    assert limited.value.field == "value"


def test_codes_per_client_are_limited(user, settings):
    settings.VERIFICATION_CODES_HOURLY_PER_CLIENT = 1
    ask(user, "+79025550101")
    with pytest.raises(RateLimited) as limited:
        ask(user, "+79025550102")
    assert limited.value.field == "rate"


def test_a_refused_request_keeps_no_account_or_contact_hit(user, settings):
    settings.VERIFICATION_CODES_HOURLY_PER_ACCOUNT = 1
    with pytest.raises(Refused):
        ask(user, "12")
    ask(user, "+79025550101")  # the refused one was not counted for the account


def test_asking_for_a_taken_and_a_free_contact_look_the_same(user, client):
    """The API and the page answer a taken contact as they answer a free one."""
    verify(user, "+79025550101")
    other = resident_account("boris")
    client.force_login(other)
    url = "/api/accounts/contacts/"
    answers = [
        client.post(url, {"channel": "phone", "value": value}, "application/json")
        for value in ("+79025550101", "+79025550102")
    ]
    assert [a.status_code for a in answers] == [201, 201]
    taken, free = (a.json() for a in answers)
    assert taken.keys() == free.keys()
    assert taken["verified_at"] is None and free["verified_at"] is None
    pages = [
        client.post(
            "/accounts/verify/",
            {"action": "request", "channel": "phone", "value": value},
        )
        for value in ("+79025550101", "+79025550103")
    ]
    assert [p.status_code for p in pages] == [201, 201]
    texts = [p.content.decode() for p in pages]
    assert "другой учётной записью" not in texts[0]
    assert texts[0].replace("+79025550101", "X").count("account-field-error") == (
        texts[1].replace("+79025550103", "X").count("account-field-error")
    )
