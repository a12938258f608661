"""Sending an SMS (docs/domain.md, "Verified persons"). `settings.SMS_BACKEND` names a
class with `send(phone, text)`. No gateway is configured in this project: the default,
`OutboxBackend`, writes each message to the log and to the `SmsMessage` table, which
development and the tests read the codes from. A real gateway is a class of the same
shape that raises on failure (the job then retries)."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class OutboxBackend:
    def send(self, phone, text):
        from .models import SmsMessage

        SmsMessage.objects.create(phone=phone, text=text)
        log.info("SMS to %s: %s", phone, text)


def send_sms(phone, text):
    import_string(settings.SMS_BACKEND)().send(phone, text)
