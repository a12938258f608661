"""Taking a report in: the sender's quota and refusal budget, the checks of
`submission`, placement, the photos, and one transaction for the report, its
photos, its first timeline entry and the reporter's subscription. Also what a
resident sees before submitting: open reports nearby."""

from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from geo.errors import RateLimited, Refused
from geo.wgs84 import received_point
from territories.accounts import roles
from territories.registry.spatial import place

from ..models import (
    Follower,
    ProblemReport,
    ReportPhoto,
    ReportUpdate,
)
from . import attempts
from .photos import clean_photos
from .submission import Degrees, validated_submission

Status = ProblemReport.Status
Role = ReportUpdate.Role


def parse_point(lat, lon):
    """(lat, lon) as finite degrees within range, or Refused naming the field."""
    values = {}
    for field, raw, bound in (("lat", lat, 90), ("lon", lon, 180)):
        try:
            values[field] = Degrees(bound).run_validation(raw)
        except serializers.ValidationError as error:
            raise Refused(field, str(error.detail[0])) from None
    return values["lat"], values["lon"]


def _sender(client_hash, api_key, user):
    """Who a submission counts against, or None for staff: each Open311 key, each
    signed-in resident and each anonymous client (its address) on its own."""
    if api_key is not None:
        return f"key:{api_key.pk}"
    if user is not None and user.is_authenticated:
        return None if roles.is_specialist(user) else f"user:{user.pk}"
    return f"client:{client_hash}"


def _quota(client_hash, api_key, user):
    """(who is counted, their reports of the last hour, the quota), or None for
    staff."""
    who = _sender(client_hash, api_key, user)
    if who is None:
        return None
    since = timezone.now() - timedelta(hours=1)
    if api_key is not None:
        recent = ProblemReport.objects.filter(api_key=api_key, created_at__gte=since)
        return who, recent, api_key.hourly_quota
    if who.startswith("user:"):
        # Not by client hash: signed-in residents behind one NAT would share it.
        recent = ProblemReport.objects.filter(
            user=user, api_key__isnull=True, created_at__gte=since
        )
        return who, recent, settings.REPORT_HOURLY_QUOTA
    recent = ProblemReport.objects.filter(
        client_hash=client_hash,
        user__isnull=True,
        api_key__isnull=True,
        created_at__gte=since,
    )
    return who, recent, settings.REPORT_HOURLY_QUOTA


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


@contextmanager
def submission_attempt(client_hash="", api_key=None, user=None):
    """One submission of a sender, checked first of all: its hourly quota, then its
    refusal budget (`attempts`); whatever the block refuses, but the rate, counts
    as a refusal. Edges wrap their own checks of a submission in it (the declared
    length, Open311's service code and location) so that those count too;
    `submit_report` inside it is the same attempt."""
    sender = _sender(client_hash, api_key, user)
    if attempts.under_way(sender):
        yield
        return
    check_rate(client_hash, api_key, user)
    with attempts.attempt(sender):
        yield


def submit_report(data, photos=(), *, source, user=None, client_hash="", api_key=None):
    """Take a report in: (report, manage token). `data` holds lat, lon, category,
    description, name, email, phone, show_name and answers ({question code: value}),
    checked by `submission.ReportSubmission`. The cheap checks come first (the
    quota and the refusal budget, the fields with the photos' count and sizes, the
    place, the photos' headers), so a refused request decodes no photo
    (docs/architecture.md, "Cheap checks first")."""
    with submission_attempt(client_hash, api_key, user):
        fields = validated_submission(data, photos)
        point = received_point(fields["lon"], fields["lat"])
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
            attempts.accepted()
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
    point = received_point(lon, lat)
    return (
        ProblemReport.objects.active()
        .filter(category__code=category_code)
        .near(point, radius)
    )
