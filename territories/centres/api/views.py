"""Centres API (docs/domain.md, "Resource centres and bookings"): public lists of
centres and rooms and a room's busy week; bookings for those who may book, the
staff's queue and decisions. Views read the request and call the services, which
decide and refuse; refusals are JSON {"field", "error"} with a 4xx status."""

from datetime import date

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from geo.api.refusals import RefusingAPIView
from geo.api.serializers import ErrorSerializer
from geo.dates import parse_moment
from geo.errors import Forbidden, NotFound, QueryError, Refused
from geo.numbers import whole_number
from territories.accounts.organisers import organiser
from territories.registry.models import Council, ResourceCentre, Territory

from ..models import Booking, Closure, Room
from ..services import access, bookings, closures
from ..services.recurrence import Repeat
from ..week import parse_week, room_week
from .serializers import (
    BookingRequestSerializer,
    BookingSerializer,
    CentreDetailSerializer,
    CentreSerializer,
    ClosureAddedSerializer,
    ClosureInputSerializer,
    DeclineSerializer,
    MoveSerializer,
    ReasonSerializer,
    RoomSerializer,
    RoomWeekSerializer,
    SeriesSerializer,
    StaffClosureSerializer,
)

PUBLIC_ERRORS = {code: ErrorSerializer for code in (400, 404)}
ERRORS = {code: ErrorSerializer for code in (400, 401, 403, 404, 413)}
SCOPES = ("mine", "queue", "centre")


class CentresView(RefusingAPIView):
    pass


class PublicCentresView(CentresView):
    """Public and the same for everyone: no credentials read."""

    authentication_classes = []
    permission_classes = []


class SignedInView(CentresView):
    permission_classes = [IsAuthenticated]

    def body(self):
        data = self.request.data
        if not isinstance(data, dict):
            raise Refused("body", _("ожидается объект JSON"))
        return data

    def booking(self, pk):
        return bookings.get(checked_id("booking", pk), by=self.request.user)

    def context(self):
        """The requester is shown to the staff of the booking's centre only."""
        centre_ids = access.staff_centre_ids(self.request.user)
        return {
            "shows_requester": lambda b: (
                centre_ids is None or b.room.centre_id in centre_ids
            )
        }

    def one(self, booking, status=200):
        data = BookingSerializer(booking, context=self.context()).data
        return Response(data, status=status)


def centres():
    return ResourceCentre.objects.order_by("name", "pk").prefetch_related(
        Prefetch("room_set", Room.objects.order_by("name")),
        "opening_hours_set",
    )


class CentreListView(PublicCentresView):
    @extend_schema(
        summary="Ресурсные центры с залами (resource centres with their rooms)",
        responses={200: CentreSerializer(many=True), **PUBLIC_ERRORS},
    )
    def get(self, request):
        return Response(CentreSerializer(centres(), many=True).data)


class CentreDetailView(PublicCentresView):
    @extend_schema(
        summary="Ресурсный центр: залы, часы, закрытия (a centre)",
        responses={200: CentreDetailSerializer, **PUBLIC_ERRORS},
    )
    def get(self, request, pk):
        centre = centres().filter(pk=checked_id("centre", pk)).first()
        if centre is None:
            raise NotFound("centre", _("ресурсный центр не найден"))
        centre.upcoming_closures = (
            Closure.objects.filter(centre=centre)
            .upcoming(timezone.now())
            .order_by("starts_at")
        )
        return Response(CentreDetailSerializer(centre).data)


class CentreClosuresView(SignedInView):
    """A centre's closures for its own staff (and administrators)."""

    def centre(self, pk):
        centre = ResourceCentre.objects.filter(pk=checked_id("centre", pk)).first()
        if centre is None:
            raise NotFound("centre", _("ресурсный центр не найден"))
        access.require_staff(self.request.user, centre)
        return centre

    @extend_schema(
        operation_id="centre_closures_list",
        summary="Закрытия центра впереди (a centre's closures ahead; its staff)",
        responses={200: StaffClosureSerializer(many=True), **ERRORS},
    )
    def get(self, request, pk):
        centre = self.centre(pk)
        rows = (
            Closure.objects.filter(centre=centre)
            .upcoming(timezone.now())
            .order_by("starts_at", "pk")
        )
        return Response(StaffClosureSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="centre_closures_add",
        summary="Закрыть центр или зал (add a closure; the centre's staff)",
        description=(
            "Refused over live bookings ahead (400 on starts_at, naming them) "
            "unless cancel_bookings: then each is cancelled with the closure's "
            "reason and its requester told by e-mail. A booking an event holds is "
            "not cancelled this way (400 on booking)."
        ),
        request=ClosureInputSerializer,
        responses={201: ClosureAddedSerializer, **ERRORS},
    )
    def post(self, request, pk):
        centre = self.centre(pk)
        data = self.body()
        room = None
        if (room_pk := id_field(data, "room")) is not None:
            room = Room.objects.filter(pk=room_pk).first()
            if room is None:
                raise Refused("room", _("зал не найден"))
        cancel = data.get("cancel_bookings", False)
        if not isinstance(cancel, bool):
            raise Refused("cancel_bookings", _("ожидается true или false"))
        closure, hit = closures.add(
            centre=centre,
            room=room,
            starts_at=moment(data, "starts_at"),
            ends_at=moment(data, "ends_at"),
            reason=data.get("reason"),
            by=request.user,
            cancel_bookings=cancel,
        )
        answer = {"closure": closure, "cancelled": [b.pk for b in hit]}
        return Response(ClosureAddedSerializer(answer).data, status=201)


