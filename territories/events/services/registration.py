"""Residents sign up for an event, without an account (docs/domain.md, "Events"):
a name and an e-mail or a phone. Places are counted under the event's row lock, and
the database's trigger (migration 0004) refuses a `registered` row beyond capacity
whatever wrote it; a full event puts newcomers on the waitlist, and a cancelled
place goes to the first of them in the same transaction.

The cancel link's token is derived from a random salt and SECRET_KEY (`token_for`)
and stored only as its hash: the mail job that sends it carries the registration's
id, never the token."""

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo import limits
from geo.errors import NotFound, Refused
from geo.text import storable_text

from .. import tasks
from ..models import Event, Registration

State = Registration.State
HOUR = timedelta(hours=1)
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,100}")

SIGNUPS_PER_CLIENT = limits.Limit(
    "event-signup",
    "EVENT_SIGNUPS_HOURLY_PER_CLIENT",
    HOUR,
    "rate",
    gettext_lazy("слишком много записей за час; попробуйте позже"),
)
# A sign-up mails its cancel link to the address given: one client cannot flood a
# stranger's mailbox, nor can many clients together.
LINK_MAILS_PER_MAILBOX = limits.Limit(
    "event-signup-mail",
    "EVENT_SIGNUP_MAILS_HOURLY_PER_ADDRESS",
    HOUR,
    "email",
    gettext_lazy("на этот адрес за час уже отправлено много писем; попробуйте позже"),
)


@dataclass(frozen=True)
class SignUp:
    """A stored registration and its cancel link's token (shown once)."""

    registration: Registration
    token: str


# --- contacts -------------------------------------------------------------------------


def normal_email(raw):
    """An e-mail address in lower case, "" when none; Refused names `email`."""
    email = storable_text("email", raw).lower()
    if not email:
        return ""
    if len(email) > 254:
        raise Refused("email", _("адрес длиннее 254 знаков"))
    try:
        validate_email(email)
    except ValidationError:
        raise Refused("email", _("это не адрес электронной почты")) from None
    return email


def normal_phone(raw):
    """A Russian phone number as +7XXXXXXXXXX, "" when none; Refused names `phone`."""
    phone = storable_text("phone", raw)
    if not phone:
        return ""
    digits = re.sub(r"[\s().-]", "", phone)
    if re.fullmatch(r"\+7[0-9]{10}", digits):
        return digits
    if re.fullmatch(r"[78][0-9]{10}", digits):  # 8 902 … as dialled at home
        return "+7" + digits[1:]
    if re.fullmatch(r"9[0-9]{9}", digits):  # a mobile number without the prefix
        return "+7" + digits
    raise Refused(
        "phone", _("номер телефона России: +7 и 10 цифр, например +7 902 123-45-67")
    )


def contact_of(data):
    email = normal_email(data.get("email"))
    phone = normal_phone(data.get("phone"))
    if not email and not phone:
        raise Refused("email", _("укажите e-mail или телефон"))
    return email, phone


# --- the cancel link ------------------------------------------------------------------


def token_for(salt):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"events.registration:{salt}".encode(), "sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def hash_of(token):
    return hashlib.sha256(token.encode()).hexdigest()


# --- the rules --------------------------------------------------------------------


def lock_event(pk):
    """The event's row, locked until the transaction ends (FOR NO KEY UPDATE, as the
    trigger locks it): sign-ups and cancellations of one event are counted in turn."""
    return Event.objects.select_for_update(no_key=True).filter(pk=pk).first()


def check_open_for_signup(event, now):
    if event is None:
        raise NotFound("event", _("мероприятие не найдено"))
    if event.state == Event.State.CANCELLED:
        raise Refused("state", _("мероприятие отменено"))
    if event.starts_at <= now:
        raise Refused("starts_at", _("мероприятие уже началось: запись закрыта"))
    if not event.registration_required:
        raise Refused(
            "registration_required",
            _("на это мероприятие запись не нужна: просто приходите"),
        )


