"""Residents' problem reports: take one in, place it, support it, move it through the
workflow. Every write is one transaction; every refusal is a `Refused` naming the field.
"""

import math
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import Refused
from geo.text import storable_text, without_unstorable
from geo.wgs84 import stored_point
from territories.registry.spatial import place

from ..models import (
    Category,
    Follower,
    ProblemReport,
    ReportPhoto,
    ReportUpdate,
    Support,
)
from .answers import clean_answers
from .notify import ask_to_confirm, notify_followers
from .photos import clean_photos

Status = ProblemReport.Status
Role = ReportUpdate.Role
PHONE = re.compile(r"^\+?[0-9 ()\-]{5,20}$")

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
# Open for "me too" and for the duplicates shown before submitting.
ACTIVE = (Status.OPEN, Status.IN_PROGRESS, Status.PLANNED)


def parse_point(lat, lon):
    values = {}
    for field, raw, bound in (("lat", lat, 90), ("lon", lon, 180)):
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise Refused(field, _("ожидается число в градусах")) from None
        if not math.isfinite(value) or abs(value) > bound:
            raise Refused(field, _("должно быть от -%(b)d до %(b)d") % {"b": bound})
        values[field] = value
    return values["lat"], values["lon"]


def _text(data, field):
    """A text field as given, stripped; Refused when it cannot be stored."""
    return storable_text(field, data.get(field))


def _flag(value):
    """A form's checkbox or a JSON boolean: "false" and "0" are no."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "да")
    return bool(value)


def _clean_text(data):
    description = _text(data, "description")
    if not description:
        raise Refused("description", _("опишите проблему"))
    if len(description) > settings.REPORT_MAX_DESCRIPTION:
        raise Refused(
            "description",
            _("не длиннее %d символов") % settings.REPORT_MAX_DESCRIPTION,
        )
    name = _text(data, "name")
    if len(name) > 200:
        raise Refused("name", _("не длиннее 200 символов"))
    email = clean_email(data.get("email"))
    phone = _text(data, "phone")
    if phone and not PHONE.match(phone):
        raise Refused("phone", _("номер телефона: цифры, пробелы, +, скобки, дефисы"))
    return description, name, email, phone


def clean_email(value):
    """An e-mail address or ""; Refused naming the field when it is not one."""
    email = storable_text("email", value)
    if not email:
        return ""
    if len(email) > 254:
        raise Refused("email", _("это не адрес электронной почты"))
    try:
        validate_email(email)
    except ValidationError:
        raise Refused("email", _("это не адрес электронной почты")) from None
    return email


def _category(code):
    code = storable_text("category", code)
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise Refused("category", _("нет такой категории: «%s»") % code)
    return category


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
        raise Refused(
            "rate",
            _("слишком много сообщений за час (не больше %d); попробуйте позже")
            % quota,
            status=429,
        )


def submit_report(data, photos=(), *, source, user=None, client_hash="", api_key=None):
    """Take a report in: (report, manage token). `data` holds lat, lon, category,
    description, name, email, phone, show_name and answers ({question code: value}).
    The quota comes first, so a flood costs no photo decoding."""
    check_rate(client_hash, api_key, user)
    lat, lon = parse_point(data.get("lat"), data.get("lon"))
    category = _category(data.get("category"))
    description, name, email, phone = _clean_text(data)
    answers = clean_answers(category, data.get("answers") or {})
    cleaned = clean_photos(list(photos))
    point = stored_point(lon, lat)
    district, territory, yard, building = place(point)
    if district is None:
        raise Refused("lat", _("точка вне городского округа"))
    report = ProblemReport(
        category=category,
        description=description,
        answers=answers,
        territory_id=territory,
        yard_id=yard,
        building_id=building,
        reporter_name=name,
        show_name=_flag(data.get("show_name")) and bool(name),
        reporter_email=email,
        reporter_phone=phone,
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
        email,
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
        ProblemReport.objects.filter(
            status__in=ACTIVE,
            category__code=category_code,
            geom__dwithin=(point, D(m=radius)),
        )
        .annotate(distance_m=Distance("geom", point))
        .order_by("distance_m")
    )


def add_support(report, voter, user=None, address=None):
    """«Меня тоже касается»: True if counted now, False if this voter already had.
    An anonymous `voter` starts with its `address`, which has an hourly quota."""
    if report.status not in ACTIVE:
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
        raise Refused(
            "rate",
            _("слишком много голосов с вашего адреса за час; попробуйте позже"),
            status=429,
        )


def change_status(report, status, *, role, author=None, comment="", duplicate_of=None):
    """Move a report through the workflow, with a public timeline entry."""
    allowed = _allowed(report, role)
    if status not in allowed:
        raise Refused(
            "status",
            _("из статуса «%(old)s» нельзя перейти в «%(new)s»")
            % {"old": report.get_status_display(), "new": _status_label(status)},
            status=403 if role != Role.SPECIALIST else 400,
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
            author=author,
        )
        # In this transaction, not on commit (docs/architecture.md, "Background jobs").
        notify_followers(update)
    return update


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
        raise Refused("status", _("это сообщение скрыто"), status=404)
    # One transaction: the subscription and its confirmation mail's job, or neither.
    with transaction.atomic():
        follower, created = Follower.objects.get_or_create(
            report=report, email__iexact=email, defaults={"email": email}
        )
        if created:
            ask_to_confirm(follower)
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


def is_reporter(report, user=None, token=""):
    """The reporter: the holder of the secret link, or the account that reported."""
    if report.manage_token_matches(token):
        return True
    return bool(
        user is not None and user.is_authenticated and report.user_id == user.pk
    )


def remove_personal_data(report):
    """The reporter's name and contacts are erased; the report itself stays."""
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


def role_of(report, user=None, token=""):
    """Who is acting on a report: a specialist (staff), its reporter (by account or
    by the secret link), the chair of its TOS, or None."""
    signed_in = user is not None and user.is_authenticated
    if signed_in and user.is_staff:
        return Role.SPECIALIST
    if is_reporter(report, user, token):
        return Role.REPORTER
    if signed_in and report.territory_id and report.territory.chair_user_id == user.pk:
        return Role.TOS_CHAIR
    return None
