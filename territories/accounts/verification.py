"""Verifying a contact by a one-time code (docs/domain.md, "Verified persons").

An account asks for a code to an e-mail address or a phone; the code goes out by a
job deferred in the same transaction (tasks.py); the account sends it back within
VERIFICATION_CODE_MINUTES and VERIFICATION_MAX_ATTEMPTS tries, once. A contact
verified by one account cannot be verified by another: asking is answered as for a
free contact (no code is sent), confirming is refused, held by the unique index
`contact_verified_once` (also when two accounts confirm at once).

The code is derived from the row's random salt and SECRET_KEY (`code_for`), never
stored; only an HMAC of it is kept, so the table alone gives no code away."""

import hmac
import re
import secrets
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo import limits
from geo.errors import Forbidden, NotFound, Refused
from geo.text import storable_text

from . import tasks
from .models import ContactVerification

Channel = ContactVerification.Channel
HOUR = timedelta(hours=1)
CODE_PATTERN = re.compile(r"[0-9]{6}")

CODES_PER_ACCOUNT = limits.Limit(
    "verify-account",
    "VERIFICATION_CODES_HOURLY_PER_ACCOUNT",
    HOUR,
    "rate",
    gettext_lazy("слишком много кодов за час; попробуйте позже"),
)
CODES_PER_CLIENT = limits.Limit(
    "verify-client",
    "VERIFICATION_CODES_HOURLY_PER_CLIENT",
    HOUR,
    "rate",
    gettext_lazy("слишком много кодов с этого адреса за час; попробуйте позже"),
)
# Whoever asks: nobody may flood a stranger's phone or mailbox with codes.
CODES_PER_CONTACT = limits.Limit(
    "verify-contact",
    "VERIFICATION_CODES_HOURLY_PER_CONTACT",
    HOUR,
    "value",
    gettext_lazy("на этот контакт за час уже отправлено много кодов; попробуйте позже"),
)


# --- contacts -------------------------------------------------------------------------


def normal_email(raw):
    """One mailbox, one string (docs/domain.md, "Verified persons"): NFKC folds
    full-width and compatibility letters; the domain is IDNA-encoded to ASCII and
    lower-cased, so `пример.рф` and `xn--e1afmkfd.xn--p1ai` are one domain. Quoted
    local parts and address literals have other spellings of the same mailbox
    that no string comparison can see, so they are refused."""
    email = unicodedata.normalize("NFKC", storable_text("value", raw)).strip()
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain:
        raise Refused("value", _("это не адрес электронной почты"))
    if '"' in local or "\\" in local:
        raise Refused("value", _("адрес в кавычках не принимается"))
    if domain.startswith("["):
        raise Refused("value", _("адрес с IP вместо домена не принимается"))
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise Refused("value", _("это не адрес электронной почты")) from None
    email = f"{local}@{domain}".lower()
    if len(email) > 254:
        raise Refused("value", _("адрес длиннее 254 знаков"))
    try:
        validate_email(email)
    except ValidationError:
        raise Refused("value", _("это не адрес электронной почты")) from None
    return email


def normal_phone(raw):
    """A Russian phone as +7XXXXXXXXXX (+7…, 8…, 7… or a ten-digit 9…); NFKC turns
    full-width digits and plus into ASCII ones first."""
    text = unicodedata.normalize("NFKC", storable_text("value", raw))
    digits = re.sub(r"[\s().-]", "", text)
    if re.fullmatch(r"\+7[0-9]{10}", digits):
        return digits
    if re.fullmatch(r"[78][0-9]{10}", digits):
        return "+7" + digits[1:]
    if re.fullmatch(r"9[0-9]{9}", digits):
        return "+7" + digits
    raise Refused(
        "value", _("номер телефона России: +7 и 10 цифр, например +7 902 123-45-67")
    )


def normal_contact(channel, raw):
    """(channel, value) normalised, or Refused naming `channel` or `value`."""
    if channel not in Channel.values:
        raise Refused("channel", _("канал: email или phone"))
    if not isinstance(raw, str) or not raw.strip():
        raise Refused("value", _("укажите e-mail или телефон"))
    return channel, normal_email(raw) if channel == Channel.EMAIL else normal_phone(raw)


# --- codes ----------------------------------------------------------------------------


def code_for(salt):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"accounts.code:{salt}".encode(), "sha256"
    ).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def hash_of(salt, code):
    return hmac.new(
        settings.SECRET_KEY.encode(), f"accounts.hash:{salt}:{code}".encode(), "sha256"
    ).hexdigest()


# --- questions ------------------------------------------------------------------------


def verified(account):
    """The account's verified contacts."""
    return ContactVerification.objects.filter(
        account=account, verified_at__isnull=False
    )


