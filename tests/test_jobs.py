"""E-mail to followers as background jobs (docs/architecture.md, "Background jobs"):
enqueued in the transaction of the change, sent by the worker, retried with a
growing wait, and kept as a failed job, visible to staff, when it cannot be sent."""

import secrets
from smtplib import SMTPRecipientsRefused

import psycopg
import pytest
from django.contrib.auth.models import Permission
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone
from procrastinate.contrib.django.utils import connector_params

from territories.reports import tasks
from territories.reports.models import Category, Follower, ProblemReport
from territories.reports.services import change_status
from territories.reports.services.bulk import change_status_bulk

from .conftest import utm_point
from .jobs import JOBS, jobs, make_retries_due, run_jobs
from .report_helpers import report_at, specialist

pytestmark = [JOBS, pytest.mark.usefixtures("media", "categories")]
UPDATE_MAIL = "reports.mail_update"
BAD = "bad@example.org"


def committed_jobs():
    """Jobs as another connection (the worker's) sees them: committed ones only."""
    with psycopg.connect(**connector_params()) as other:
        return other.execute("SELECT count(*) FROM procrastinate_jobs").fetchone()[0]


def open_report(*emails):
    """An open report followed by these confirmed addresses."""
    report = report_at(status="open")
    for email in emails:
        Follower.objects.create(report=report, email=email, confirmed_at=timezone.now())
    return report


class RefusingBackend(EmailBackend):
    """An SMTP server that refuses one address and delivers to the others."""

    def send_messages(self, messages):
        for message in messages:
            if BAD in message.to:
                raise SMTPRecipientsRefused({BAD: (550, b"5.1.1 mailbox unavailable")})
        return super().send_messages(messages)


# --- enqueued in the change's transaction --------------------------------------------


def test_a_committed_change_has_its_job_stored_and_no_mail_yet(district, mailoutbox):
    report = open_report("sosed@example.org")
    change_status(report, "in_progress", by=specialist())
    assert committed_jobs() == 1
    assert mailoutbox == []
    run_jobs()
    assert [mail.to for mail in mailoutbox] == [["sosed@example.org"]]


def test_a_rolled_back_change_leaves_no_job_and_sends_nothing(district, mailoutbox):
    report = open_report("sosed@example.org")
    with pytest.raises(RuntimeError), transaction.atomic():
        change_status(report, "in_progress", by=specialist())
        assert committed_jobs() == 0, "not visible before the commit"
        raise RuntimeError("the rest of the change failed")
    assert ProblemReport.objects.get(pk=report.pk).status == "open"
    assert committed_jobs() == 0
    run_jobs()
    assert mailoutbox == []


def test_a_deferred_job_lives_and_dies_with_its_transaction(district):
    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.mail_follow_confirmation.defer(follower_id=1)
        raise RuntimeError
    assert committed_jobs() == 0
    with transaction.atomic():
        tasks.mail_follow_confirmation.defer(follower_id=1)
    assert committed_jobs() == 1


# --- a bulk change -------------------------------------------------------------------


def many_open_reports(count):
    """`count` open reports; report i has i % 3 confirmed followers and one who has
    not confirmed. Stored in bulk: the services are not what this is about."""
    category = Category.objects.get(code="yard")
    reports = ProblemReport.objects.bulk_create(
        ProblemReport(
            category=category,
            description=f"Яма №{i}",
            status="open",
            geom=utm_point(i, 100),
            source="web",
        )
        for i in range(count)
    )
    followers = []
    for i, report in enumerate(reports):
        for k in range(i % 3):
            followers.append(follower(report, f"f{i}-{k}@example.org", confirmed=True))
        followers.append(follower(report, f"u{i}@example.org", confirmed=False))
    Follower.objects.bulk_create(followers)
    return reports


def follower(report, email, *, confirmed):
    return Follower(
        report=report,
        email=email,
        unsubscribe_token=secrets.token_urlsafe(32),
        confirmed_at=timezone.now() if confirmed else None,
    )


def test_a_bulk_change_of_500_reports_mails_through_the_worker(district, mailoutbox):
    reports = many_open_reports(500)
    expected = sorted(
        (report.pk, f.email)
        for report in reports
        for f in report.followers.exclude(confirmed_at=None)
    )
    updates, refusals = change_status_bulk(
        [report.pk for report in reports], "in_progress", by=specialist()
    )
    assert (len(updates), refusals) == (500, [])
    assert mailoutbox == [], "the request does not wait for the mail"
    assert jobs(UPDATE_MAIL).count() == len(expected)
    run_jobs()
    sent = sorted(
        (int(mail.subject.split("№")[1].split(":")[0]), to)
        for mail in mailoutbox
        for to in mail.to
    )
    assert len(mailoutbox) == len(expected) == 500 // 3 * 3 + 1  # 0+1+2 per three
    assert sent == expected
    assert all("в работе" in mail.subject for mail in mailoutbox)


# --- failures ------------------------------------------------------------------------


def fail_until_given_up(job, attempts=5):
    """Run the worker until the job stops being retried; the waits it was given."""
    waits = []
    for _attempt in range(attempts - 1):
        run_jobs()
        job.refresh_from_db()
        assert job.status == "todo", "retried"
        retried = job.procrastinateevent_set.filter(type="deferred_for_retry")
        waits.append(job.scheduled_at - retried.latest().at)
        make_retries_due()
    run_jobs()
    job.refresh_from_db()
    return waits


def test_a_refused_mail_is_retried_with_growing_waits_then_kept_as_failed(
    district, settings, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.jobs.FailingSMTPBackend"
    change_status(open_report("sosed@example.org"), "fixed", by=specialist())
    (job,) = jobs(UPDATE_MAIL)
    waits = fail_until_given_up(job)
    assert (job.status, job.attempts) == ("failed", 5)
    assert all(wait.total_seconds() > 0 for wait in waits)
    assert waits == sorted(set(waits)), "each wait longer than the one before"
    runs = job.procrastinateevent_set.exclude(type="scheduled").order_by("pk")
    assert list(runs.values_list("type", flat=True)) == [
        "deferred",
        *["started", "deferred_for_retry"] * 4,
        "started",
        "failed",
    ]
    assert mailoutbox == []
    run_jobs()
    job.refresh_from_db()
    assert job.status == "failed", "given up, but kept"


def test_one_refused_address_does_not_resend_to_the_others(
    district, settings, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.test_jobs.RefusingBackend"
    change_status(open_report("sosed@example.org", BAD), "in_progress", by=specialist())
    run_jobs()
    make_retries_due()
    run_jobs()
    assert [mail.to for mail in mailoutbox] == [["sosed@example.org"]]
    (waiting,) = jobs(UPDATE_MAIL)
    assert (waiting.status, waiting.attempts) == ("todo", 2)


def test_staff_see_a_failed_mail_in_the_admin(
    district, settings, client, django_user_model
):
    settings.EMAIL_BACKEND = "tests.jobs.FailingSMTPBackend"
    change_status(open_report("sosed@example.org"), "fixed", by=specialist())
    (job,) = jobs(UPDATE_MAIL)
    fail_until_given_up(job)
    staff = django_user_model.objects.create_user("dispatcher", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_procrastinatejob"))
    client.force_login(staff)
    page = client.get("/admin/procrastinate/procrastinatejob/?status=failed")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<a href="/admin/procrastinate/procrastinatejob/{job.pk}/change/' in html
    assert "❌ Failed" in html
    assert "mail_update" in html
