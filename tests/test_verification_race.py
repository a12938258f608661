"""Two accounts confirming the same phone at the same moment: the unique index
`contact_verified_once` lets exactly one through (docs/domain.md, "Verified
persons"). Real threads, each with its own connection."""

import threading

import pytest
from django.db import connection

from geo.errors import Refused
from territories.accounts import verification

from .verification_helpers import as_requester, code_of, resident_account, verified_rows

pytestmark = pytest.mark.django_db(transaction=True)


def in_threads(targets):
    start = threading.Barrier(len(targets))
    outcomes = []

    def run(target):
        try:
            start.wait()
            outcomes.append(target())
        except Refused as refused:
            outcomes.append(refused.field)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_accounts_verifying_one_phone_at_once_one_succeeds():
    accounts = [resident_account(f"twin{n}") for n in range(2)]
    rows = [
        verification.request_code(
            {"channel": "phone", "value": "+79025550177"},
            by=as_requester(user, f"198.51.100.{n}"),
        )
        for n, user in enumerate(accounts)
    ]

    def confirming(user, row):
        def run():
            verification.confirm(row.pk, code_of(row), by=as_requester(user))
            return "verified"

        return run

    outcomes = in_threads(
        [confirming(u, r) for u, r in zip(accounts, rows, strict=True)]
    )
    assert sorted(outcomes) == ["value", "verified"]
    assert verified_rows().filter(value="+79025550177").count() == 1
    assert sum(verification.is_person(user) for user in accounts) == 1
