"""Creating, editing and cancelling events (docs/domain.md, "Events"). Every
function takes the acting account (`by`) and refuses on its own with a domain error
naming the field; nothing is stored unless everything holds.

The input is one dict, as a JSON body or a page's form gives it (strings, numbers,
booleans); `read_event` turns it into model values, or refuses."""

import math
import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.gis.db.models.functions import PointOnSurface
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.dates import parse_moment
from geo.errors import NotFound, Refused
from geo.numbers import BIGINT_MAX, whole_number
from geo.text import storable_text
from geo.wgs84 import received_point
from territories.accounts import organisers
from territories.centres.models import Booking, Room
from territories.centres.services import bookings, rules
from territories.registry.models import Council, District, Ground, Territory, Yard

from .. import tasks
from ..models import Event, EventKind, Registration
from .access import check_may_manage, check_may_organise
from .registration import promote_waitlisted

PlaceKind = Event.PlaceKind
BookingState = Booking.State
MAX_CAPACITY = 100_000
# How far ahead an event may be announced: a year's calendar and the next.
MAX_AHEAD = timedelta(days=2 * 366)
TEXTS = {"title": 200, "address": 300, "campaign": 200}
ORGANISER_FIELDS = ("territory", "council", "group_name")
PLACE_FIELDS = ("place_kind", "lon", "lat", "yard", "ground", "room", "booking")
FIELDS = (
    "title",
    "kind",
    "description",
    *ORGANISER_FIELDS,
    "starts_at",
    "ends_at",
    *PLACE_FIELDS,
    "address",
    "capacity",
    "registration_required",
    "campaign",
)


# --- reading the input --------------------------------------------------------------


def text(data, field, limit, *, required=False):
    value = storable_text(field, data.get(field))
    if required and not value:
        raise Refused(field, _("обязательное поле"))
    if len(value) > limit:
        raise Refused(
            field,
            _("не длиннее %(limit)d знаков (сейчас %(n)d)")
            % {"limit": limit, "n": len(value)},
        )
    return value


def row_id(data, field):
    """A whole number id, None for null or ""."""
    raw = data.get(field)
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise Refused(field, _("ожидается id — целое число"))
    pk = whole_number(str(raw), 1, BIGINT_MAX)
    if pk is None:
        raise Refused(field, _("ожидается id — целое число"))
    return pk


def moment(data, field):
    raw = data.get(field)
    if not isinstance(raw, str) or not raw.strip():
        raise Refused(field, _("укажите дату и время (ГГГГ-ММ-ДДTчч:мм)"))
    try:
        value = parse_moment(raw.strip())
    except OverflowError:
        value = None
    if value is None or ":" not in raw:
        raise Refused(field, _("ожидаются дата и время в формате ГГГГ-ММ-ДДTчч:мм"))
    return value


def degrees(data, field, bound):
    raw = data.get(field)
    if isinstance(raw, bool):
        raw = None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value) or abs(value) > bound:
        raise Refused(field, _("ожидается число от −%d до %d") % (bound, bound))
    return value


def flag(data, field):
    raw = data.get(field, False)
    if isinstance(raw, bool):
        return raw
    if raw in (None, "", "0", "false", "off", "no"):
        return False
    if raw in ("1", "true", "on", "yes"):
        return True
    raise Refused(field, _("ожидается да или нет (true/false)"))


def capacity(data):
    raw = data.get("capacity")
    if raw is None or raw == "":
        return None
    number = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, str) and re.fullmatch("-?[0-9]{1,9}", raw.strip()):
        number = int(raw.strip())
    if number is None or number <= 0 or number > MAX_CAPACITY:
        raise Refused(
            "capacity",
            _("число мест — целое от 1 до %d, или пусто (без ограничения)")
            % MAX_CAPACITY,
        )
    return number


def kind_of(data):
    code = storable_text("kind", data.get("kind"))
    if not code:
        raise Refused("kind", _("выберите вид мероприятия"))
    kind = EventKind.objects.filter(code=code).first()
    if kind is None:
        raise Refused("kind", _("нет вида мероприятия с кодом «%s»") % code[:64])
    return kind


def organiser_of(data):
    territory = council = None
    pk = row_id(data, "territory")
    if pk is not None:
        territory = Territory.objects.filter(pk=pk).first()
        if territory is None:
            raise Refused("territory", _("нет ТОС с id %d") % pk)
    pk = row_id(data, "council")
    if pk is not None:
        council = Council.objects.filter(pk=pk).first()
        if council is None:
            raise Refused("council", _("нет совета с id %d") % pk)
    group_name = text(data, "group_name", 200)
    return organisers.organiser(
        territory=territory, council=council, group_name=group_name
    )


