"""Pages of the resource centres (docs/domain.md, "Resource centres and
bookings"): the list of centres, a centre, a room's week grid with the request
form, "my bookings" and the staff's queue. Forms post here; the services decide
and refuse, and a refusal is shown next to the form or as a flash message."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_time
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from geo.errors import QueryError, Refused
from geo.numbers import whole_number
from territories.accounts.organisers import Organiser, choices_for, organiser
from territories.registry.models import Council, ResourceCentre, Territory

from ..models import Booking, BookingSeries, Closure, Room
from ..services import access, bookings, closures
from ..services.recurrence import Repeat
from ..services.rules import local_zone
from ..week import parse_week, room_week
from .grid import grid

FIELD_LABELS = {
    "starts_at": gettext_lazy("Начало"),
    "ends_at": gettext_lazy("Окончание"),
    "people": gettext_lazy("Участников"),
    "title": gettext_lazy("Название"),
    "purpose": gettext_lazy("Цель"),
    "organiser": gettext_lazy("Организатор"),
    "group_name": gettext_lazy("Инициативная группа"),
    "repeat": gettext_lazy("Повторение"),
    "count": gettext_lazy("Раз"),
    "until": gettext_lazy("Повторять до"),
    "reason": gettext_lazy("Причина"),
    "room": gettext_lazy("Зал"),
}


@require_GET
def centre_list(request):
    centres = ResourceCentre.objects.order_by("name", "pk").prefetch_related(
        Prefetch("room_set", Room.objects.order_by("name")), "opening_hours_set"
    )
    return render(request, "centres/centre_list.html", {"centres": centres})


@require_GET
def centre_page(request, pk):
    return render_centre(request, pk, form={}, error=None)


@login_required
@require_POST
def closure_add(request, pk):
    """The centre's staff close the centre or a room (services.closures)."""
    centre = get_object_or_404(ResourceCentre, pk=pk)
    if not access.is_staff_of(request.user, centre):
        raise PermissionDenied
    form = request.POST
    try:
        _closure, hit = closures.add(
            centre=centre, by=request.user, **closure_fields(centre, form)
        )
    except Refused as refused:
        return render_centre(request, pk, form=form, error=refused, status=400)
    messages.success(request, _("Закрытие добавлено; отменено броней: %d.") % len(hit))
    return redirect("centre-page", pk=pk)


def render_centre(request, pk, *, form, error, status=200):
    centre = get_object_or_404(
        ResourceCentre.objects.prefetch_related(
            Prefetch("room_set", Room.objects.order_by("name")), "opening_hours_set"
        ),
        pk=pk,
    )
    upcoming = (
        Closure.objects.filter(centre=centre)
        .upcoming(timezone.now())
        .select_related("room")
        .order_by("starts_at")
    )
    context = {
        "centre": centre,
        "closures": upcoming,
        "is_staff": access.is_staff_of(request.user, centre),
        "form": form,
        "error": error,
        "error_label": FIELD_LABELS.get(getattr(error, "field", ""), ""),
    }
    return render(request, "centres/centre_page.html", context, status=status)


@require_GET
def room_page(request, pk):
    return render_room(request, pk, form={}, error=None)


@login_required
@require_POST
def room_book(request, pk):
    room = get_object_or_404(Room.objects.select_related("centre"), pk=pk)
    form = request.POST
    try:
        series = bookings.request(by=request.user, room=room, **requested(form))
    except Refused as refused:
        return render_room(request, pk, form=form, error=refused, status=400)
    messages.success(
        request,
        _("Заявка отправлена: дат — %d. Центр подтвердит её или откажет.")
        % series.bookings.count(),
    )
    return redirect("centres-my-bookings")


def render_room(request, pk, *, form, error, status=200):
    room = get_object_or_404(Room.objects.select_related("centre"), pk=pk)
    week_error = None
    try:
        monday = parse_week(request.GET.get("week"))
    except QueryError as refused:
        # The page still shows a week (this one) and says what was wrong with `week`.
        week_error, status, monday = refused, 400, parse_week(None)
    week = room_week(room, monday)
    user = request.user
    territories, councils = choices_for(user)
    context = {
        "room": room,
        "week": week,
        "rows": grid(week),
        "may_request": access.may_request(user),
        "organisers": [
            *((f"territory:{t.pk}", Organiser(territory=t).name) for t in territories),
            *((f"council:{c.pk}", c.name) for c in councils),
        ],
        "form": form,
        "error": error,
        "week_error": week_error,
        "error_label": FIELD_LABELS.get(getattr(error, "field", ""), ""),
        "ics": reverse("room-ics", args=[room.pk]),
    }
    return render(request, "centres/room_page.html", context, status=status)


