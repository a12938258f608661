"""The way of a booking (docs/domain.md, "Resource centres and bookings"): asked
for by someone acting for an organiser, held while it waits, accepted or declined
by the centre's staff, cancelled by either side; one date of a series may be moved
or cancelled alone, or the whole series cancelled. Each step notifies the other
side by e-mail jobs deferred in the step's transaction.

The rules are checked first to name what is wrong; the guarantee against double
booking is the exclusion constraint `booking_no_overlap`, whose refusal (a request
that raced past the check) is turned here into the same named refusal."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import NotFound, Refused
from geo.text import storable_text
from territories.accounts.organisers import Organiser

from .. import locks
from ..models import Booking, BookingSeries, Room
from . import access, notify, rules
from .recurrence import Repeat, occurrences

__all__ = [
    "Repeat",
    "accept",
    "cancel",
    "cancel_series",
    "decline",
    "move",
    "request",
]

State = Booking.State
OVERLAP = "booking_no_overlap"
# A booking some other app's row holds (an event's room: the trigger of events
# 0007) is changed through that row only; DETAIL names the holder.
HELD = "booking_held_by_event"
TITLE_MAX = BookingSeries._meta.get_field("title").max_length
PURPOSE_MAX = 2000
REASON_MAX = Booking._meta.get_field("decline_reason").max_length


def request(
    *,
    by,
    room,
    starts_at,
    ends_at,
    organiser,
    title,
    purpose="",
    people=None,
    repeat=None,
):
    """Book `room` from `starts_at` to `ends_at` (aware datetimes) for `organiser`
    (an accounts.organisers.Organiser `by` may act for), once or repeated
    (`repeat`: a Repeat, or None). Returns the stored BookingSeries; its dates are
    `series.bookings.all()`, each `requested` until the centre's staff decide.

    All or nothing: if any date breaks a rule, Refused (or Forbidden) names the
    field and the date(s), and nothing is stored. Safe inside an outer
    `transaction.atomic()` (the events app books a room in the same step as it
    creates an event): the writes run in a savepoint, so a refusal leaves the outer
    transaction usable; the e-mail jobs are deferred in it and go only if it
    commits."""
    if not isinstance(organiser, Organiser):
        raise Refused("organiser", _("укажите организатора"))
    access.require_requester(by, organiser)
    title = checked_text("title", title, TITLE_MAX, required=True)
    purpose = checked_text("purpose", purpose, PURPOSE_MAX)
    checked_people(people)
    checked_times(starts_at, ends_at)
    tz = rules.local_zone()
    now = timezone.now()
    last_day = (now + timedelta(days=rules.horizon_days())).astimezone(tz)
    dates, cut = occurrences(starts_at, ends_at, repeat, tz, last_day.date())
    if cut:
        raise Refused(
            "until" if repeat.until else "count",
            _("повторы дальше %d дней вперёд: бронировать так далеко нельзя")
            % rules.horizon_days(),
        )
    with transaction.atomic():
        locks.share_centre(room.centre_id)
        refuse_broken(room, dates, people, now, repeat)
        series = BookingSeries.objects.create(
            room=room,
            requested_by=by,
            title=title,
            purpose=purpose,
            people=people,
            repeat=repeat.every if repeat else BookingSeries.Repeat.NONE,
            until=repeat.until if repeat else None,
            count=repeat.count if repeat else None,
            **organiser.fields(),
        )
        rows = [
            Booking(series=series, room=room, starts_at=start, ends_at=end)
            for start, end in dates
        ]
        insert(rows, room, dates, repeat)
        notify.requested(series, rows)
        return series


def accept(booking, *, by):
    """The centre's staff accept a waiting request."""
    with transaction.atomic():
        booking = locked(booking)
        access.require_staff(by, booking.room.centre_id)
        waiting(booking)
        booking.state = State.ACCEPTED
        decided(booking, by)
        booking.save()
        notify.decided(booking)
        return booking


