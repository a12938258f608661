"""The forum's pages (docs/domain.md, "Forum"): the current round with its projects
and tallies on a map, a project's page with the vote button, the implementation
list, the submission form (a point or an area drawn with Geoman), the specialists'
moderation, following by e-mail. Pages call the services and never the API."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geo.errors import NotFound, Refused, http_status
from geo.pages import map_config
from geo.requester import Requester
from territories.accounts import verification
from territories.registry.models import Territory

from ..models import Implementation, Project, Round
from ..services import implementation, projects, voting, winners
from ..services.access import may_moderate
from ..shapes import geojson, lat_lon


def current_round(now=None):
    """The round whose window is open, else the next to open, else the last."""
    now = now or timezone.now()
    rounds = Round.objects.all()
    return (
        rounds.filter(opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at")
        .first()
        or rounds.filter(opens_at__gt=now).order_by("opens_at").first()
        or rounds.order_by("-closes_at").first()
    )


def window_state(round_, now):
    if round_ is None:
        return None
    if now < round_.opens_at:
        return "soon"
    return "open" if now < round_.closes_at else "closed"


@require_GET
def forum_index(request):
    round_ = current_round()
    rows = []
    if round_ is not None:
        rows = list(Project.objects.public().filter(round=round_).ranked())
    config = map_config(
        projects=[
            {
                "id": row.pk,
                "title": row.title,
                "votes": row.vote_count,
                "point": lat_lon(row.geom),
                "url": f"/forum/projects/{row.pk}/",
            }
            for row in rows
        ]
    )
    context = {
        "round": round_,
        "window": window_state(round_, timezone.now()),
        "projects": rows,
        "rounds": Round.objects.all(),
        "config": config,
        "person": verification.is_person(request.user),
    }
    return render(request, "forum/index.html", context)


def project_context(request, row, **more):
    user = request.user
    own = user.is_authenticated and row.author_id == user.pk
    return {
        "project": row,
        "window": window_state(row.round, timezone.now()),
        "own": own,
        "reason": row.reason if (own or may_moderate(user)) else "",
        "voted": voting.has_voted(row, user),
        "person": verification.is_person(user),
        "can_moderate": may_moderate(user) and row.state == Project.State.SUBMITTED,
        "config": map_config(
            point=lat_lon(row.geom), area=geojson(row.area) if row.area else None
        ),
        "errors": {},
        **more,
    }


def shown_project(request, pk):
    return get_object_or_404(
        projects.visible_to(request.user)
        .with_votes()
        .select_related("round", "territory", "council"),
        pk=pk,
    )


@require_GET
def project_page(request, pk):
    row = shown_project(request, pk)
    return render(request, "forum/project.html", project_context(request, row))


@require_POST
def project_vote(request, pk):
    """Vote (`action=vote`) or withdraw (`action=withdraw`)."""
    row = shown_project(request, pk)
    by = Requester.of(request)
    try:
        if request.POST.get("action") == "withdraw":
            voting.withdraw(row.pk, by=by)
            messages.success(request, _("Голос отозван."))
        else:
            voting.vote(row.pk, by=by)
            messages.success(request, _("Ваш голос учтён."))
    except Refused as refused:
        row = shown_project(request, pk)
        context = project_context(request, row, errors={refused.field: str(refused)})
        return render(
            request, "forum/project.html", context, status=http_status(refused)
        )
    return redirect("forum-project", pk=row.pk)


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request):
    values = {
        k: request.POST.get(k, "")
        for k in ("round", "title", "description", "budget", "geometry", "territory")
    }
    errors = {}
    if request.method == "POST":
        data = {**values}
        try:
            data["geometry"] = json.loads(values["geometry"] or "null")
        except ValueError:
            data["geometry"] = None
        try:
            row = projects.submit(data, by=Requester.of(request))
        except Refused as refused:
            errors[refused.field] = str(refused)
        else:
            messages.success(
                request, _("Проект отправлен на модерацию. Решение появится здесь.")
            )
            return redirect("forum-project", pk=row.pk)
    now = timezone.now()
    context = {
        "values": values,
        "errors": errors,
        "rounds": Round.objects.filter(closes_at__gt=now).order_by("opens_at"),
        "territories": Territory.objects.approved().order_by("name"),
        "person": verification.is_person(request.user),
        "config": map_config(),
    }
    status = 400 if errors else 200
    if "rate" in errors:
        status = 429
    elif "verification" in errors:
        status = 403
    return render(request, "forum/project_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def moderation(request):
    if not may_moderate(request.user):
        raise Http404
    errors = {}
    if request.method == "POST":
        try:
            projects.moderate(
                int(request.POST.get("project") or 0),
                request.POST.get("decision"),
                request.POST.get("reason", ""),
                by=Requester.of(request),
            )
            messages.success(request, _("Решение сохранено."))
            return redirect("forum-moderation")
        except (Refused, ValueError) as refused:
            errors = {
                "project": request.POST.get("project"),
                "error": str(refused),
            }
    rows = Project.objects.awaiting().select_related("round").order_by("pk")
    context = {"projects": rows, "errors": errors, "closed": closed_rounds()}
    return render(
        request, "forum/moderation.html", context, status=400 if errors else 200
    )


def closed_rounds():
    """Rounds whose window has closed and whose winners wait to be chosen, each
    with its approved projects ranked by votes."""
    rounds = list(
        Round.objects.filter(closes_at__lte=timezone.now(), winners_chosen_at=None)
    )
    for round_ in rounds:
        round_.ranking = list(
            Project.objects.filter(round=round_, state="approved").ranked()
        )
    return rounds


@login_required
@require_POST
def choose_winners(request, pk):
    try:
        winners.choose_winners(
            pk,
            request.POST.getlist("projects"),
            request.POST.get("responsible", ""),
            by=Requester.of(request),
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("Победители выбраны: проекты переданы в реализацию.")
        )
    return redirect("forum-moderation")


@require_GET
def implementation_list(request):
    rows = list(
        Implementation.objects.select_related("project")
        .prefetch_related("photos")
        .order_by("status", "pk")
    )
    config = map_config(
        projects=[
            {
                "id": row.pk,
                "title": row.project.title,
                "status": row.status,
                "point": lat_lon(row.geom),
                "url": f"#implementation-{row.pk}",
            }
            for row in rows
        ]
    )
    context = {
        "rows": rows,
        "config": config,
        "can_manage": may_moderate(request.user),
        "statuses": Implementation.Status.choices,
    }
    return render(request, "forum/implementation.html", context)


@login_required
@require_POST
def implementation_status(request, pk):
    """A specialist's status change (the service tells the followers)."""
    data = {k: request.POST[k] for k in ("status", "responsible") if k in request.POST}
    try:
        implementation.change(pk, data, by=Requester.of(request))
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Статус сохранён."))
    return redirect(f"/forum/implementation/#implementation-{pk}")


@require_POST
def follow(request, pk):
    row = get_object_or_404(Implementation, pk=pk)
    try:
        implementation.follow(
            row.pk, request.POST.get("email", ""), by=Requester.of(request)
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("Мы отправили письмо: подтвердите подписку по ссылке в нём.")
        )
    return redirect(f"/forum/implementation/#implementation-{row.pk}")


@require_http_methods(["GET", "POST"])
def follow_confirm(request, token):
    """GET asks (a mail scanner's visit confirms nothing), POST confirms."""
    return _token_page(request, token, implementation.confirm_follow, "confirm")


@require_http_methods(["GET", "POST"])
def unfollow(request, token):
    return _token_page(request, token, implementation.unfollow, "unfollow")


def _token_page(request, token, action, kind):
    try:
        follower = implementation.follower_by_token(token)
    except NotFound:
        raise Http404 from None
    done = False
    if request.method == "POST":
        action(token)
        done = True
    context = {
        "title": follower.implementation.project.title,
        "kind": kind,
        "done": done,
    }
    return render(request, "forum/follow.html", context)