def place_of(data):
    """{place_kind, yard, ground, room, booking, geom}: a point given in WGS 84, a
    point on the surface of the chosen yard or ground (computed by PostGIS), or a
    resource centre's room (the centre's point) with an existing booking or one to
    be requested with the event (`booking` None: see `book_room`)."""
    kind = data.get("place_kind")
    if kind not in PlaceKind.values:
        raise Refused("place_kind", _("одно из: %s") % ", ".join(PlaceKind.values))
    allowed = {kind, "booking"} if kind == PlaceKind.ROOM else {kind}
    given = {
        f
        for f in ("yard", "ground", "room", "booking")
        if data.get(f) not in (None, "")
    }
    stray = sorted(given - allowed)
    if stray:
        raise Refused(
            stray[0], _("место — «%s»: это поле не нужно") % PlaceKind(kind).label
        )
    nothing = {"yard": None, "ground": None, "room": None, "booking": None}
    if kind == PlaceKind.POINT:
        return {**nothing, "place_kind": kind, "geom": point(data)}
    if kind == PlaceKind.ROOM:
        return {**nothing, "place_kind": kind, **room_of(data)}
    model = Yard if kind == PlaceKind.YARD else Ground
    pk = row_id(data, kind)
    if pk is None:
        raise Refused(kind, _("выберите место"))
    found = model.objects.filter(pk=pk).annotate(spot=PointOnSurface("geom")).first()
    if found is None:
        raise Refused(kind, _("нет такого места (id %d)") % pk)
    return {**nothing, "place_kind": kind, kind: found, "geom": found.spot}


def room_of(data):
    """The room (and the booking, when one is named) of an event in a room."""
    room_pk, booking_pk = row_id(data, "room"), row_id(data, "booking")
    room = booking = None
    if room_pk is not None:
        room = Room.objects.select_related("centre").filter(pk=room_pk).first()
        if room is None:
            raise Refused("room", _("нет такого зала (id %d)") % room_pk)
    if booking_pk is not None:
        booking = (
            Booking.objects.select_related("series", "room__centre")
            .filter(pk=booking_pk)
            .first()
        )
        if booking is None:
            raise Refused("booking", _("нет такой брони (id %d)") % booking_pk)
        if room is not None and booking.room_id != room.pk:
            raise Refused(
                "booking",
                _("это бронь другого зала: «%(room)s», %(centre)s")
                % {"room": booking.room.name, "centre": booking.room.centre.name},
            )
        room = booking.room
    if room is None:
        raise Refused("room", _("выберите зал ресурсного центра"))
    return {"room": room, "booking": booking, "geom": room.centre.geom}


def point(data):
    lat = degrees(data, "lat", 90)
    lon = degrees(data, "lon", 180)
    geom = received_point(lon, lat, field="lat")
    if (
        District.objects.exists()
        and not District.objects.filter(geom__covers=geom).exists()
    ):
        raise Refused("lat", _("точка вне границ округа"))
    return geom


def read_event(data, *, current=None):
    """Model values of the fields in `data` (all of them for a new event; for an
    edit of `current`, only those given, checked together with the stored rest)."""
    if not isinstance(data, dict):
        raise Refused("body", _("ожидается объект JSON"))
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise Refused(unknown[0], _("неизвестное поле"))
    new = current is None
    values = {}
    if new or "title" in data:
        values["title"] = text(data, "title", TEXTS["title"], required=True)
    if new or "kind" in data:
        values["kind"] = kind_of(data)
    if "description" in data:
        values["description"] = text(
            data, "description", settings.EVENT_MAX_DESCRIPTION
        )
    for field in ("address", "campaign"):
        if field in data:
            values[field] = text(data, field, TEXTS[field])
    if new or any(f in data for f in ORGANISER_FIELDS):
        values["organiser"] = organiser_of(data)
    values.update(times(data, current))
    if new or any(f in data for f in PLACE_FIELDS):
        values.update(place_of(data))
    if new or "registration_required" in data:
        values["registration_required"] = flag(data, "registration_required")
    if new or "capacity" in data:
        values["capacity"] = capacity(data)
    required = values.get(
        "registration_required", current and current.registration_required
    )
    places = values.get("capacity", current and current.capacity)
    if places is not None and not required:
        raise Refused("capacity", _("число мест ограничивают только вместе с записью"))
    return values