def is_person(account):
    """docs/domain.md, "Verified persons": an account with a verified contact."""
    if account is None or not account.is_authenticated or not account.is_active:
        return False
    return verified(account).exists()


def taken_by_another(account, channel, value):
    return (
        ContactVerification.objects.filter(
            channel=channel, value=value, verified_at__isnull=False
        )
        .exclude(account=account)
        .exists()
    )


def refused_as_taken(channel):
    if channel == Channel.PHONE:
        message = _("этот телефон уже подтверждён другой учётной записью")
    else:
        message = _("этот e-mail уже подтверждён другой учётной записью")
    return Refused("value", message)


# --- the rules --------------------------------------------------------------------


def request_code(data, *, by):
    """Send a code to the contact in `data` ({channel, value}) for `by.account`
    (a Requester). Every request counts for the client; the account's and the
    contact's counts are checked under their locks and kept only for a code sent."""
    account = by.account
    if account is None:
        raise Forbidden("account", _("войдите, чтобы подтвердить контакт"))
    if not isinstance(data, dict):
        raise Refused("body", _("ожидается объект JSON"))
    channel, value = normal_contact(data.get("channel"), data.get("value"))
    limits.spend(CODES_PER_CLIENT, limits.client_of(by))
    with transaction.atomic():
        limits.check(CODES_PER_ACCOUNT, account.pk)
        limits.check(CODES_PER_CONTACT, f"{channel}:{value}")
        if verified(account).filter(channel=channel, value=value).exists():
            raise Refused("value", _("этот контакт уже подтверждён"))
        # A contact another account holds is answered as a free one (asking must
        # not tell who is registered) and counted the same, but no code goes out:
        # its owner is not disturbed, and confirming is refused on `value` by
        # `verify` (the unique index). docs/domain.md, "Verified persons".
        taken = taken_by_another(account, channel, value)
        now = timezone.now()
        # An earlier code to the same contact stops working: only the newest counts.
        ContactVerification.objects.filter(
            account=account, channel=channel, value=value, used_at__isnull=True
        ).update(expires_at=now)
        salt = secrets.token_hex(16)
        row = ContactVerification.objects.create(
            account=account,
            channel=channel,
            value=value,
            salt=salt,
            code_hash=hash_of(salt, code_for(salt)),
            expires_at=now + timedelta(minutes=settings.VERIFICATION_CODE_MINUTES),
        )
        limits.record(CODES_PER_ACCOUNT, account.pk)
        limits.record(CODES_PER_CONTACT, f"{channel}:{value}")
        if not taken:
            tasks.send_code.defer(verification_id=row.pk)
    return row


def confirm(verification_id, code, *, by):
    """Check `code` against the account's verification `verification_id`. A wrong
    code counts an attempt (kept though refused); a used, expired or exhausted code
    is refused naming `code`; a contact another account verified meanwhile is
    refused naming `value` (the unique index decides between two at once)."""
    account = by.account
    if account is None:
        raise Forbidden("account", _("войдите, чтобы подтвердить контакт"))
    code = code.strip() if isinstance(code, str) else ""
    with transaction.atomic():
        row = (
            ContactVerification.objects.select_for_update()
            .filter(pk=verification_id, account=account)
            .first()
        )
        if row is None:
            raise NotFound("verification", _("запрос кода не найден"))
        refusal = refusal_of(row, code, timezone.now())
        if refusal is None:
            return verify(row)
        if refusal.counts:
            row.attempts += 1
            row.save(update_fields=["attempts"])
    # The attempt is committed before the refusal is raised.
    raise Refused("code", refusal.message)


class _Refusal:
    def __init__(self, message, counts=False):
        self.message = message
        self.counts = counts


def refusal_of(row, code, now):
    if row.used_at is not None:
        return _Refusal(_("этот код уже использован"))
    if row.expires_at <= now:
        return _Refusal(_("срок действия кода истёк; запросите новый"))
    if row.attempts >= settings.VERIFICATION_MAX_ATTEMPTS:
        return _Refusal(_("слишком много неверных попыток; запросите новый код"))
    if not CODE_PATTERN.fullmatch(code) or not hmac.compare_digest(
        hash_of(row.salt, code), row.code_hash
    ):
        return _Refusal(_("неверный код"), counts=True)
    return None


def verify(row):
    now = timezone.now()
    row.used_at = now
    row.verified_at = now
    try:
        with transaction.atomic():
            row.save(update_fields=["used_at", "verified_at"])
    except IntegrityError as error:
        diag = getattr(error.__cause__, "diag", None)
        if getattr(diag, "constraint_name", None) != "contact_verified_once":
            raise
        raise refused_as_taken(row.channel) from error
    return row
