"""Residents' problem reports: take one in, place it, support it, move it through the
workflow. Every write is one transaction; every refusal is a `Refused` naming the field.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from geo.errors import Forbidden, NotFound, RateLimited, Refused
from geo.text import without_unstorable
from geo.wgs84 import stored_point
from territories.registry.spatial import place

from ..models import (
    Follower,
    ProblemReport,
    ReportPhoto,
    ReportUpdate,
    Support,
)
from .notify import ask_to_confirm, notify_followers
from .photos import clean_photos
from .submission import Degrees, ReportSubmission, validated_submission

Status = ProblemReport.Status
Role = ReportUpdate.Role

# Which statuses a specialist may move a report to, from each status.
WORKFLOW = {
    Status.MODERATION: {"open", "hidden", "duplicate", "not_responsible", "closed"},
    Status.OPEN: {
        "in_progress",
        "planned",
        "fixed",
        "closed",
        "duplicate",
        "not_responsible",
        "hidden",
    },
    Status.IN_PROGRESS: {
        "open",
        "planned",
        "fixed",
        "closed",
        "duplicate",
        "not_responsible",
        "hidden",
    },
    Status.PLANNED: {
        "open",
        "in_progress",
        "fixed",
        "closed",
        "duplicate",
        "not_responsible",
        "hidden",
    },
    Status.FIXED: {"open", "closed", "hidden"},
    Status.CLOSED: {"open", "hidden"},
    Status.DUPLICATE: {"open", "hidden"},
    Status.NOT_RESPONSIBLE: {"open", "hidden"},
    Status.HIDDEN: {"moderation", "open"},
}


def parse_point(lat, lon):
    """(lat, lon) as finite degrees within range, or Refused naming the field."""
    values = {}
    for field, raw, bound in (("lat", lat, 90), ("lon", lon, 180)):
        try:
            values[field] = Degrees(bound).run_validation(raw)
        except serializers.ValidationError as error:
            raise Refused(field, str(error.detail[0])) from None
    return values["lat"], values["lon"]


def clean_email(value):
    """An e-mail address or "", by the submission's rule; Refused names the field."""
    field = ReportSubmission().fields["email"]
    try:
        return field.run_validation("" if value is None else value)
    except serializers.ValidationError as error:
        raise Refused("email", str(error.detail[0])) from None


def _quota(client_hash, api_key, user):
    """(who is counted, their reports of the last hour, the quota), or None for
    staff. Anonymous web clients, each signed-in resident and each Open311 key have
    their own hourly quota."""
    since = timezone.now() - timedelta(hours=1)
    signed_in = user is not None and user.is_authenticated
    if api_key is not None:
        recent = ProblemReport.objects.filter(api_key=api_key, created_at__gte=since)
        return f"key:{api_key.pk}", recent, api_key.hourly_quota
    if signed_in and user.is_staff:
        return None
    if signed_in:
        # Not by client hash: signed-in residents behind one NAT would share it.
        recent = ProblemReport.objects.filter(
            user=user, api_key__isnull=True, created_at__gte=since
        )
        return f"user:{user.pk}", recent, settings.REPORT_HOURLY_QUOTA
    recent = ProblemReport.objects.filter(
        client_hash=client_hash,
        user__isnull=True,
        api_key__isnull=True,
        created_at__gte=since,
    )
    return f"client:{client_hash}", recent, settings.REPORT_HOURLY_QUOTA


def check_rate(client_hash, api_key=None, user=None, *, lock=False):
    """Refuse with 429 once the sender's hourly quota is used. With `lock` (inside
    the transaction that stores the report) concurrent submissions of the same
    sender wait for each other, so a flood cannot overshoot the quota."""
    counted = _quota(client_hash, api_key, user)
    if counted is None:
        return
    who, recent, quota = counted
    if lock:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"report-quota:{who}"]
            )
    if recent.count() >= quota:
        raise RateLimited(
            "rate",
            _("слишком много сообщений за час (не больше %d); попробуйте позже")
            % quota,
        )


def submit_report(data, photos=(), *, source, user=None, client_hash="", api_key=None):
    """Take a report in: (report, manage token). `data` holds lat, lon, category,
    description, name, email, phone, show_name and answers ({question code: value}),
    checked by `submission.ReportSubmission`. The cheap checks come first (the
    quota, the fields, the place), so a refused request costs no photo decoding."""
    check_rate(client_hash, api_key, user)
    fields = validated_submission(data, photos)
    point = stored_point(fields["lon"], fields["lat"])
    district, territory, yard, building = place(point)
    if district is None:
        raise Refused("lat", _("точка вне городского округа"))
    cleaned = clean_photos(fields["photos"])
    report = ProblemReport(
        category=fields["category"],
        description=fields["description"],
        answers=fields["answers"],
        territory_id=territory,
        yard_id=yard,
        building_id=building,
        reporter_name=fields["name"],
        show_name=fields["show_name"],
        reporter_email=fields["email"],
        reporter_phone=fields["phone"],
        user=user if user and user.is_authenticated else None,
        source=source,
        api_key=api_key,
        client_hash=client_hash,
    )
    report.geom = point
    token = report.issue_manage_token()
    _save_new(
        report,
        cleaned,
        fields["email"],
        lambda: check_rate(client_hash, api_key, user, lock=True),
    )
    return report, token


