"""E-mail of each step of a booking (docs/domain.md, "Resource centres and
bookings"), as background jobs deferred in the step's transaction, one per
recipient: a new request to the centre's staff; a decision, a cancellation or a
move by the other side to the one who asked."""

from django.contrib.auth import get_user_model

from territories.accounts.roles import GROUP_NAMES, Role

from .. import tasks

REQUESTED, ACCEPTED, DECLINED = "requested", "accepted", "declined"
CANCELLED, MOVED = "cancelled", "moved"


def requested(series, bookings):
    staff = get_user_model().objects.filter(
        centre_posts__centre_id=series.room.centre_id,
        groups__name=GROUP_NAMES[Role.CENTRE_STAFF],
        is_active=True,
    )
    defer(bookings, REQUESTED, staff.exclude(email="").values_list("pk", flat=True))


def decided(booking):
    to_requester(booking.series, [booking], booking.state, by=booking.decided_by)


def cancelled(series, bookings, by):
    to_requester(series, bookings, CANCELLED, by=by)


def moved(booking, by, by_staff):
    if by_staff:
        to_requester(booking.series, [booking], MOVED, by=by)


def to_requester(series, bookings, step, *, by):
    """To the one who asked, unless they did it themselves."""
    requester = series.requested_by_id
    if requester is not None and (by is None or by.pk != requester):
        defer(bookings, step, [requester])


def defer(bookings, step, user_ids):
    ids = [booking.pk for booking in bookings]
    jobs = [
        {"booking_ids": ids, "step": step, "user_id": pk}
        for pk in sorted(set(user_ids))
    ]
    if jobs:
        tasks.mail_bookings.batch_defer(*jobs)
