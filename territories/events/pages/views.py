"""Pages of events (docs/domain.md, "Events"): the calendar (month and list), an
event's page with its sign-up form and afterwards its results, the organiser's form,
the organiser's list of registrations and the cancel link's page. Pages call the
services and show their refusals next to the field they name; they hold no rules."""

import calendar as months
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geo.errors import NotFound, QueryError, Refused
from geo.pages import map_config
from geo.requester import Requester
from geo.wgs84 import to_wgs84
from territories.accounts import organisers
from territories.centres.models import Room
from territories.registry.models import Ground, Territory, Yard

from .. import filters, services
from ..links import cancel_path, on_site
from ..models import Event, EventKind

LIST_LIMIT = 100
FORM_TEXT = (
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "place_kind",
    "address",
    "capacity",
    "campaign",
)
# A refusal's field → the form's block where it is shown.
SHOWN_AT = {
    "territory": "organiser",
    "council": "organiser",
    "group_name": "organiser",
    "lon": "lat",
    "yard": "place_kind",
    "ground": "place_kind",
    "room": "place_kind",
    "booking": "place_kind",
}


def shown_events():
    return Event.objects.public().for_display().with_places()


# --- the calendar -----------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool
    events: list


def month_of(raw, today):
    """The first day of the month `YYYY-MM` (this month when none is given);
    QueryError naming `month` for anything else."""
    if not raw:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in raw.split("-"))
        if 1900 < year < 2200:
            return date(year, month, 1)
    except ValueError:
        pass
    raise QueryError("month", _("ожидается месяц ГГГГ-ММ"))


def local_day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


@require_GET
def calendar(request):
    params = request.GET
    view = "list" if params.get("view") == "list" else "month"
    today = timezone.localdate()
    queryset, error = shown_events(), None
    try:
        first = month_of(params.get("month", ""), today)
    except QueryError as refused:
        error, first = refused, today.replace(day=1)
    chosen = {k: params[k] for k in filters.PARAMETERS if params.get(k)}
    weeks = months.Calendar().monthdatescalendar(first.year, first.month)
    if view == "month":
        queryset = queryset.between(
            local_day_start(weeks[0][0]), local_day_start(weeks[-1][-1] + timedelta(1))
        )
    elif "from" not in chosen:
        queryset = queryset.filter(ends_at__gt=timezone.now())
    try:
        queryset = filters.filter_events(chosen, queryset)
    except QueryError as refused:
        error, queryset = refused, queryset.none()
    if error is not None:
        queryset = queryset.none()
    found = list(queryset[: LIST_LIMIT + 1 if view == "list" else None])
    context = {
        "view": view,
        "month": first,
        "previous": (first - timedelta(days=1)).replace(day=1),
        "next": (first + timedelta(days=32)).replace(day=1),
        "weeks": month_grid(weeks, first, found) if view == "month" else [],
        "events": found[:LIST_LIMIT],
        "more": len(found) > LIST_LIMIT,
        "chosen": chosen,
        "error": error,
        "kinds": EventKind.objects.all(),
        "territories": Territory.objects.approved().order_by("name"),
        "can_organise": services.may_organise(request.user),
    }
    return render(
        request, "events/calendar.html", context, status=400 if error else 200
    )


def month_grid(weeks, first, events):
    """Weeks of Days, each with the events taking place on it (local dates)."""
    grid = []
    for week in weeks:
        row = []
        for day in week:
            start, end = local_day_start(day), local_day_start(day + timedelta(1))
            on_day = [e for e in events if e.starts_at < end and e.ends_at > start]
            row.append(Day(day, day.month == first.month, on_day))
        grid.append(row)
    return grid


# --- an event's page and the sign-up ------------------------------------------------


def event_context(request, event, **more):
    point = to_wgs84(event.geom)
    now = timezone.now()
    return {
        "event": event,
        "organiser": organisers.of_row(event).name,
        "ended": event.ends_at <= now,
        "open_for_signup": event.registration_required
        and event.state == Event.State.SCHEDULED
        and event.starts_at > now,
        "can_manage": services.may_manage(request.user, event),
        "photos": event.photos.all(),
        "planted_trees": event.planted_trees.count(),
        "config": map_config(point=[round(point.y, 6), round(point.x, 6)]),
        "errors": {},
        "values": {},
        **more,
    }


@require_GET
def event_page(request, pk):
    event = get_object_or_404(shown_events(), pk=pk)
    return render(request, "events/event_page.html", event_context(request, event))


@require_POST
def event_register(request, pk):
    """The sign-up form. The answer is the event's page itself, with the cancel
    link shown this once (never kept in the session, so stored nowhere in clear)."""
    event = get_object_or_404(shown_events(), pk=pk)
    values = {k: request.POST.get(k, "") for k in ("name", "email", "phone")}
    try:
        signup = services.register(event, values, by=Requester.of(request))
    except Refused as refused:
        context = event_context(
            request, event, errors={refused.field: str(refused)}, values=values
        )
        status = 429 if refused.field == "rate" else 400
        return render(request, "events/event_page.html", context, status=status)
    event = shown_events().get(pk=pk)
    link = on_site(cancel_path(signup.token))
    context = event_context(request, event, signup=signup, cancel_link=link)
    return render(request, "events/event_page.html", context, status=201)


