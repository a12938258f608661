"""Rate limits of anonymous writes (issue #7; docs/architecture.md, "Limits"): each
refusal is a 429 with JSON {field, error} and Retry-After on the REST API, a flash
message and no action on the pages. 40 follow requests from one address with 40
strangers' addresses used to send 40 confirmation mails.

Run alone: TEST_DATABASE_NAME=test_limits .venv/bin/pytest tests/test_write_limits.py
"""

import pytest
from django.test import Client

from geo import limits
from geo.models import LimitHit
from territories.reports.models import Follower
from territories.reports.services import change_status

from .clock import Clock
from .jobs import jobs
from .report_helpers import form, make_report, specialist

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
API = "/api/reports/"
VICTIM = "victim@example.org"
CONFIRMATION = "reports.mail_follow_confirmation"


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def report(district):
    made, _token = make_report(status="open")
    return made


def follow(report, email, address="192.0.2.10"):
    return Client(REMOTE_ADDR=address).post(
        f"{API}{report.pk}/follow/", {"email": email}
    )


def assert_limited(response, field):
    """A 429 as the REST API answers it: the field, why, and when to try again."""
    assert response.status_code == 429, response.content
    body = response.json()
    assert body["field"] == field and body["error"]
    retry = int(response["Retry-After"])
    assert 0 < retry <= 3600
    return retry


# --- follow ----------------------------------------------------------------------


def test_forty_strangers_from_one_address_get_no_more_than_the_quota(report):
    answers = [follow(report, f"victim{n}@example.org").status_code for n in range(40)]
    assert answers == [200] * 10 + [429] * 30  # REPORT_FOLLOW_HOURLY_PER_CLIENT
    assert len(jobs(CONFIRMATION)) == 10
    assert_limited(follow(report, "one.more@example.org"), "rate")
    assert follow(report, "one.more@example.org", "192.0.2.11").status_code == 200


def test_a_signed_in_client_is_counted_by_account_not_address(report, settings):
    settings.REPORT_FOLLOW_HOURLY_PER_CLIENT = 1
    resident = Client(REMOTE_ADDR="192.0.2.10")
    resident.force_login(specialist().account.__class__.objects.create_user("r"))
    url = f"{API}{report.pk}/follow/"
    assert resident.post(url, {"email": "a@example.org"}).status_code == 200
    assert_limited(resident.post(url, {"email": "b@example.org"}), "rate")
    assert follow(report, "c@example.org").status_code == 200  # the same address


def test_one_mailbox_gets_no_more_confirmations_whoever_asks(district, settings):
    settings.REPORT_FOLLOW_MAILS_HOURLY_PER_ADDRESS = 2
    reports = [make_report(dx=dx, status="open")[0] for dx in (0, 50, 100, 150)]
    answers = [
        follow(made, email, f"192.0.2.{20 + n}")
        for n, (made, email) in enumerate(
            zip(
                reports,
                [VICTIM, "Victim@Example.org", "victim+spam@example.org", VICTIM],
                strict=True,
            )
        )
    ]
    assert [answer.status_code for answer in answers[:2]] == [200, 200]
    for refused in answers[2:]:
        assert_limited(refused, "email")
    assert Follower.objects.filter(email__istartswith="victim").count() == 2
    assert len(jobs(CONFIRMATION)) == 2


def test_a_full_mailbox_is_refused_whether_or_not_it_already_follows(
    district, settings
):
    settings.REPORT_FOLLOW_MAILS_HOURLY_PER_ADDRESS = 1
    followed, _t = make_report(status="open")
    other, _t = make_report(dx=50, status="open")
    assert follow(followed, VICTIM).status_code == 200
    again, new = follow(followed, VICTIM, "192.0.2.30"), follow(other, VICTIM)
    assert (again.status_code, again.json()) == (new.status_code, new.json())
    assert again.status_code == 429


def test_the_mailbox_quota_frees_an_hour_after_the_mail(district, settings, clock):
    settings.REPORT_FOLLOW_MAILS_HOURLY_PER_ADDRESS = 1
    first, _t = make_report(status="open")
    second, _t = make_report(dx=50, status="open")
    assert follow(first, VICTIM).status_code == 200
    clock.advance(minutes=59)
    assert assert_limited(follow(second, VICTIM), "email") == 60
    clock.advance(minutes=1, seconds=1)
    assert follow(second, VICTIM).status_code == 200