def _save_new(report, photos, email, recheck_quota):
    saved = []
    try:
        with transaction.atomic():
            recheck_quota()
            report.save()
            for photo in photos:
                row = ReportPhoto(report=report, width=photo.width, height=photo.height)
                row.image.save(photo.content.name, photo.content, save=True)
                saved.append(row.image)
            ReportUpdate.objects.create(
                report=report, status=report.status, role=Role.REPORTER
            )
            if email:
                # The reporter typed it with the report: no confirmation round.
                Follower.objects.create(
                    report=report, email=email, confirmed_at=timezone.now()
                )
    except Exception:
        # The rows are rolled back; the files on disk must go with them.
        for image in saved:
            image.storage.delete(image.name)
        raise


def nearby_active(lat, lon, category_code, radius_m=None):
    """Open reports of the same category around a point, nearest first."""
    radius = radius_m or settings.REPORT_DUPLICATE_RADIUS_M
    point = stored_point(lon, lat)
    return (
        ProblemReport.objects.active()
        .filter(category__code=category_code)
        .near(point, radius)
    )


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
    recent = Support.objects.filter(
        report=report,
        voter__startswith=address,
        created_at__gte=timezone.now() - timedelta(hours=1),
    )
    quota = settings.REPORT_SUPPORT_HOURLY_PER_ADDRESS
    if recent.count() >= quota:
        raise RateLimited(
            "rate",
            _("слишком много голосов с вашего адреса за час; попробуйте позже"),
        )


def change_status(report, status, *, by, comment="", duplicate_of=None):
    """Move a report through the workflow, with a public timeline entry, for the
    one asking (`by`, a `geo.requester.Requester`): a specialist along WORKFLOW;
    the reporter and the TOS chair only from fixed back to open
    (docs/domain.md, "Problem reports"); anyone else is refused."""
    role = role_of(report, by)
    if role is None:
        raise Forbidden(
            "token",
            _("менять статус могут заявитель, председатель ТОС и специалисты"),
        )
    if status not in _allowed(report, role):
        error = Refused if role == Role.SPECIALIST else Forbidden
        raise error(
            "status",
            _("из статуса «%(old)s» нельзя перейти в «%(new)s»")
            % {"old": report.get_status_display(), "new": _status_label(status)},
        )
    if status == Status.DUPLICATE:
        _check_original(report, duplicate_of)
    with transaction.atomic():
        previous = report.status
        report.status = status
        report.duplicate_of = duplicate_of if status == Status.DUPLICATE else None
        report.save(update_fields=["status", "duplicate_of", "updated_at"])
        update = ReportUpdate.objects.create(
            report=report,
            status=status,
            previous_status=previous,
            comment=_comment(comment),
            role=role,
            author=by.account,
        )
        transaction.on_commit(lambda: notify_followers(update))
    return update


def reopen(report, *, by, comment=""):
    """A fixed report opened again by its reporter, its TOS chair or a specialist."""
    return change_status(report, Status.OPEN, by=by, comment=comment)


def _status_label(code):
    return Status(code).label if code in Status.values else code


def _allowed(report, role):
    if role == Role.SPECIALIST:
        return WORKFLOW[report.status]
    # The reporter and the TOS chair may only reopen what was marked fixed.
    return {Status.OPEN} if report.status == Status.FIXED else set()


def _check_original(report, original):
    if original is None:
        raise Refused("duplicate_of", _("укажите исходное сообщение"))
    if original.pk == report.pk or original.status in (Status.DUPLICATE, Status.HIDDEN):
        raise Refused("duplicate_of", _("это сообщение не может быть исходным"))


def _comment(comment):
    text = without_unstorable(comment or "").strip()
    return text[: settings.REPORT_MAX_DESCRIPTION]


def follow(report, email):
    """Subscribe an e-mail to a report's updates (once; a repeat changes nothing)."""
    email = clean_email(email)
    if not email:
        raise Refused("email", _("укажите адрес электронной почты"))
    if report.status == Status.HIDDEN:
        raise NotFound("status", _("это сообщение скрыто"))
    follower, created = Follower.objects.get_or_create(
        report=report, email__iexact=email, defaults={"email": email}
    )
    if created:
        transaction.on_commit(lambda: ask_to_confirm(follower))
    return follower


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


def is_reporter(report, by):
    """The reporter: the holder of the secret link, or the account that reported."""
    if report.manage_token_matches(by.token):
        return True
    return by.account is not None and report.user_id == by.account.pk


def remove_personal_data(report, *, by):
    """The reporter's name and contacts are erased; the report itself stays. Only
    the reporter may ask."""
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


def role_of(report, by):
    """Who is acting on a report: a specialist (staff), its reporter (by account or
    by the secret link), the chair of its TOS, or None."""
    account = by.account
    if account is not None and account.is_staff:
        return Role.SPECIALIST
    if is_reporter(report, by):
        return Role.REPORTER
    if account is not None and report.territory_id:
        if report.territory.chair_user_id == account.pk:
            return Role.TOS_CHAIR
    return None
