"""What residents do with a published report: support it («меня тоже»), follow it by
e-mail (double opt-in), and — the reporter only — erase their contacts. Each has a
rate limit (docs/architecture.md, "Limits")."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from geo import limits
from geo.errors import Forbidden, NotFound, RateLimited, Refused

from ..models import (
    Follower,
    ProblemReport,
    ReportUpdate,
    Support,
)
from .notify import ask_to_confirm
from .submission import ReportSubmission
from .workflow import is_reporter

Status = ProblemReport.Status
Role = ReportUpdate.Role
HOUR = timedelta(hours=1)

# Following sends a confirmation mail to the address given, so both the sender and
# the mailbox are limited: a client cannot mail-bomb strangers, and many clients
# together cannot flood one mailbox.
FOLLOWS_PER_CLIENT = limits.Limit(
    "follow-client",
    "REPORT_FOLLOW_HOURLY_PER_CLIENT",
    HOUR,
    "rate",
    gettext_lazy("слишком много подписок за час; попробуйте позже"),
)
CONFIRMATIONS_PER_MAILBOX = limits.Limit(
    "follow-mailbox",
    "REPORT_FOLLOW_MAILS_HOURLY_PER_ADDRESS",
    HOUR,
    "email",
    gettext_lazy(
        "на этот адрес за час уже отправлено много писем с подтверждением; "
        "попробуйте позже"
    ),
)
FORGET_ME_PER_CLIENT = limits.Limit(
    "forget-me",
    "REPORT_FORGET_ME_HOURLY_PER_CLIENT",
    HOUR,
    "rate",
    gettext_lazy("слишком много запросов к этому сообщению за час; попробуйте позже"),
)


def clean_email(value):
    """An e-mail address or "", by the submission's rule; Refused names the field."""
    field = ReportSubmission().fields["email"]
    try:
        return field.run_validation("" if value is None else value)
    except serializers.ValidationError as error:
        raise Refused("email", str(error.detail[0])) from None


def add_support(report, voter, user=None, address=None):
    """«Меня тоже касается»: True if counted now, False if this voter already had.
    An anonymous `voter` starts with its `address`, which has an hourly quota."""
    if report.status not in Status.active():
        raise Refused("status", _("поддержать можно только открытое сообщение"))
    with transaction.atomic():
        if address:
            _check_support_rate(report, voter, address)
        _support, created = Support.objects.get_or_create(
            report=report, voter=voter, defaults={"user": user}
        )
        if created:
            ProblemReport.objects.filter(pk=report.pk).update(
                support_count=F("support_count") + 1
            )
    report.refresh_from_db(fields=["support_count"])
    return created


def _check_support_rate(report, voter, address):
    # The report's row is locked: parallel votes from one address are counted in turn.
    list(ProblemReport.objects.select_for_update().filter(pk=report.pk).values("pk"))
    if Support.objects.filter(report=report, voter=voter).exists():
        return  # a repeat is answered as one, not as a flood
    now = timezone.now()
    recent = Support.objects.filter(
        report=report, voter__startswith=address, created_at__gte=now - HOUR
    ).order_by("created_at")
    quota = settings.REPORT_SUPPORT_HOURLY_PER_ADDRESS
    times = list(recent.values_list("created_at", flat=True))
    if len(times) >= quota:
        free_at = limits.free_at(times, quota, HOUR, now)
        raise RateLimited(
            "rate",
            _("слишком много голосов с вашего адреса за час; попробуйте позже"),
            retry_after=limits.seconds_until(free_at, now),
        )


def follow(report, email, *, by):
    """Subscribe an e-mail to a report's updates (once; a repeat changes nothing),
    for the one asking (`by`, a `geo.requester.Requester`). The owner of the address
    gets one mail to confirm; both the client and the mailbox have an hourly quota.

    The answer must not tell whether the address already followed the report, so
    the mailbox's quota is checked before that is looked up: a full quota refuses
    either way, and only a subscription that sends a mail counts against it."""
    email = clean_email(email)
    if not email:
        raise Refused("email", _("укажите адрес электронной почты"))
    if report.status == Status.HIDDEN:
        raise NotFound("status", _("это сообщение скрыто"))
    # Every attempt counts for the client, even one the mailbox's quota refuses.
    limits.spend(FOLLOWS_PER_CLIENT, limits.client_of(by))
    mailbox = mailbox_of(email)
    # One transaction: the subscription, its confirmation mail's job and its count,
    # or none of them. The mailbox stays locked until it ends, so simultaneous
    # subscriptions of one address (to any reports) are counted in turn.
    with transaction.atomic():
        limits.check(CONFIRMATIONS_PER_MAILBOX, mailbox)
        follower, created = Follower.objects.get_or_create(
            report=report, email__iexact=email, defaults={"email": email}
        )
        if created:
            limits.record(CONFIRMATIONS_PER_MAILBOX, mailbox)
            ask_to_confirm(follower)
    return follower


def mailbox_of(email):
    """The mailbox an address delivers to, as far as the address says: case does
    not matter, and neither does a «+tag» (user+1@… and user+2@… reach one box)."""
    local, _at, domain = email.lower().rpartition("@")
    return f"{local.split('+', 1)[0] or local}@{domain}"


def confirm_follower(token):
    """The owner of the address followed the link: False if there is no such
    subscription (any more); following it twice changes nothing."""
    follower = Follower.objects.filter(unsubscribe_token=token).first()
    if follower is None:
        return False
    if follower.confirmed_at is None:
        follower.confirmed_at = timezone.now()
        follower.save(update_fields=["confirmed_at"])
    return True


def remove_personal_data(report, *, by):
    """The reporter's name and contacts are erased; the report itself stays. Only
    the reporter may ask."""
    # Counted before the check: guessing the secret link is limited too.
    limits.spend(FORGET_ME_PER_CLIENT, (limits.client_of(by), report.pk))
    if not is_reporter(report, by):
        raise Forbidden("token", _("удалить контакты может только заявитель"))
    with transaction.atomic():
        if report.reporter_email:
            report.followers.filter(email__iexact=report.reporter_email).delete()
        report.reporter_name = report.reporter_email = report.reporter_phone = ""
        report.show_name = False
        report.personal_data_removed_at = timezone.now()
        # Only these fields: a full save would write back a stale support count.
        report.save(
            update_fields=[
                "reporter_name",
                "reporter_email",
                "reporter_phone",
                "show_name",
                "personal_data_removed_at",
                "updated_at",
            ]
        )
