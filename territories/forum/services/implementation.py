"""Implementation projects: status planned → in progress → done with dates,
changed by specialists; followers confirmed by mail are told of each change by a
job deferred in the change's transaction (docs/domain.md, "Forum")."""

import base64
import hashlib
import hmac
import re
import secrets
from datetime import date, timedelta

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
from ..models import Follower, Implementation
from .access import check_specialist

Status = Implementation.Status
ORDER = [Status.PLANNED, Status.IN_PROGRESS, Status.DONE]
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,100}")
HOUR = timedelta(hours=1)

FOLLOWS_PER_CLIENT = limits.Limit(
    "forum-follow",
    "FORUM_FOLLOWS_HOURLY_PER_CLIENT",
    HOUR,
    "rate",
    gettext_lazy("слишком много подписок за час; попробуйте позже"),
)
MAILS_PER_ADDRESS = limits.Limit(
    "forum-follow-mail",
    "FORUM_FOLLOW_MAILS_HOURLY_PER_ADDRESS",
    HOUR,
    "email",
    gettext_lazy("на этот адрес за час уже отправлено много писем; попробуйте позже"),
)


def _date(raw, field):
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def _checked_date(data, field):
    value = _date(data.get(field), field)
    if data.get(field) not in (None, "") and value is None:
        raise Refused(field, _("дата в виде ГГГГ-ММ-ДД"))
    return value


def locked(implementation_id):
    """The implementation project, locked for the rest of the transaction (its
    status, dates and photos change one writer at a time); NotFound otherwise."""
    row = Implementation.objects.select_for_update().filter(pk=implementation_id)
    row = row.first()
    if row is None:
        raise NotFound("id", _("проект не найден"))
    return row


def change(implementation_id, data, *, by):
    """A specialist moves the status forward (or keeps it) and sets the dates,
    the responsible body and the budget; followers are told of a new status."""
    check_specialist(by.account)
    if not isinstance(data, dict):
        raise Refused("body", _("ожидается объект JSON"))
    with transaction.atomic():
        row = locked(implementation_id)
        before = row.status
        status = data.get("status", row.status)
        if status not in Status.values:
            raise Refused("status", _("статус: planned, in_progress или done"))
        if ORDER.index(status) < ORDER.index(row.status):
            raise Refused("status", _("статус не возвращается назад"))
        row.status = status
        for field in ("started_on", "done_on"):
            if field in data:
                setattr(row, field, _checked_date(data, field))
        today = timezone.localdate()
        if status != Status.PLANNED and row.started_on is None:
            row.started_on = today
        if status == Status.DONE and row.done_on is None:
            row.done_on = today
        if row.done_on and row.started_on and row.done_on < row.started_on:
            raise Refused("done_on", _("завершение не раньше начала"))
        if "responsible" in data:
            text = storable_text("responsible", data.get("responsible")).strip()
            if len(text) > 300:
                raise Refused("responsible", _("не длиннее 300 знаков"))
            row.responsible = text
        if "budget" in data:
            from .projects import _budget

            row.budget = _budget(data.get("budget"))
        row.save()
        if row.status != before:
            for follower in row.followers.filter(confirmed_at__isnull=False):
                tasks.mail_status.defer(follower_id=follower.pk, status=row.status)
    return row


# --- following by e-mail ------------------------------------------------------------


def token_for(salt):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"forum.follower:{salt}".encode(), "sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def hash_of(token):
    return hashlib.sha256(token.encode()).hexdigest()


def follow(implementation_id, email, *, by):
    """Ask to follow: a confirmation link is mailed (a job); nothing is sent
    about the project until it is followed."""
    email = storable_text("email", email).strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Refused("email", _("это не адрес электронной почты")) from None
    row = Implementation.objects.filter(pk=implementation_id).first()
    if row is None:
        raise NotFound("id", _("проект не найден"))
    limits.spend(FOLLOWS_PER_CLIENT, limits.client_of(by))
    with transaction.atomic():
        limits.check(MAILS_PER_ADDRESS, email)
        salt = secrets.token_hex(16)
        follower = Follower.objects.filter(implementation=row, email=email).first()
        if follower is None:
            follower = Follower(implementation=row, email=email)
        if follower.confirmed_at is not None:
            return follower
        follower.salt = salt
        follower.token_hash = hash_of(token_for(salt))
        try:
            with transaction.atomic():
                follower.save()
        except IntegrityError:
            raise Refused(
                "email", _("подписка уже оформляется; проверьте почту")
            ) from None
        limits.record(MAILS_PER_ADDRESS, email)
        tasks.mail_follow_confirm.defer(follower_id=follower.pk)
    return follower


def follower_by_token(token):
    token = token if isinstance(token, str) else ""
    found = None
    if TOKEN_PATTERN.fullmatch(token):
        found = (
            Follower.objects.select_related("implementation__project")
            .filter(token_hash=hash_of(token))
            .first()
        )
    if found is None:
        raise NotFound("token", _("ссылка недействительна"))
    return found


def confirm_follow(token):
    follower = follower_by_token(token)
    if follower.confirmed_at is None:
        follower.confirmed_at = timezone.now()
        follower.save(update_fields=["confirmed_at"])
    return follower


def unfollow(token):
    follower = follower_by_token(token)
    follower.delete()
    return follower