class RoomListView(PublicCentresView):
    @extend_schema(
        summary="Залы всех центров (rooms)",
        responses={200: RoomSerializer(many=True), **PUBLIC_ERRORS},
    )
    def get(self, request):
        rooms = Room.objects.order_by("centre__name", "centre_id", "name")
        return Response(RoomSerializer(rooms, many=True).data)


class RoomBusyView(PublicCentresView):
    @extend_schema(
        summary="Занятость зала за неделю (a room's busy week)",
        description=(
            "Busy intervals (requested ones hold their slot too), opening hours and "
            "closures of one ISO week, local time zone named. Public: titles and "
            "organisers' public names, never who asked."
        ),
        parameters=[
            OpenApiParameter(
                "week", str, description="ISO week YYYY-Www; this week by default"
            )
        ],
        responses={200: RoomWeekSerializer, **PUBLIC_ERRORS},
    )
    def get(self, request, pk):
        for name in request.query_params:
            if name != "week":
                raise QueryError(name, _("неизвестный параметр"))
        monday = parse_week(request.query_params.get("week"))
        week = room_week(bookings.room_of(checked_id("room", pk)), monday)
        context = {"time_zone": settings.TIME_ZONE}
        return Response(RoomWeekSerializer(week, context=context).data)


class BookingListView(SignedInView):
    @extend_schema(
        summary="Мои брони или очередь центра (my bookings, or the staff's queue)",
        description=(
            "scope=mine (default): the dates I asked for, still ahead; "
            "scope=queue: requests waiting for a decision at my centres; "
            "scope=centre: every live date ahead at my centres."
        ),
        parameters=[OpenApiParameter("scope", str, enum=list(SCOPES))],
        responses={200: BookingSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        scope = request.query_params.get("scope") or "mine"
        if scope not in SCOPES:
            raise QueryError("scope", _("одно из: %s") % ", ".join(SCOPES))
        user = request.user
        found = Booking.objects.for_display().select_related("series__requested_by")
        found = found.upcoming(timezone.now())
        if scope == "mine":
            found = found.requested_by(user)
        elif not access.is_any_staff(user):
            raise Forbidden("scope", _("очередь видят сотрудники центров"))
        elif scope == "queue":
            found = found.awaiting(user)
        else:
            found = found.of_staff(user).live()
        rows = found.order_by("starts_at", "pk")[:500]
        data = BookingSerializer(rows, many=True, context=self.context()).data
        return Response(data)

    @extend_schema(
        summary="Забронировать зал (request a room)",
        description=(
            "One date, or weekly / monthly ones (repeat). All or nothing: a refusal "
            "names the field and every date that breaks a rule."
        ),
        request=BookingRequestSerializer,
        responses={201: SeriesSerializer, **ERRORS},
    )
    def post(self, request):
        data = self.body()
        room = bookings.room_of(id_field(data, "room", required=True))
        series = bookings.request(
            by=request.user,
            room=room,
            starts_at=moment(data, "starts_at"),
            ends_at=moment(data, "ends_at"),
            organiser=organiser_of(data),
            title=data.get("title"),
            purpose=data.get("purpose") or "",
            people=people_of(data),
            repeat=repeat_of(data.get("repeat")),
        )
        rows = (
            series.bookings.for_display()
            .select_related("series__requested_by")
            .order_by("starts_at")
        )
        context = {**self.context(), "bookings": rows}
        return Response(SeriesSerializer(series, context=context).data, status=201)


class BookingDetailView(SignedInView):
    @extend_schema(
        summary="Бронь (a booking)", responses={200: BookingSerializer, **ERRORS}
    )
    def get(self, request, pk):
        return self.one(self.booking(pk))

    @extend_schema(
        summary="Перенести одну дату (move one date)",
        request=MoveSerializer,
        responses={200: BookingSerializer, **ERRORS},
    )
    def patch(self, request, pk):
        data = self.body()
        booking = self.booking(pk)
        moved = bookings.move(
            booking,
            by=request.user,
            starts_at=moment(data, "starts_at"),
            ends_at=moment(data, "ends_at"),
        )
        return self.one(self.booking(moved.pk))


class AcceptView(SignedInView):
    @extend_schema(
        summary="Подтвердить (accept; the centre's staff)",
        request=None,
        responses={200: BookingSerializer, **ERRORS},
    )
    def post(self, request, pk):
        booking = bookings.accept(self.booking(pk), by=request.user)
        return self.one(self.booking(booking.pk))


class DeclineView(SignedInView):
    @extend_schema(
        summary="Отклонить с причиной (decline; the centre's staff)",
        request=DeclineSerializer,
        responses={200: BookingSerializer, **ERRORS},
    )
    def post(self, request, pk):
        reason = self.body().get("reason")
        booking = bookings.decline(self.booking(pk), by=request.user, reason=reason)
        return self.one(self.booking(booking.pk))


class CancelView(SignedInView):
    @extend_schema(
        summary="Отменить одну дату (cancel one date)",
        request=ReasonSerializer,
        responses={200: BookingSerializer, **ERRORS},
    )
    def post(self, request, pk):
        reason = self.body().get("reason") or ""
        booking = bookings.cancel(self.booking(pk), by=request.user, reason=reason)
        return self.one(self.booking(booking.pk))


class SeriesCancelView(SignedInView):
    @extend_schema(
        summary="Отменить всю серию (cancel every date ahead of a series)",
        request=ReasonSerializer,
        responses={200: BookingSerializer(many=True), **ERRORS},
    )
    def post(self, request, pk):
        reason = self.body().get("reason") or ""
        series = bookings.get_series(checked_id("series", pk), by=request.user)
        rows = bookings.cancel_series(series, by=request.user, reason=reason)
        shown = (
            Booking.objects.for_display()
            .select_related("series__requested_by")
            .filter(pk__in=[b.pk for b in rows])
        )
        data = BookingSerializer(shown, many=True, context=self.context()).data
        return Response(data)


# --- reading the body ---------------------------------------------------------------


def checked_id(field, value):
    pk = whole_number(str(value), 1)
    if pk is None:
        raise NotFound(field, _("не найдено"))
    return pk


def id_field(data, field, *, required=False):
    value = data.get(field)
    if value in (None, ""):
        if required:
            raise Refused(field, _("заполните это поле"))
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise Refused(field, _("ожидается номер"))
    pk = whole_number(str(value), 1)
    if pk is None:
        raise Refused(field, _("ожидается номер"))
    return pk


def moment(data, field):
    value = data.get(field)
    if not isinstance(value, str) or not value.strip():
        raise Refused(field, _("укажите дату и время (ISO 8601)"))
    try:
        found = parse_moment(value.strip())
    except OverflowError:
        found = None
    if found is None or "T" not in value.upper() and " " not in value.strip():
        raise Refused(field, _("дата и время в виде 2027-03-10T18:00"))
    return found


def organiser_of(data):
    territory = council = None
    if (pk := id_field(data, "territory")) is not None:
        territory = Territory.objects.filter(pk=pk).first()
        if territory is None:
            raise Refused("territory", _("ТОС не найден"))
    if (pk := id_field(data, "council")) is not None:
        council = Council.objects.filter(pk=pk).first()
        if council is None:
            raise Refused("council", _("совет не найден"))
    group = data.get("group_name") or ""
    if not isinstance(group, str):
        raise Refused("group_name", _("ожидается текст"))
    return organiser(territory=territory, council=council, group_name=group)


def people_of(data):
    value = data.get("people")
    if value in (None, ""):
        return None
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str):
        number = whole_number(value, 1)
    if number is None or number < 1:
        raise Refused("people", _("число людей — целое больше нуля"))
    return number


def repeat_of(value):
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict):
        raise Refused("repeat", _("ожидается объект: every, until или count"))
    until = value.get("until")
    if until not in (None, ""):
        until = day_of(until, "until")
    else:
        until = None
    count = value.get("count")
    if count not in (None, ""):
        if isinstance(count, bool) or not isinstance(count, (int, str)):
            raise Refused("count", _("ожидается целое число"))
        count = whole_number(str(count), 0, 10_000)
        if count is None:
            raise Refused("count", _("ожидается целое число"))
    else:
        count = None
    return Repeat(every=value.get("every"), until=until, count=count)


def day_of(value, field):
    try:
        found = parse_date(value) if isinstance(value, str) else None
    except ValueError:
        found = None
    if not isinstance(found, date):
        raise Refused(field, _("дата в виде 2027-03-31"))
    return found
