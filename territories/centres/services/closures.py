"""Closures of a centre or a room (docs/domain.md, "Resource centres and bookings",
Closures). A closure over live bookings is refused, naming them, unless the staff
ask to cancel them: then each is cancelled with the closure's reason and the one
who asked is told by e-mail. The centre's row is locked FOR UPDATE, so no booking
of the centre (which takes it FOR SHARE) slips in meanwhile."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import Refused

from .. import locks
from ..models import Booking, Closure
from . import access, notify, rules
from .bookings import REASON_MAX, cancelled, checked_text, store


def add(*, centre, starts_at, ends_at, reason, by, room=None, cancel_bookings=False):
    """Store a closure of `centre` (or of its `room`) from `starts_at` to
    `ends_at`; returns (closure, the bookings cancelled for it)."""
    closure = Closure(
        centre=centre, room=room, starts_at=starts_at, ends_at=ends_at, reason=reason
    )
    return save(closure, by=by, cancel_bookings=cancel_bookings)


def save(closure, *, by, cancel_bookings=False):
    """Store a new or changed closure (the admin's way too): refused over live
    bookings ahead unless `cancel_bookings`; (closure, the bookings cancelled)."""
    access.require_staff(by, closure.centre_id)
    closure.reason = checked_text("reason", closure.reason, REASON_MAX, required=True)
    room = closure.room
    if room is not None and room.centre_id != closure.centre_id:
        raise Refused("room", _("зал другого центра"))
    starts_at, ends_at = closure.starts_at, closure.ends_at
    if ends_at is None or starts_at is None or ends_at <= starts_at:
        raise Refused("ends_at", _("окончание должно быть позже начала"))
    with transaction.atomic():
        locks.lock_centre(closure.centre_id)
        hit = list(affected(closure.centre_id, room, starts_at, ends_at))
        if hit and not cancel_bookings:
            raise Refused("starts_at", over_bookings(hit))
        for booking in hit:
            cancelled(booking, by, closure.reason)
            store(booking)
            notify.cancelled(booking.series, [booking], by)
        closure.save()
        return closure, hit


def affected(centre_id, room, starts_at, ends_at):
    """The live bookings ahead that a closure would cover."""
    found = (
        Booking.objects.live()
        .filter(room__centre_id=centre_id)
        .overlapping(starts_at, ends_at)
        .upcoming(timezone.now())
        .select_related("room", "series__territory", "series__council")
        .order_by("starts_at")
    )
    return found.of_room(room) if room is not None else found


def over_bookings(bookings):
    listed = "; ".join(
        f"{rules.day(b.starts_at)} {b.room.name}: {rules.clash_text(b)}"
        for b in bookings[:10]
    )
    return _("на это время есть брони — отмените их или закройте позже: %s") % listed
