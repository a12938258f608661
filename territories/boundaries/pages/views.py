"""Pages of TOS boundaries (docs/domain.md, "TOS boundaries"): the list of TOS, a
territory's page with its boundary editor, the proposal of a new TOS and the
history of versions. The pages show; their scripts (static/boundaries/) write
through the REST API, whose services decide. A page only chooses which controls to
offer, asking the services' own questions (`services.may_*`)."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from geo.pages import map_config
from territories.registry.models import Territory

from .. import services
from ..models import BoundaryVersion
from .labels import page_labels

State = BoundaryVersion.State


@dataclass
class Row:
    """A TOS in the list, with its boundary state as the visitor may see it."""

    territory: Territory
    version: BoundaryVersion | None  # the newest version, if the visitor sees drafts
    can_edit: bool

    @property
    def state(self):
        return self.version.state if self.version else State.APPROVED

    @property
    def state_display(self):
        return (
            self.version.get_state_display() if self.version else State.APPROVED.label
        )


@require_GET
def territory_list(request):
    user = request.user
    territories = list(
        Territory.objects.select_related("chair_user")
        .prefetch_related("initiative_group")
        .order_by("name")
    )
    newest = BoundaryVersion.objects.newest_of(territories)
    rows = []
    for territory in territories:
        sees_drafts = services.may_see_drafts(user, territory)
        if territory.geom is None and not sees_drafts:
            continue  # a proposal is not public
        version = newest.get(territory.pk) if sees_drafts else None
        rows.append(Row(territory, version, services.may_edit(user, territory)))
    reviewer = services.may_review(user)
    context = {
        "queue": [r for r in rows if reviewer and r.state == State.SUBMITTED],
        "mine": [r for r in rows if r.can_edit],
        "approved": [r for r in rows if r.territory.geom is not None],
        "can_propose": services.may_propose(user),
    }
    return render(request, "boundaries/territory_list.html", context)


@login_required
@ensure_csrf_cookie
@require_GET
def territory_propose(request):
    if not services.may_propose(request.user):
        raise PermissionDenied
    config = map_config(
        api={
            "create": reverse("territory-list-api"),
            "preview": reverse("territory-preview-new"),
            **context_layers(),
        }
    )
    context = {"config": config, "labels": page_labels()}
    return render(request, "boundaries/territory_propose.html", context)


# The scripts write with fetch: the CSRF cookie must be there for them.
@ensure_csrf_cookie
@require_GET
def territory_page(request, pk):
    user = request.user
    territory = visible_territory(user, pk)
    sees_drafts = services.may_see_drafts(user, territory)
    version = services.newest(territory) if sees_drafts else None
    state = version.state if version else None
    can_edit = services.may_edit(user, territory)
    editable = can_edit and state != State.SUBMITTED
    reviewing = services.may_review(user) and state == State.SUBMITTED
    config = map_config(
        territory=territory.pk,
        editable=editable,
        reviewing=reviewing,
        api={
            "detail": reverse("territory-detail", args=[pk]),
            "preview": reverse("territory-preview", args=[pk]),
            "draft": reverse("territory-draft", args=[pk]),
            "submit": reverse("territory-submit", args=[pk]),
            "approve": reverse("territory-approve", args=[pk]),
            "return": reverse("territory-return", args=[pk]),
            **context_layers(),
        },
    )
    context = {
        "territory": territory,
        "version": version,
        "can_edit": can_edit,
        "editable": editable,
        "reviewing": reviewing,
        "exports": exports(territory, version),
        "config": config,
        "labels": page_labels(),
    }
    return render(request, "boundaries/territory_page.html", context)


@ensure_csrf_cookie
@require_GET
def territory_history(request, pk):
    user = request.user
    territory = visible_territory(user, pk)
    versions = (
        BoundaryVersion.objects.of(territory)
        .with_author()
        .select_related("restored_from")
        .newest_first()
    )
    if not services.may_see_drafts(user, territory):
        versions = versions.visible_to_public()
    versions = list(versions)
    in_force = next((v for v in versions if v.state == State.APPROVED), None)
    config = map_config(
        territory=territory.pk,
        api={
            "version": reverse("territory-version", args=[pk, "0"]),
            "compare": reverse("territory-compare", args=[pk]),
            "restore": reverse("territory-restore", args=[pk, "0"]),
        },
    )
    context = {
        "territory": territory,
        "versions": versions,
        "in_force": in_force,
        "chosen_b": versions[0] if versions else None,
        "chosen_a": versions[1] if len(versions) > 1 else None,
        "can_restore": services.may_review(user),
        "config": config,
        "labels": page_labels(),
    }
    return render(request, "boundaries/territory_history.html", context)


def visible_territory(user, pk):
    """The territory, if the visitor may see it: approved ones are public, a
    proposal only to those who may see its drafts (as the API answers)."""
    territory = Territory.objects.select_related("chair_user").filter(pk=pk).first()
    if territory is None or (
        territory.geom is None and not services.may_see_drafts(user, territory)
    ):
        raise Http404
    return territory


def exports(territory, version):
    """Download links: the approved boundary, and the newest version if it is not
    the approved one (the visitor sees it)."""
    queries = []
    if territory.geom is not None:
        queries.append(("approved", ""))
    if version is not None and version.state != State.APPROVED:
        queries.append(("version", f"?version={version.number}"))
    return [
        {
            "what": what,
            "geojson": reverse("territory-export", args=[territory.pk, "geojson"])
            + query,
            "kml": reverse("territory-export", args=[territory.pk, "kml"]) + query,
        }
        for what, query in queries
    ]


def context_layers():
    """The layers the editor snaps to: building footprints and the approved
    neighbours (both public)."""
    return {
        "buildings": reverse("layer-features", args=["buildings"]),
        "territories": reverse("layer-features", args=["territories"]),
    }
