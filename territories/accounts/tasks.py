"""Background jobs of accounts (docs/architecture.md, "Background jobs"): the
one-time code of a contact verification, by e-mail (Django's mail) or SMS
(`accounts.sms`, settings.SMS_BACKEND). The job carries the verification's id and
derives the code again from its salt: no job argument holds the code. A code that
was used or has expired meanwhile is not sent."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from .models import ContactVerification
from .sms import send_sms

RETRY = RetryStrategy(max_attempts=4, exponential_wait=5)


# The name is fixed: queued rows name their task.
@app.task(name="accounts.send_code", queue="mail", retry=RETRY)
def send_code(verification_id):
    from .verification import code_for

    row = ContactVerification.objects.filter(
        pk=verification_id, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if row is None:
        return
    code = code_for(row.salt)
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Код подтверждения на платформе «Дружные соседи»: %(code)s") % {
            "code": code
        }
        if row.channel == ContactVerification.Channel.PHONE:
            send_sms(row.value, text)
            return
        send_mail(
            _("Код подтверждения"),
            "\n".join(
                [text, "", _("Если вы не запрашивали код, просто удалите письмо.")]
            ),
            settings.DEFAULT_FROM_EMAIL,
            [row.value],
        )