def decline(booking, *, by, reason):
    """The centre's staff decline a waiting request, saying why; the slot is free."""
    reason = checked_text("reason", reason, REASON_MAX, required=True)
    with transaction.atomic():
        booking = locked(booking)
        access.require_staff(by, booking.room.centre_id)
        waiting(booking)
        booking.state = State.DECLINED
        booking.decline_reason = reason
        decided(booking, by)
        store(booking)
        notify.decided(booking)
        return booking


def cancel(booking, *, by, reason=""):
    """One date cancelled, by whoever asked (or may act for the organiser) or by
    the centre's staff; the slot is free."""
    reason = checked_text("reason", reason, REASON_MAX)
    with transaction.atomic():
        booking = locked(booking)
        access.require_manager(by, booking.series, booking.room.centre_id)
        still_ahead(booking)
        cancelled(booking, by, reason)
        store(booking)
        notify.cancelled(booking.series, [booking], by)
        return booking


def cancel_series(series, *, by, reason=""):
    """Every live date of the series still ahead cancelled; the dates already past
    stay as they were. Returns the cancelled bookings."""
    reason = checked_text("reason", reason, REASON_MAX)
    with transaction.atomic():
        rows = list(
            series.bookings.select_for_update()
            .live()
            .upcoming(timezone.now())
            .select_related("room", "series")
            .order_by("starts_at")
        )
        access.require_manager(by, series, series.room.centre_id)
        if not rows:
            raise Refused("series", _("в серии нет предстоящих броней"))
        for booking in rows:
            cancelled(booking, by, reason)
            store(booking)
        notify.cancelled(series, rows, by)
        return rows


def move(booking, *, by, starts_at, ends_at):
    """One date moved to new times, checked again by every rule. Moved by the one
    who asked, it waits for a decision again; moved by the staff, it keeps its
    state."""
    checked_times(starts_at, ends_at)
    with transaction.atomic():
        # The centre before the booking, the order of a closure (which locks the
        # centre, then cancels the bookings under it): the other order deadlocks.
        centre_id = centre_of(booking)
        locks.share_centre(centre_id)
        booking = locked(booking)
        access.require_manager(by, booking.series, centre_id)
        still_ahead(booking)
        refuse_broken(
            booking.room,
            [(starts_at, ends_at)],
            booking.series.people,
            timezone.now(),
            None,
            exclude=booking,
        )
        booking.starts_at, booking.ends_at = starts_at, ends_at
        by_staff = access.is_staff_of(by, centre_id)
        if not by_staff:
            booking.state = State.REQUESTED
            booking.decided_by = booking.decided_at = None
        try:
            store(booking)
        except IntegrityError as error:
            raise clash_refusal(
                error, booking.room, [(starts_at, ends_at)], None
            ) from error
        booking.refresh_from_db(fields=["during"])
        notify.moved(booking, by, by_staff)
        return booking


def get(pk, *, by):
    """The booking, if `by` may see it (the one who asked, the organiser's people,
    the centre's staff); NotFound otherwise, as for a missing one."""
    booking = (
        Booking.objects.for_display()
        .select_related("series__requested_by")
        .filter(pk=pk)
        .first()
    )
    if booking is None or not access.may_manage(
        by, booking.series, booking.room.centre_id
    ):
        raise NotFound("booking", _("бронь не найдена"))
    return booking


def get_series(pk, *, by):
    series = BookingSeries.objects.select_related("room").filter(pk=pk).first()
    if series is None or not access.may_manage(by, series, series.room.centre_id):
        raise NotFound("series", _("серия не найдена"))
    return series


def room_of(pk):
    room = Room.objects.select_related("centre").filter(pk=pk).first()
    if room is None:
        raise NotFound("room", _("зал не найден"))
    return room


# --- steps ---------------------------------------------------------------------------


