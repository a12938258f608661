"""Following a report by e-mail: the address's owner confirms before mail flows."""

import pytest

from territories.reports.services import change_status

from .jobs import JOBS, run_jobs
from .report_helpers import make_report, specialist

pytestmark = [JOBS, pytest.mark.usefixtures("media", "categories")]
NEIGHBOUR = "sosed@example.org"


@pytest.fixture
def report(district, mailoutbox):
    report, _token = make_report(status="open")
    run_jobs()
    mailoutbox.clear()  # the reporter's own mail of the opening
    return report


def follow(client, report, **headers):
    response = client.post(
        f"/api/reports/{report.pk}/follow/", {"email": NEIGHBOUR}, headers=headers
    )
    assert response.status_code == 200
    run_jobs()
    return report.followers.get(email=NEIGHBOUR)


def publish_change(report):
    change_status(report, "in_progress", by=specialist())
    run_jobs()


def test_a_new_follower_gets_one_confirmation_mail_with_the_link(
    client, report, mailoutbox
):
    follower = follow(client, report)
    (mail,) = mailoutbox
    assert mail.to == [NEIGHBOUR]
    assert f"/reports/follow/confirm/{follower.unsubscribe_token}/" in mail.body
    follow(client, report)
    assert len(mailoutbox) == 1, "a repeated follow must not mail again"


def test_no_update_mail_before_confirmation(client, report, mailoutbox):
    follow(client, report)
    mailoutbox.clear()
    publish_change(report)
    assert NEIGHBOUR not in [to for mail in mailoutbox for to in mail.to]


def test_after_confirmation_updates_arrive(client, report, mailoutbox):
    follower = follow(client, report)
    page = client.get(f"/reports/follow/confirm/{follower.unsubscribe_token}/")
    assert page.status_code == 200
    assert "Подписка подтверждена" in page.content.decode()
    mailoutbox.clear()
    publish_change(report)
    assert NEIGHBOUR in [to for mail in mailoutbox for to in mail.to]


def test_the_confirmation_mail_is_in_the_site_language_whatever_the_page(
    client, report, mailoutbox
):
    follow(client, report, **{"Accept-Language": "en"})
    (mail,) = mailoutbox
    assert mail.subject == f"Подтвердите подписку на сообщение №{report.pk}"


def test_an_unknown_confirmation_link_is_404(client):
    assert client.get("/reports/follow/confirm/no-such-token/").status_code == 404