def register(event, data, *, by):
    """Sign up (`data`: name, email and/or phone) for `by`, a Requester: a place if
    one is left, else the waitlist. Every attempt counts for the client's hourly
    limit; one live registration per e-mail and per phone and event."""
    if not isinstance(data, dict):
        raise Refused("body", _("ожидается объект JSON"))
    name = storable_text("name", data.get("name"))
    if not name:
        raise Refused("name", _("укажите имя"))
    if len(name) > 200:
        raise Refused("name", _("имя длиннее 200 знаков"))
    email, phone = contact_of(data)
    limits.spend(SIGNUPS_PER_CLIENT, limits.client_of(by))
    with transaction.atomic():
        event = lock_event(event.pk)
        check_open_for_signup(event, timezone.now())
        if email:
            limits.check(LINK_MAILS_PER_MAILBOX, email)
        salt = secrets.token_hex(16)
        token = token_for(salt)
        registration = Registration(
            event=event,
            name=name,
            email=email,
            phone=phone,
            contact_key=email or phone,
            state=State.REGISTERED if has_place(event) else State.WAITLISTED,
            token_hash=hash_of(token),
            token_salt=salt,
        )
        store(registration)
        if email:
            limits.record(LINK_MAILS_PER_MAILBOX, email)
            tasks.mail_signup.defer(registration_id=registration.pk)
    return SignUp(registration, token)


def has_place(event):
    if event.capacity is None:
        return True
    taken = event.registrations.filter(state=State.REGISTERED).count()
    return taken < event.capacity


def store(registration):
    """Insert, in a savepoint: a place the trigger says is gone (only if the lock
    above was not taken) becomes a waitlist entry; a contact already signed up is
    refused naming its field."""
    try:
        with transaction.atomic():
            registration.save()
        return
    except IntegrityError as error:
        constraint = constraint_of(error)
        if constraint != "registration_within_capacity":
            raise refusal_of(constraint, registration) from error
    registration.pk = None
    registration.state = State.WAITLISTED
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise refusal_of(constraint_of(error), registration) from error


def constraint_of(error):
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def refusal_of(constraint, registration):
    if constraint == "registration_one_per_phone" or (
        constraint == "registration_one_per_contact" and not registration.email
    ):
        return Refused("phone", _("с этим телефоном на мероприятие уже записались"))
    if constraint == "registration_one_per_contact":
        return Refused("email", _("с этим e-mail на мероприятие уже записались"))
    return Refused("body", _("запись не сохранена: %s") % (constraint or "?"))


def registration_by_token(token):
    """The registration a cancel link names, or NotFound naming `token`."""
    token = token if isinstance(token, str) else ""
    found = None
    if TOKEN_PATTERN.fullmatch(token):
        found = (
            Registration.objects.select_related("event")
            .filter(token_hash=hash_of(token))
            .first()
        )
    if found is None:
        raise NotFound("token", _("ссылка отмены недействительна"))
    return found


def cancel_registration(token):
    """Cancel by the secret link; a freed place goes to the first waitlisted, in
    the same transaction (and they are told by mail, if they gave an address)."""
    found = registration_by_token(token)
    with transaction.atomic():
        event = lock_event(found.event_id)
        registration = Registration.objects.select_for_update().get(pk=found.pk)
        if registration.state == State.CANCELLED:
            raise Refused("token", _("эта запись уже отменена"))
        if event.starts_at <= timezone.now():
            raise Refused("starts_at", _("мероприятие уже началось"))
        was = registration.state
        registration.state = State.CANCELLED
        registration.save(update_fields=["state", "state_changed_at"])
        if was == State.REGISTERED:
            promote_waitlisted(event)
    return registration


def promote_waitlisted(event):
    """Give free places (the event's row locked by the caller) to the waitlisted,
    first come first served; each promoted one with an e-mail is told (a job)."""
    if event.state != Event.State.SCHEDULED or event.starts_at <= timezone.now():
        return []
    queue = event.registrations.filter(state=State.WAITLISTED).order_by(
        "created_at", "pk"
    )
    if event.capacity is not None:
        taken = event.registrations.filter(state=State.REGISTERED).count()
        queue = queue[: max(event.capacity - taken, 0)]
    promoted = list(queue)
    for registration in promoted:
        registration.state = State.REGISTERED
        registration.save(update_fields=["state", "state_changed_at"])
        if registration.email:
            tasks.mail_promoted.defer(registration_id=registration.pk)
    return promoted
