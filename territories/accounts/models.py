"""Verified contacts (docs/domain.md, "Verified persons"): an account proves that it
holds an e-mail address or a phone by a one-time code. A **person** is an account
with at least one verified contact; one contact backs one account only, which the
database holds (`contact_verified_once`, a unique index on the verified rows)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ContactVerification(models.Model):
    """One code sent to one contact for one account. The code is never stored: it is
    derived from `salt` and SECRET_KEY (`accounts.verification.code_for`), so the job
    that sends it carries only this row's id; `code_hash` is what is compared."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        PHONE = "phone", _("телефон")

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="contact_verifications",
        verbose_name=_("учётная запись"),
    )
    channel = models.CharField(_("канал"), max_length=8, choices=Channel)
    # E-mail in lower case, phone as +7XXXXXXXXXX (accounts.verification.normal_*).
    value = models.CharField(_("контакт"), max_length=254)
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("запрошен"), auto_now_add=True)
    expires_at = models.DateTimeField(_("действует до"))
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    used_at = models.DateTimeField(_("использован"), null=True, blank=True)
    verified_at = models.DateTimeField(_("подтверждён"), null=True, blank=True)

    class Meta:
        verbose_name = _("подтверждение контакта")
        verbose_name_plural = _("подтверждения контактов")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["account", "verified_at"], name="contact_account"),
        ]
        constraints = [
            # docs/domain.md, "Verified persons": one phone or e-mail, one person.
            models.UniqueConstraint(
                fields=["channel", "value"],
                condition=Q(verified_at__isnull=False),
                name="contact_verified_once",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "phone"]),
                name="contact_channel_known",
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(used_at__isnull=False),
                name="contact_verified_by_a_used_code",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.account_id}"


class SmsMessage(models.Model):
    """The development SMS outbox (accounts.sms.OutboxBackend): messages that a real
    gateway would send. No gateway is configured (docs/domain.md, "Verified
    persons"); in production set SMS_BACKEND to one."""

    phone = models.CharField(_("телефон"), max_length=16)
    text = models.TextField(_("текст"))
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)

    class Meta:
        verbose_name = _("SMS (черновой ящик)")
        verbose_name_plural = _("SMS (черновой ящик)")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.phone