def test_the_page_form_over_the_quota_flashes_and_subscribes_nobody(report, settings):
    settings.REPORT_FOLLOW_HOURLY_PER_CLIENT = 1
    browser = Client(REMOTE_ADDR="192.0.2.10")
    url = f"/reports/{report.pk}/follow/"
    browser.post(url, {"email": "first@example.org"})
    response = browser.post(url, {"email": "second@example.org"}, follow=True)
    html = response.content.decode()
    assert "слишком много подписок за час" in html
    assert not Follower.objects.filter(email="second@example.org").exists()


# --- support, submission -----------------------------------------------------------


def test_support_over_the_address_cap_says_when_to_retry(report, settings, clock):
    settings.REPORT_SUPPORT_HOURLY_PER_ADDRESS = 2
    url = f"{API}{report.pk}/support/"
    for _ in range(2):
        assert Client().post(url).status_code == 200  # a fresh browser each time
        clock.advance(minutes=10)
    # The first vote, 20 minutes ago, leaves the hour in 40 minutes.
    assert assert_limited(Client().post(url), "rate") == 40 * 60


def test_the_submission_quota_has_retry_after(client, district, settings):
    settings.REPORT_HOURLY_QUOTA = 1
    assert client.post(API, form()).status_code == 201
    assert_limited(client.post(API, form()), "rate")


# --- reopen and forget-me ------------------------------------------------------------


def test_reopen_attempts_per_client_and_report(client, district, settings):
    settings.REPORT_REOPEN_HOURLY_PER_CLIENT = 2
    fixed, token = make_report(status="fixed")
    other, _t = make_report(dx=50, status="fixed")
    url = f"{API}{fixed.pk}/reopen/"
    guesses = [client.post(url, {"token": f"guess{n}"}).status_code for n in (1, 2)]
    assert guesses == [403, 403]
    assert_limited(client.post(url, {"token": token}), "rate")
    fixed.refresh_from_db()
    assert fixed.status == "fixed"
    # Another report, or another client, has its own count.
    assert client.post(f"{API}{other.pk}/reopen/").status_code == 403
    answer = Client(REMOTE_ADDR="192.0.2.44").post(url, {"token": token})
    assert answer.status_code == 200


def test_reopen_on_the_page_over_the_quota_flashes(client, district, settings):
    settings.REPORT_REOPEN_HOURLY_PER_CLIENT = 1
    fixed, token = make_report(status="fixed")
    client.get(f"/reports/{fixed.pk}/?token={token}")
    url = f"/reports/{fixed.pk}/reopen/"
    client.post(url, {"comment": "Опять"})
    fixed.refresh_from_db()
    change_status(fixed, "fixed", by=specialist())
    html = client.post(url, {"comment": "Снова"}, follow=True).content.decode()
    assert "слишком много попыток открыть сообщение" in html
    fixed.refresh_from_db()
    assert fixed.status == "fixed"


def test_specialists_reopen_without_a_quota(district, settings):
    settings.REPORT_REOPEN_HOURLY_PER_CLIENT = 1
    fixed, _token = make_report(status="fixed")
    staff = Client()
    staff.force_login(specialist().account)
    for _ in range(3):
        assert staff.post(f"{API}{fixed.pk}/reopen/").status_code == 200
        fixed.refresh_from_db()
        change_status(fixed, "fixed", by=specialist())


def test_forget_me_attempts_per_client_and_report(client, district, settings):
    settings.REPORT_FORGET_ME_HOURLY_PER_CLIENT = 2
    made, token = make_report(status="open")
    url = f"{API}{made.pk}/forget-me/"
    assert client.post(url, {"token": "guess"}).status_code == 403
    assert client.post(url, {"token": token}).status_code == 200
    assert_limited(client.post(url, {"token": token}), "rate")


# --- the counts themselves ---------------------------------------------------------


def test_hits_older_than_a_day_are_purged_as_new_ones_come(db, clock):
    limit = limits.Limit("test", "REPORT_HOURLY_QUOTA", limits.KEPT, "rate", "")
    limits.spend(limit, "old")
    clock.advance(days=1, seconds=1)
    limits.spend(limit, "new")
    assert list(LimitHit.objects.values_list("at", flat=True)) == [clock.now]
