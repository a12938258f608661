"""One mailbox, one phone, one stored value (docs/domain.md, "Verified persons"):
spellings that reach the same mailbox or phone normalise to the same string, so the
unique index `contact_verified_once` sees them as one contact."""

import pytest

from geo.errors import Refused
from territories.accounts import verification


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("me@example.com", "me@ｅxample.com"),  # full-width e
        ("me@example.com", "ME@EXAMPLE.COM"),
        ("a@пример.рф", "a@xn--e1afmkfd.xn--p1ai"),
        ("a@ПРИМЕР.РФ", "a@XN--E1AFMKFD.xn--p1ai"),
        ("ｍｅ@example.com", "me@example.com"),  # full-width local part
    ],
)
def test_two_spellings_of_one_mailbox_are_one_value(one, other):
    assert verification.normal_email(one) == verification.normal_email(other)


def test_an_international_domain_is_kept_in_ascii():
    assert verification.normal_email("a@пример.рф") == "a@xn--e1afmkfd.xn--p1ai"


@pytest.mark.parametrize(
    "raw",
    ['"a"@example.com', '"a b"@example.com', "a@[127.0.0.1]", "a@[IPv6:::1]"],
)
def test_quoted_local_parts_and_address_literals_are_refused(raw):
    with pytest.raises(Refused) as refused:
        verification.normal_email(raw)
    assert refused.value.field == "value"


@pytest.mark.parametrize(
    "raw",
    [
        "+7 902 555-01-01",
        "8 902 555 01 01",
        "９０２５５５０１０１",
        "＋７９０２５５５０１０１",
        "８９０２５５５０１０１",
    ],
)
def test_spellings_of_one_phone_are_one_value(raw):
    assert verification.normal_phone(raw) == "+79025550101"


@pytest.mark.django_db
def test_the_migration_keeps_the_earliest_of_two_spellings():
    """Two accounts verified one mailbox under two spellings before the fix: the
    earliest keeps it, the other is unverified; a quoted one is unverified too."""
    from datetime import timedelta

    from django.apps import apps as live_apps
    from django.utils import timezone

    from territories.accounts.models import ContactVerification

    from .verification_helpers import resident_account

    migration = __import__(
        "territories.accounts.migrations.0004_renormalise_contacts",
        fromlist=["renormalise"],
    )
    now = timezone.now()

    def row(account, value, minutes_ago, channel="email"):
        at = now - timedelta(minutes=minutes_ago)
        return ContactVerification.objects.create(
            account=account,
            channel=channel,
            value=value,
            salt="s",
            code_hash="h",
            expires_at=at,
            used_at=at,
            verified_at=at,
        )

    late = row(resident_account("late"), "me@example.com", 5)
    early = row(resident_account("early"), "me@ｅxample.com", 50)
    quoted = row(resident_account("quoted"), '"q"@example.com', 40)
    idn = row(resident_account("idn"), "a@пример.рф", 30)
    migration.renormalise(live_apps, None)
    for one in (late, early, quoted, idn):
        one.refresh_from_db()
    assert early.value == "me@example.com" and early.verified_at is not None
    assert late.verified_at is None
    assert quoted.verified_at is None
    assert idn.value == "a@xn--e1afmkfd.xn--p1ai" and idn.verified_at is not None
