"""The planner's pages (docs/domain.md, "Coverage of grounds"): the coverage page,
whose script asks the public coverage API and draws its answer, and the printable
report of one analysis. Both are public, as the API is. The pages show; the figures
are the services' own."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from geo.errors import Refused, http_status
from geo.pages import map_config
from territories.registry.demo import demo_is_loaded, demo_notice
from territories.registry.models import Territory

from .. import services
from .labels import page_labels

KINDS = {
    "sport": _("спортивные площадки"),
    "playground": _("детские площадки"),
}
METHODS = {
    "straight": _("по прямой"),
    "network": _("пешком"),
}


# The plan panel posts with fetch: the CSRF cookie must be there for it.
@ensure_csrf_cookie
@require_GET
def planning_page(request):
    chosen = chosen_parameters(request.GET)
    config = map_config(
        chosen=chosen,
        api={
            "coverage": reverse("coverage"),
            "grounds": reverse("layer-features", args=["grounds"]),
            "territories": reverse("layer-features", args=["territories"]),
            "plans": reverse("coverage-plans"),
        },
        report=reverse("planning-report"),
    )
    context = {
        "kinds": KINDS,
        "methods": METHODS,
        "territories": approved_territories(),
        "chosen": chosen,
        "demo_notice": demo_notice() if demo_is_loaded() else "",
        "config": config,
        "labels": page_labels(),
    }
    return render(request, "planning/planning_page.html", context)


@require_GET
def planning_report(request):
    """One analysis as a page to print: parameters, date, data version, the table
    and the charts (drawn by static/planning/report.js from the same figures)."""
    query = request.GET
    context = {
        "kinds": KINDS,
        "methods": METHODS,
        "demo_notice": demo_notice() if demo_is_loaded() else "",
        "created_at": timezone.localtime(),
        "config": map_config(),
        "labels": page_labels(),
    }
    try:
        kind = services.checked_kind(query.get("kind") or "sport")
        territory = services.checked_territory(query.get("territory"))
        answer = services.coverage(
            kind, query.get("radius"), territory, query.get("method")
        )
    except Refused as refusal:
        context["refusal"] = refusal
        return render(
            request, "planning/report.html", context, status=http_status(refusal)
        )
    context.update(
        config=map_config(wholeDistrict=territory is None),
        answer=answer,
        territory=territory,
        kind_label=KINDS[answer["kind"]],
        method_label=METHODS[answer["method"]],
        page_url=reverse("planning-page") + "?" + query.urlencode(),
    )
    return render(request, "planning/report.html", context)


def chosen_parameters(query):
    """The form's starting values from the page's address. Only the choices are
    narrowed to what the form offers; the radius is passed on as typed, for the
    API to accept or refuse next to its field."""
    kind = query.get("kind")
    method = query.get("method")
    territory = query.get("territory") or ""
    return {
        "kind": kind if kind in KINDS else "sport",
        "method": method if method in METHODS else "straight",
        "territory": territory if territory.isascii() and territory.isdigit() else "",
        "radius": (query.get("radius") or "")[:32],
    }


def approved_territories():
    return list(Territory.objects.approved().order_by("name").values("pk", "name"))
