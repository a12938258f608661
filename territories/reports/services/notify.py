"""E-mail to the followers of a report when its timeline grows."""

from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from ..links import on_site, report_path


def notify_followers(update):
    report = update.report
    subject = _("Сообщение №%(pk)d: %(status)s") % {
        "pk": report.pk,
        "status": report.get_status_display(),
    }
    lines = [
        _("Статус сообщения «%(category)s» изменился: %(status)s.")
        % {"category": report.category.name, "status": report.get_status_display()},
    ]
    if update.comment:
        lines += ["", update.comment]
    lines += ["", on_site(report_path(report))]
    messages = [
        (
            subject,
            "\n".join(
                [*lines, "", _("Отписаться: %s") % unsubscribe_url(f.unsubscribe_token)]
            ),
            settings.DEFAULT_FROM_EMAIL,
            [f.email],
        )
        for f in report.followers.filter(confirmed_at__isnull=False)
    ]
    if messages:
        send_mass_mail(messages, fail_silently=True)


def unsubscribe_url(token):
    return on_site(reverse("report-unsubscribe", args=[token]))


def ask_to_confirm(follower):
    """One mail to a new follower's address: updates start once its owner confirms."""
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
    subject = _("Подтвердите подписку на сообщение №%d") % report.pk
    send_mail(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [follower.email],
        fail_silently=True,
    )