@require_http_methods(["GET", "POST"])
def registration_cancel(request, token):
    """GET: what the link cancels, and a button; POST: cancel."""
    try:
        registration = services.registration_by_token(token)
    except NotFound:
        raise Http404 from None
    context = {"registration": registration, "event": registration.event}
    if request.method == "POST":
        try:
            services.cancel_registration(token)
            context["done"] = True
        except Refused as refused:
            context["error"] = str(refused)
    return render(request, "events/registration_cancel.html", context)


# --- the organiser's pages ----------------------------------------------------------


def managed(request, pk):
    event = get_object_or_404(Event.objects.for_display(), pk=pk)
    if not services.may_manage(request.user, event):
        raise PermissionDenied
    return event


@login_required
@require_GET
def event_registrations(request, pk):
    event = managed(request, pk)
    rows = event.registrations.order_by("created_at", "pk")
    context = {"event": event, "registrations": rows}
    return render(request, "events/registrations.html", context)


@login_required
@require_POST
def event_cancel(request, pk):
    event = managed(request, pk)
    try:
        services.cancel_event(event, by=request.user)
        messages.success(request, _("Мероприятие отменено; записавшимся сообщим."))
    except Refused as refused:
        messages.error(request, str(refused))
    return redirect("event-page", pk=pk)


def form_data(post):
    """The form's fields as the service reads them."""
    data = {field: post.get(field, "") for field in FORM_TEXT}
    data["registration_required"] = post.get("registration_required") == "on"
    data.update(territory=None, council=None, group_name="")
    kind, _sep, pk = post.get("organiser", "").partition(":")
    if kind in ("territory", "council"):
        data[kind] = pk
    elif kind == "group":
        data["group_name"] = post.get("group_name", "")
    place = data["place_kind"]
    if place == Event.PlaceKind.POINT:
        data.update(lon=post.get("lon", ""), lat=post.get("lat", ""))
    elif place in (Event.PlaceKind.YARD, Event.PlaceKind.GROUND):
        data[place] = post.get(place, "")
    elif place == Event.PlaceKind.ROOM:
        data["room"] = post.get("room", "")
    return data


def form_values(event):
    """The form's initial values from a stored event."""
    point = to_wgs84(event.geom)
    who = organisers.of_row(event)
    if who.territory is not None:
        organiser = f"territory:{who.territory.pk}"
    elif who.council is not None:
        organiser = f"council:{who.council.pk}"
    else:
        organiser = "group"
    local = timezone.localtime
    return {
        **{field: getattr(event, field) for field in FORM_TEXT},
        "kind": event.kind.code,
        "capacity": event.capacity or "",
        "starts_at": local(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "registration_required": event.registration_required,
        "organiser": organiser,
        "group_name": event.group_name,
        "lon": f"{point.x:.6f}",
        "lat": f"{point.y:.6f}",
        "yard": str(event.yard_id or ""),
        "ground": str(event.ground_id or ""),
        "room": str(event.room_id or ""),
    }


def organiser_options(user):
    """(value, label) of each organiser the account may name."""
    territories, councils = organisers.choices_for(user)
    return [
        *(
            (f"territory:{t.pk}", _("ТОС «%s»") % t.name)
            for t in territories.order_by("name")
        ),
        *((f"council:{c.pk}", c.name) for c in councils.order_by("name")),
        ("group", _("инициативная группа")),
    ]


def place_options():
    yards = [(str(y.pk), y.name) for y in Yard.objects.order_by("name", "pk")]
    grounds = [
        (str(g.pk), f"{g.name or g.get_kind_display()} (№{g.pk})")
        for g in Ground.objects.order_by("name", "pk")
    ]
    rooms = [
        (str(r.pk), f"{r.centre.name}: {r.name}")
        for r in Room.objects.select_related("centre").order_by("centre__name", "name")
    ]
    return yards, grounds, rooms


def render_form(request, event, values, errors=None, status=200):
    yards, grounds, rooms = place_options()
    context = {
        "event": event,
        "values": {k: "" if v is None else v for k, v in values.items()},
        "errors": errors or {},
        "kinds": EventKind.objects.all(),
        "organiser_options": organiser_options(request.user),
        "yard_options": yards,
        "ground_options": grounds,
        "room_options": rooms,
        "config": map_config(),
    }
    return render(request, "events/event_form.html", context, status=status)


def submitted(request, event, save):
    values = {**request.POST.dict(), "registration_required": False}
    values["registration_required"] = request.POST.get("registration_required") == "on"
    try:
        saved = save(form_data(request.POST))
    except Refused as refused:
        field = SHOWN_AT.get(refused.field, refused.field)
        status = 403 if field == "organiser" and refused.field == "organiser" else 400
        return render_form(request, event, values, {field: str(refused)}, status)
    messages.success(request, _("Мероприятие сохранено."))
    return redirect("event-page", pk=saved.pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request):
    if not services.may_organise(request.user):
        raise PermissionDenied
    if request.method == "POST":
        return submitted(
            request, None, lambda data: services.create_event(data, by=request.user)
        )
    start = timezone.localtime() + timedelta(days=7)
    start = start.replace(hour=11, minute=0)
    values = {
        "place_kind": Event.PlaceKind.POINT,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    return render_form(request, None, values)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = managed(request, pk)
    if request.method == "POST":
        return submitted(
            request,
            event,
            lambda data: services.edit_event(event, data, by=request.user),
        )
    return render_form(request, event, form_values(event))