@login_required
@require_GET
def my_bookings(request):
    rows = (
        Booking.objects.for_display()
        .requested_by(request.user)
        .filter(ends_at__gt=timezone.now() - timedelta(days=30))
        .order_by("starts_at", "pk")[:300]
    )
    return render(request, "centres/my_bookings.html", {"bookings": rows})


@login_required
@require_GET
def queue(request):
    if not access.is_any_staff(request.user):
        raise PermissionDenied
    found = Booking.objects.for_display().upcoming(timezone.now())
    found = found.select_related("series__requested_by")
    context = {
        "waiting": found.awaiting(request.user).order_by("starts_at", "pk")[:300],
        "accepted": found.of_staff(request.user)
        .accepted()
        .order_by("starts_at", "pk")[:300],
    }
    return render(request, "centres/queue.html", context)


@login_required
@require_POST
def booking_action(request, pk, action):
    booking = get_object_or_404(Booking, pk=pk)
    reason = request.POST.get("reason", "")
    steps = {
        "accept": (
            lambda: bookings.accept(booking, by=request.user),
            _("Бронь подтверждена."),
        ),
        "decline": (
            lambda: bookings.decline(booking, by=request.user, reason=reason),
            _("Заявка отклонена."),
        ),
        "cancel": (
            lambda: bookings.cancel(booking, by=request.user, reason=reason),
            _("Бронь отменена."),
        ),
    }
    if action not in steps:
        raise Http404
    step, done = steps[action]
    try:
        step()
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect(back(request))


@login_required
@require_POST
def series_cancel(request, pk):
    series = get_object_or_404(BookingSeries, pk=pk)
    try:
        cancelled = bookings.cancel_series(
            series, by=request.user, reason=request.POST.get("reason", "")
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Отменено дат: %d.") % len(cancelled))
    return redirect(back(request))


def back(request):
    """The queue for the staff, "my bookings" for everyone else."""
    if request.POST.get("back") == "queue":
        return "centres-queue"
    return "centres-my-bookings"


# --- the request form ---------------------------------------------------------------


def requested(form):
    """The service's arguments from the form's fields; Refused naming a field."""
    day = day_of(form.get("date"), "starts_at")
    starts, ends = (
        local_moment(day, form.get(name), field)
        for name, field in (("start", "starts_at"), ("end", "ends_at"))
    )
    return {
        "starts_at": starts,
        "ends_at": ends,
        "organiser": organiser_of(form),
        "title": form.get("title", ""),
        "purpose": form.get("purpose", ""),
        "people": people_of(form.get("people", "")),
        "repeat": repeat_of(form),
    }


def closure_fields(centre, form):
    """closures.add's arguments from the staff's form; Refused naming a field."""
    room = None
    number = whole_number((form.get("room") or "").strip(), 1)
    if number is not None:
        room = Room.objects.filter(pk=number, centre=centre).first()
        if room is None:
            raise Refused("room", _("зал другого центра"))
    return {
        "room": room,
        "starts_at": local_moment(
            day_of(form.get("date_from"), "starts_at"),
            form.get("time_from"),
            "starts_at",
        ),
        "ends_at": local_moment(
            day_of(form.get("date_to"), "ends_at"), form.get("time_to"), "ends_at"
        ),
        "reason": form.get("reason", ""),
        "cancel_bookings": bool(form.get("cancel_bookings")),
    }


def day_of(text, field):
    try:
        day = parse_date(text or "")
    except ValueError:  # well-formed but no such day: 2027-02-30
        day = None
    if day is None:
        raise Refused(field, _("укажите дату"))
    return day


def local_moment(day, text, field):
    try:
        moment = parse_time(text or "")
    except ValueError:
        moment = None
    if moment is None:
        raise Refused(field, _("укажите время, например 18:00"))
    return datetime.combine(day, moment, tzinfo=local_zone())


def organiser_of(form):
    kind, _sep, pk = (form.get("organiser") or "").partition(":")
    number = whole_number(pk, 1)
    if kind == "territory" and number:
        found = Territory.objects.filter(pk=number).first()
        return organiser(territory=found or refuse_organiser())
    if kind == "council" and number:
        found = Council.objects.filter(pk=number).first()
        return organiser(council=found or refuse_organiser())
    return organiser(group_name=form.get("group_name", ""))


def refuse_organiser():
    raise Refused("organiser", _("выберите организатора из списка"))


def people_of(text):
    if not text.strip():
        return None
    number = whole_number(text.strip(), 1)
    if number is None:
        raise Refused("people", _("число людей — целое больше нуля"))
    return number


def repeat_of(form):
    every = form.get("repeat") or "none"
    if every == "none":
        return None
    count = whole_number((form.get("count") or "").strip(), 1, 10_000)
    if count is None:
        raise Refused("count", _("укажите, сколько раз"))
    return Repeat(every=every, count=count)
