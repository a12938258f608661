"""Background jobs of the forum (docs/architecture.md, "Background jobs"): the
follow confirmation and the mails on an implementation's status change. A job
carries the follower's id; links are derived again from the row's salt."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from .links import follow_confirm_path, implementation_path, on_site, unfollow_path
from .models import Follower, Implementation

RETRY = RetryStrategy(max_attempts=4, exponential_wait=5)


def _send(subject, lines, address):
    send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [address])


@app.task(name="forum.mail_follow_confirm", queue="mail", retry=RETRY)
def mail_follow_confirm(follower_id):
    from .services.implementation import token_for

    follower = (
        Follower.objects.select_related("implementation__project")
        .filter(pk=follower_id, confirmed_at__isnull=True)
        .first()
    )
    if follower is None:
        return
    token = token_for(follower.salt)
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            _("Подтвердите подписку на проект форума"),
            [
                _("Проект «%s»: чтобы получать письма о ходе работ, откройте ссылку:")
                % follower.implementation.project.title,
                on_site(follow_confirm_path(token)),
                "",
                _("Если вы не подписывались, просто удалите письмо."),
            ],
            follower.email,
        )


@app.task(name="forum.mail_status", queue="mail", retry=RETRY)
def mail_status(follower_id, status):
    from .services.implementation import token_for

    follower = (
        Follower.objects.select_related("implementation__project")
        .filter(pk=follower_id, confirmed_at__isnull=False)
        .first()
    )
    if follower is None:
        return
    row = follower.implementation
    with translation.override(settings.LANGUAGE_CODE):
        shown = Implementation.Status(status).label
        _send(
            _("Проект «%(title)s»: %(status)s")
            % {"title": row.project.title, "status": shown},
            [
                _("Статус проекта «%(title)s»: %(status)s.")
                % {"title": row.project.title, "status": shown},
                on_site(implementation_path(row.pk)),
                "",
                _("Отписаться: %s") % on_site(unfollow_path(token_for(follower.salt))),
            ],
            follower.email,
        )