def times(data, current):
    """starts_at and ends_at given (both for a new event), checked against each
    other and the stored one; a start in the past only if it is unchanged."""
    values = {}
    for field in ("starts_at", "ends_at"):
        if current is None or field in data:
            values[field] = moment(data, field)
    starts = values.get("starts_at", current and current.starts_at)
    ends = values.get("ends_at", current and current.ends_at)
    now = timezone.now()
    if "starts_at" in values and starts != (current and current.starts_at):
        if starts < now:
            raise Refused("starts_at", _("мероприятие не может начаться в прошлом"))
        if starts > now + MAX_AHEAD:
            raise Refused("starts_at", _("не дальше чем на два года вперёд"))
    if ends <= starts:
        raise Refused("ends_at", _("окончание должно быть позже начала"))
    if ends - starts > timedelta(days=31):
        raise Refused("ends_at", _("мероприятие длится не больше 31 дня"))
    return values


# --- the rules ----------------------------------------------------------------------


def create_event(data, *, by):
    """A new scheduled event for an organiser `by` may act for. In a room, the
    room is booked in the same transaction (a refused booking stores nothing)."""
    check_may_organise(by)
    values = read_event(data)
    who = values.pop("organiser")
    organisers.check_may_act_for(by, who)
    with transaction.atomic():
        event = Event(**values, **who.fields(), created_by=by)
        book_room(event, who, by, new_place="place_kind" in data)
        event.save()
    return event


def keeps_booking(event, values):
    """The same room given again without a booking: the event keeps its own."""
    return (
        values.get("place_kind") == PlaceKind.ROOM
        and values.get("booking") is None
        and event.booking_id is not None
        and values.get("room") == event.room
    )


def book_room(event, who, by, *, new_place):
    """An event in a room holds a booking of it: a booking named in the input
    must be the organiser's, alive, of that room, not another event's and cover
    the event's time; without one, the room is requested now (centres'
    bookings.request, inside the caller's transaction: its refusal rolls the event
    back too). docs/domain.md, "Events"."""
    if event.place_kind != PlaceKind.ROOM:
        return
    booking = event.booking
    if booking is None:
        try:
            series = bookings.request(
                by=by,
                room=event.room,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                organiser=who,
                title=event.title,
                people=event.capacity,
            )
        except Refused as refused:
            # The centres' name for the number of people is the event's capacity.
            if refused.field == "people":
                refused.field = "capacity"
            raise
        event.booking = series.bookings.get()
        return
    # The room seats no more than its capacity, whoever booked it and whenever the
    # event's places are raised (centres' rule, named as the event's field).
    found = rules.check_people(event.room, event.capacity)
    if found:
        raise Refused("capacity", found[1])
    if new_place:
        # Under the booking's row lock: a cancel of it racing this waits, then its
        # trigger (events 0007) sees the event; or this waits and sees it cancelled.
        booking = event.booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("series", "room__centre")
            .get(pk=booking.pk)
        )
        if organisers.of_row(booking.series) != who or not organisers.may_act_for_row(
            by, booking.series, booking.series.requested_by_id
        ):
            raise Refused("booking", _("эта бронь не организатора мероприятия"))
        if booking.state not in (BookingState.REQUESTED, BookingState.ACCEPTED):
            raise Refused(
                "booking", _("бронь %s") % booking.get_state_display().lower()
            )
        taken = Event.objects.filter(booking=booking).exclude(pk=event.pk)
        if taken.exists():
            raise Refused("booking", _("эта бронь уже у другого мероприятия"))
    if booking.starts_at > event.starts_at or booking.ends_at < event.ends_at:
        field = "starts_at" if booking.starts_at > event.starts_at else "ends_at"
        raise Refused(
            field if not new_place else "booking",
            _("мероприятие выходит за время брони зала; сначала перенесите бронь"),
        )
    keep_people(booking, event.capacity)


def keep_people(booking, places):
    """The people expected in a booking of the event's alone follow its places,
    so the centre's staff see the number the organiser promised."""
    series = booking.series
    if places is None or series.people == places or series.bookings.count() != 1:
        return
    series.people = places
    series.save(update_fields=["people"])