def refuse_broken(room, dates, people, now, repeat, exclude=None):
    """Refused naming every date that breaks a rule (the field of the first)."""
    found = rules.check_people(room, people)
    if found:
        raise Refused(*found)
    checker = rules.Day(room)
    broken = [
        (start, problem)
        for start, end in dates
        if (problem := checker.problem(start, end, now, exclude))
    ]
    if not broken:
        return
    if repeat is None:
        raise Refused(*broken[0][1])
    reasons = "; ".join(rules.dated(start, reason) for start, (_f, reason) in broken)
    raise Refused(broken[0][1][0], reasons)


def insert(rows, room, dates, repeat):
    """The dates stored in a savepoint; a clash the constraint found becomes the
    refusal the check would have given."""
    try:
        with transaction.atomic():
            Booking.objects.bulk_create(rows)
    except IntegrityError as error:
        raise clash_refusal(error, room, dates, repeat) from error


def clash_refusal(error, room, dates, repeat):
    """IntegrityError of `booking_no_overlap` as Refused naming the clash: the
    other booking, committed by now, is read again. Any other error goes on."""
    if constraint_of(error) != OVERLAP:
        raise error
    clashes = [
        (start, other)
        for start, end in dates
        if (other := rules.clashing(room, start, end))
    ]
    if not clashes:  # gone again since (cancelled in between)
        return Refused("starts_at", _("зал только что заняли: попробуйте ещё раз"))
    if repeat is None:
        return Refused("starts_at", rules.clash_text(clashes[0][1]))
    return Refused(
        "starts_at",
        "; ".join(rules.dated(s, rules.clash_text(o)) for s, o in clashes),
    )


def store(booking):
    """booking.save() in a savepoint; the refusal of `booking_held_by_event` (the
    booking is an event's room) as Refused naming `booking`, any other
    IntegrityError goes on."""
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        if constraint_of(error) != HELD:
            raise
        diag = getattr(error.__cause__, "diag", None)
        holder = getattr(diag, "message_detail", None) or ""
        raise Refused(
            "booking",
            _("бронь занята мероприятием «%s»: измените или отмените мероприятие")
            % holder,
        ) from error


def constraint_of(error):
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def centre_of(booking):
    """The id of the booking's centre (a booking never changes room)."""
    found = Booking.objects.filter(pk=booking.pk).values("room__centre_id").first()
    if found is None:
        raise NotFound("booking", _("бронь не найдена"))
    return found["room__centre_id"]


def locked(booking):
    found = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("room", "series")
        .filter(pk=booking.pk)
        .first()
    )
    if found is None:
        raise NotFound("booking", _("бронь не найдена"))
    return found


def waiting(booking):
    if booking.state != State.REQUESTED:
        raise Refused(
            "state",
            _("решение уже принято: %s") % booking.get_state_display(),
        )
    if booking.ends_at <= timezone.now():
        raise Refused("state", _("время брони уже прошло"))


def still_ahead(booking):
    if not booking.is_live:
        raise Refused("state", _("бронь уже %s") % booking.get_state_display())
    if booking.ends_at <= timezone.now():
        raise Refused("state", _("время брони уже прошло"))


def decided(booking, by):
    booking.decided_by = by
    booking.decided_at = timezone.now()


def cancelled(booking, by, reason):
    booking.state = State.CANCELLED
    booking.cancelled_by = by
    booking.cancelled_at = timezone.now()
    booking.cancel_reason = reason


def checked_text(field, value, longest, *, required=False):
    text = storable_text(field, value)
    if required and not text:
        raise Refused(field, _("заполните это поле"))
    if len(text) > longest:
        raise Refused(field, _("длиннее %d знаков") % longest)
    return text


def checked_people(people):
    if people is None:
        return
    if isinstance(people, bool) or not isinstance(people, int) or people < 1:
        raise Refused("people", _("число людей — целое больше нуля"))


def checked_times(starts_at, ends_at):
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is None or timezone.is_naive(value):
            raise Refused(field, _("укажите дату и время с часовым поясом"))
    found = rules.check_shape(starts_at, ends_at)
    if found:
        raise Refused(*found)
