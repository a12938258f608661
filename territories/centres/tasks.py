"""Background jobs of centres: the e-mail of each step of a booking
(docs/architecture.md, "Background jobs"). A job carries ids and re-reads them."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from territories.accounts.organisers import of_row

from .models import Booking
from .services.rules import day, span

MAIL_RETRY = RetryStrategy(max_attempts=4, exponential_wait=5)

SUBJECTS = {
    "requested": gettext_lazy("Новая заявка на зал: %(room)s"),
    "accepted": gettext_lazy("Бронь подтверждена: %(room)s"),
    "declined": gettext_lazy("Бронь отклонена: %(room)s"),
    "cancelled": gettext_lazy("Бронь отменена: %(room)s"),
    "moved": gettext_lazy("Бронь перенесена: %(room)s"),
}


# Task names are fixed: queued rows name their task.
@app.task(name="centres.mail_bookings", queue="mail", retry=MAIL_RETRY)
def mail_bookings(booking_ids, step, user_id):
    """One step (`step`: services.notify's names) of some dates of one series."""
    bookings = list(
        Booking.objects.filter(pk__in=booking_ids)
        .select_related("room__centre", "series__territory", "series__council")
        .order_by("starts_at")
    )
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if not bookings or user is None or not user.email or step not in SUBJECTS:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = step_text(bookings, step)
    send_mail(
        subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False
    )


def step_text(bookings, step):
    first = bookings[0]
    room = f"{first.room.centre.name}, {first.room.name}"
    subject = str(SUBJECTS[step]) % {"room": room}
    lines = [
        _("«%(title)s», организатор: %(organiser)s")
        % {"title": first.series.title, "organiser": of_row(first.series).name},
        "",
        *(f"{day(b.starts_at)} {span(b.starts_at, b.ends_at)}" for b in bookings),
    ]
    if step == "declined":
        lines += ["", _("Причина: %s") % first.decline_reason]
    if step == "cancelled" and first.cancel_reason:
        lines += ["", _("Причина: %s") % first.cancel_reason]
    page = "centres-queue" if step == "requested" else "centres-my-bookings"
    lines += ["", settings.SITE_URL.rstrip("/") + reverse(page)]
    return subject, "\n".join(lines)