def edit_event(event, data, *, by):
    """Change the fields given. Capacity cannot go below the people already
    registered (refused: they were promised a place); raised, it lets the first
    waitlisted in, in the same transaction (docs/domain.md, "Events")."""
    check_may_manage(by, event)
    with transaction.atomic():
        event = locked(event.pk)
        check_open(event)
        values = read_event(data, current=event)
        who = values.pop("organiser", None)
        if who is not None:
            organisers.check_may_act_for(by, who)
            values.update(who.fields())
        check_registrations_kept(event, values)
        moved = {
            f
            for f in ("starts_at", "ends_at")
            if f in values and values[f] != getattr(event, f)
        }
        if moved:
            check_not_started(event)
        before = event.booking
        new_place = "place_kind" in data
        if new_place and keeps_booking(event, values):
            values["booking"], new_place = before, False
        for field, value in values.items():
            setattr(event, field, value)
        book_room(event, organisers.of_row(event), by, new_place=new_place)
        event.save()
        if before is not None and event.booking != before:
            release_room(Event(booking=before), by)
        promote_waitlisted(event)
        if "starts_at" in moved:
            announce_move(event)
    return event


def announce_move(event):
    """A new start: the reminder is due again before it, and everyone signed up
    who left an e-mail is told, one job each (docs/domain.md, "Events")."""
    live = event.registrations.exclude(state=Registration.State.CANCELLED)
    live.exclude(reminded_at=None).update(reminded_at=None)
    jobs = [
        {"registration_id": pk}
        for pk in live.exclude(email="").values_list("pk", flat=True)
    ]
    if jobs:
        tasks.mail_event_moved.batch_defer(*jobs)


def check_registrations_kept(event, values):
    live = event.registrations.exclude(state=Registration.State.CANCELLED)
    registered = live.filter(state=Registration.State.REGISTERED).count()
    places = values.get("capacity", event.capacity)
    if places is not None and registered > places:
        raise Refused(
            "capacity",
            _("уже записались %(n)d человек: мест не может быть меньше")
            % {"n": registered},
        )
    if values.get("registration_required") is False and live.exists():
        raise Refused(
            "registration_required",
            _("на мероприятие уже записались: запись нельзя отключить"),
        )


def cancel_event(event, *, by):
    """Cancel a scheduled event that has not ended; everyone signed up (registered
    or waitlisted) who left an e-mail is told, one job each."""
    check_may_manage(by, event)
    with transaction.atomic():
        event = locked(event.pk)
        check_open(event)
        check_not_started(event)
        event.state = Event.State.CANCELLED
        event.save(update_fields=["state", "updated_at"])
        release_room(event, by)
        told = event.registrations.exclude(state=Registration.State.CANCELLED)
        jobs = [
            {"registration_id": pk}
            for pk in told.exclude(email="").values_list("pk", flat=True)
        ]
        if jobs:
            tasks.mail_event_cancelled.batch_defer(*jobs)
    return event


def release_room(event, by):
    """The room booked for a cancelled event is freed, if it is still ahead and
    not decided against; a booking the centres refuse to cancel stays as it is."""
    booking = event.booking
    if booking is None or booking.state not in (
        BookingState.REQUESTED,
        BookingState.ACCEPTED,
    ):
        return
    try:
        with transaction.atomic():
            bookings.cancel(booking, by=by, reason=_("мероприятие отменено"))
    except Refused:
        pass


def locked(pk):
    """The event's row, locked as the sign-ups lock it (services/registration.py)."""
    event = Event.objects.select_for_update(no_key=True).filter(pk=pk).first()
    if event is None:
        raise NotFound("event", _("мероприятие не найдено"))
    return event


def check_open(event):
    if event.state == Event.State.CANCELLED:
        raise Refused("state", _("мероприятие отменено"))
    if event.ends_at <= timezone.now():
        raise Refused("state", _("мероприятие уже прошло"))


def check_not_started(event):
    """Cancelling or moving is for an event still ahead: once it has started, or
    its results are recorded, what happened stays as it was."""
    if event.recorded_at is not None:
        raise Refused(
            "state", _("итоги уже внесены: мероприятие нельзя отменить или перенести")
        )
    if event.starts_at <= timezone.now():
        raise Refused(
            "state", _("мероприятие уже началось: его нельзя отменить или перенести")
        )


def create_kind(name, *, by):
    """An organiser's own kind of event; names are unique whatever their case."""
    check_may_organise(by)
    name = text({"name": name}, "name", 200, required=True)
    if EventKind.objects.filter(name__iexact=name).exists():
        raise Refused("name", _("такой вид мероприятия уже есть"))
    try:
        with transaction.atomic():
            return EventKind.objects.create(
                name=name, code=f"own-{uuid.uuid4().hex[:12]}", created_by=by
            )
    except IntegrityError:  # the same name added at the same moment
        raise Refused("name", _("такой вид мероприятия уже есть")) from None
