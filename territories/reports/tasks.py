"""Background jobs of reports (docs/architecture.md, "Background jobs"): e-mail to
followers.

A job carries ids, not objects: it re-reads its rows when it runs, so it mails what
is true then (an address unsubscribed in between gets nothing), and its arguments
stay plain JSON in procrastinate's table. The text is written in the site's
language, whatever language the request that caused it spoke. Sending fails loudly:
the worker retries the job, and what still fails stays visible in the admin.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from .links import on_site, report_path
from .models import Follower, ReportUpdate

# An SMTP server that is down or refusing for a while: 5 attempts in all, the next
# one 5 s, 25 s, ~2 min and ~10 min after a failure (exponential_wait ** attempt;
# procrastinate's max_attempts counts the retries after the first). A job that still
# fails is kept with status «failed» in the admin, where staff can retry it.
MAIL_RETRY = RetryStrategy(max_attempts=4, exponential_wait=5)


# Task names are fixed: queued rows name their task, and must outlive a refactoring.
@app.task(name="reports.mail_update", queue="mail", retry=MAIL_RETRY)
def mail_update(update_id, follower_id):
    """One entry of a report's timeline, to one confirmed follower."""
    update = (
        ReportUpdate.objects.select_related("report__category")
        .filter(pk=update_id)
        .first()
    )
    if update is None:
        return  # the report was deleted since the change
    followers = update.report.followers.filter(confirmed_at__isnull=False)
    follower = followers.filter(pk=follower_id).first()
    if follower is None:
        return  # unsubscribed since the change
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = update_text(update, follower)
    send(subject, body, follower.email)


@app.task(name="reports.mail_follow_confirmation", queue="mail", retry=MAIL_RETRY)
def mail_follow_confirmation(follower_id):
    """The request to confirm a new follower's address."""
    follower = (
        Follower.objects.select_related("report")
        .filter(pk=follower_id, confirmed_at__isnull=True)
        .first()
    )
    if follower is None:
        return  # confirmed or unsubscribed since
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = confirmation_text(follower)
    send(subject, body, follower.email)


def send(subject, body, address):
    send_mail(
        subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False
    )


def update_text(update, follower):
    report = update.report
    # The status this entry set: a later change has a mail of its own.
    status = update.get_status_display() if update.status else ""
    status = status or report.get_status_display()
    subject = _("Сообщение №%(pk)d: %(status)s") % {"pk": report.pk, "status": status}
    lines = [
        _("Статус сообщения «%(category)s» изменился: %(status)s.")
        % {"category": report.category.name, "status": status},
    ]
    if update.comment:
        lines += ["", update.comment]
    lines += ["", on_site(report_path(report))]
    lines += ["", _("Отписаться: %s") % unsubscribe_url(follower.unsubscribe_token)]
    return subject, "\n".join(lines)


def unsubscribe_url(token):
    return on_site(reverse("report-unsubscribe", args=[token]))


def confirmation_text(follower):
    report = follower.report
    link = on_site(reverse("report-follow-confirm", args=[follower.unsubscribe_token]))
    body = "\n".join(
        [
            _("Кто-то попросил присылать на этот адрес изменения сообщения №%d.")
            % report.pk,
            on_site(report_path(report)),
            "",
            _("Чтобы получать их, подтвердите подписку: %s") % link,
            _("Если это были не вы, просто не отвечайте на это письмо."),
        ]
    )
    return _("Подтвердите подписку на сообщение №%d") % report.pk, body
