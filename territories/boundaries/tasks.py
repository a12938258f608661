"""Background jobs of boundaries: the e-mail of each workflow step
(docs/architecture.md, "Background jobs"). A job carries ids and re-reads them."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from .links import on_site, territory_path
from .models import BoundaryVersion

MAIL_RETRY = RetryStrategy(max_attempts=4, exponential_wait=5)
State = BoundaryVersion.State


# Task names are fixed: queued rows name their task.
@app.task(name="boundaries.mail_step", queue="mail", retry=MAIL_RETRY)
def mail_step(version_id, state, user_id):
    """One step of a boundary's way (`state`: the state the step set), to one user."""
    version = (
        BoundaryVersion.objects.select_related("territory", "author", "reviewed_by")
        .filter(pk=version_id)
        .first()
    )
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if version is None or user is None or not user.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = step_text(version, state)
    send_mail(
        subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False
    )


def step_text(version, state):
    territory = version.territory
    names = {"name": territory.name, "number": version.number}
    if state == State.SUBMITTED:
        subject = _("Граница ТОС «%(name)s» отправлена на согласование") % names
        lines = [
            _("Версия %(number)d границы ТОС «%(name)s» ждёт решения.") % names,
            _("Отправил(а): %s") % (version.author or "—"),
        ]
    elif state == State.APPROVED and version.restored_from_id:
        subject = _("Граница ТОС «%(name)s» восстановлена") % names
        lines = [version.comment]
    elif state == State.APPROVED:
        subject = _("Граница ТОС «%(name)s» утверждена") % names
        lines = [
            _("Решение Думы № %(no)s от %(date)s.")
            % {
                "no": version.decision_number,
                "date": version.decision_date.strftime("%d.%m.%Y"),
            }
        ]
    else:
        subject = _("Граница ТОС «%(name)s» возвращена на доработку") % names
        lines = [_("Комментарий планировщика:"), version.comment]
    lines += ["", on_site(territory_path(territory.pk))]
    return subject, "\n".join(lines)
