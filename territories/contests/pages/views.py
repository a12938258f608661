"""Pages of the contests (docs/domain.md, "Contests"): the seasons, a season with
its nominations, approved entries and — once published — the ranking; an entry's
page with its photos and place on a small map; the application form, the juror's
score sheet and the specialists' moderation and state page. Pages call the services
and show their refusals next to the field they name; they hold no rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geo.errors import NotFound, Refused
from geo.pages import map_config
from geo.wgs84 import to_wgs84
from territories.accounts import organisers
from territories.registry.models import Building, Territory, Yard

from .. import public, services
from ..models import Criterion, Entry, Juror, Score, Season

FORM_FIELDS = (
    "nomination",
    "applicant_kind",
    "council",
    "tos",
    "display_name",
    "title",
    "description",
    "place_kind",
    "place",
)


def season_or_404(pk):
    season = public.seasons().filter(pk=pk).first()
    if season is None:
        raise Http404
    return season


def entry_or_404(request, pk):
    try:
        return services.shown_entry(pk, request.user)
    except NotFound:
        raise Http404 from None


@require_GET
def season_list(request):
    return render(request, "contests/seasons.html", {"seasons": public.seasons()})


@require_GET
def season_page(request, pk):
    season = season_or_404(pk)
    entries = list(public.entries(season))
    placings = {p.entry_id: p for p in public.ranking(season)}
    nominations = [
        (n, [e for e in entries if e.nomination_id == n.pk])
        for n in season.nominations.all()
    ]
    context = {
        "season": season,
        "nominations": nominations,
        "ranking": public.ranking(season),
        "placings": placings,
        "is_manager": services.is_manager(request.user),
        "may_apply": request.user.is_authenticated
        and season.state == Season.State.OPEN,
    }
    return render(request, "contests/season.html", context)


@require_GET
def entry_page(request, pk):
    entry = entry_or_404(request, pk)
    point = to_wgs84(entry.geom)
    context = {
        "entry": entry,
        "placing": public.placing(entry),
        "photos": entry.photos.all(),
        "may_edit": services.may_edit(request.user, entry),
        "is_juror": Juror.objects.filter(
            season=entry.season_id, user=request.user.pk or 0
        ).exists(),
        "config": map_config(point=[round(point.y, 6), round(point.x, 6)]),
    }
    return render(request, "contests/entry.html", context)


# --- the application form ------------------------------------------------------------


def form_options(request, season):
    territories, councils = organisers.choices_for(request.user)
    places = {
        "building": Building.objects.filter(council__in=councils).order_by("address"),
        "yard": Yard.objects.order_by("name"),
        "territory": Territory.objects.approved().order_by("name"),
    }
    return {
        "nominations": season.nominations.all(),
        "councils": councils.order_by("name"),
        "territories": territories.order_by("name"),
        "places": places,
    }


def render_form(request, season, entry, values, errors=None, status=200):
    context = {
        "season": season,
        "entry": entry,
        "values": values,
        "errors": errors or {},
        **form_options(request, season),
    }
    return render(request, "contests/entry_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, pk):
    season = season_or_404(pk)
    if request.method == "GET":
        return render_form(request, season, None, {"applicant_kind": "council"})
    data = {k: request.POST.get(k, "") for k in FORM_FIELDS}
    try:
        entry = services.apply(
            season.pk, data, photos=request.FILES.getlist("photos"), by=request.user
        )
    except Refused as refused:
        return render_form(
            request, season, None, data, {refused.field: str(refused)}, 400
        )
    messages.success(request, _("Заявка подана и ждёт модерации."))
    return redirect("contest-entry", pk=entry.pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    entry = entry_or_404(request, pk)
    if request.method == "GET":
        values = services.entries.current_values(entry)
        return render_form(request, entry.season, entry, values)
    data = {k: request.POST.get(k, "") for k in FORM_FIELDS}
    try:
        # One call, one transaction: a refused photo leaves the entry as it was.
        photos = request.FILES.getlist("photos")
        services.edit(entry.pk, data, photos=photos, by=request.user)
    except Refused as refused:
        return render_form(
            request, entry.season, entry, data, {refused.field: str(refused)}, 400
        )
    messages.success(request, _("Заявка изменена и снова ждёт модерации."))
    return redirect("contest-entry", pk=entry.pk)


# --- the juror's sheet ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def score_sheet(request, pk):
    entry = entry_or_404(request, pk)
    criteria = list(Criterion.objects.filter(season=entry.season_id).order_by("pk"))
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        values = {str(c.pk): request.POST.get(f"score-{c.pk}", "") for c in criteria}
        try:
            services.submit_sheet(entry.pk, values, by=request.user)
            messages.success(request, _("Оценочный лист сохранён."))
            return redirect("contest-sheet", pk=entry.pk)
        except Refused as refused:
            errors, status = {refused.field: str(refused)}, 400
            if refused.field in ("juror", "entry"):
                status = 403
    else:
        # The juror's own earlier sheet: only they see it, on this page.
        values = {
            str(criterion_id): value
            for criterion_id, value in Score.objects.filter(
                entry=entry, juror__user=request.user
            ).values_list("criterion_id", "value")
        }
    rows = [
        (c, values.get(str(c.pk), ""), errors.get(f"scores.{c.pk}")) for c in criteria
    ]
    context = {"entry": entry, "rows": rows, "errors": errors}
    return render(request, "contests/sheet.html", context, status=status)


# --- the specialists' page -----------------------------------------------------------


@login_required
@require_GET
def manage(request, pk):
    season = season_or_404(pk)
    if not services.is_manager(request.user):
        raise Http404
    context = {
        "season": season,
        "entries": Entry.objects.for_display().of_season(season),
        "next": services.NEXT.get(Season.State(season.state)),
        "changes": season.state_changes.all(),
    }
    return render(request, "contests/manage.html", context)


@login_required
@require_POST
def moderate(request, pk):
    try:
        entry = services.moderate(
            pk,
            request.POST.get("state"),
            request.POST.get("reason", ""),
            by=request.user,
        )
    except Refused as refused:
        messages.error(request, str(refused))
        entry = Entry.objects.filter(pk=pk).first()
        if entry is None:
            raise Http404 from None
    else:
        messages.success(request, _("Решение сохранено."))
    return redirect("contest-manage", pk=entry.season_id)


@login_required
@require_POST
def change_state(request, pk):
    season = season_or_404(pk)
    try:
        services.change_state(
            season.pk,
            request.POST.get("to"),
            by=request.user,
            expected=request.POST.get("expected"),
        )
        messages.success(request, _("Состояние сезона изменено."))
    except Refused as refused:
        messages.error(request, str(refused))
    return redirect("contest-manage", pk=season.pk)
