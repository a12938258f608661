"""Following a report by e-mail: the address's owner confirms before mail flows."""

import pytest

from territories.reports.services import change_status

from .report_helpers import make_report, specialist

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
NEIGHBOUR = "sosed@example.org"


@pytest.fixture
def report(district):
    report, _token = make_report(status="open")
    return report


def follow(client, report, capture):
    with capture(execute=True):
        response = client.post(
            f"/api/reports/{report.pk}/follow/", {"email": NEIGHBOUR}
        )
    assert response.status_code == 200
    return report.followers.get(email=NEIGHBOUR)


def publish_change(report, capture):
    with capture(execute=True):
        change_status(report, "in_progress", by=specialist())


def test_a_new_follower_gets_one_confirmation_mail_with_the_link(
    client, report, mailoutbox, django_capture_on_commit_callbacks
):
    follower = follow(client, report, django_capture_on_commit_callbacks)
    (mail,) = mailoutbox
    assert mail.to == [NEIGHBOUR]
    assert f"/reports/follow/confirm/{follower.unsubscribe_token}/" in mail.body
    follow(client, report, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1, "a repeated follow must not mail again"


def test_no_update_mail_before_confirmation(
    client, report, mailoutbox, django_capture_on_commit_callbacks
):
    follow(client, report, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    publish_change(report, django_capture_on_commit_callbacks)
    assert NEIGHBOUR not in [to for mail in mailoutbox for to in mail.to]


def test_after_confirmation_updates_arrive(
    client, report, mailoutbox, django_capture_on_commit_callbacks
):
    follower = follow(client, report, django_capture_on_commit_callbacks)
    page = client.get(f"/reports/follow/confirm/{follower.unsubscribe_token}/")
    assert page.status_code == 200
    assert "Подписка подтверждена" in page.content.decode()
    mailoutbox.clear()
    publish_change(report, django_capture_on_commit_callbacks)
    assert NEIGHBOUR in [to for mail in mailoutbox for to in mail.to]


def test_an_unknown_confirmation_link_is_404(client):
    assert client.get("/reports/follow/confirm/no-such-token/").status_code == 404
