"""E-mail to the followers of a report when its timeline grows."""

from django.conf import settings
from django.core.mail import send_mass_mail
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
        for f in report.followers.all()
    ]
    if messages:
        send_mass_mail(messages, fail_silently=True)


def unsubscribe_url(token):
    return on_site(reverse("report-unsubscribe", args=[token]))
