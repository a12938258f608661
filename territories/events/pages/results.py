"""The results page of an event (`/events/<id>/results/`, docs/domain.md, "After the
event"): what was recorded, for everyone; the form (participants, outcome, photos)
and the map for the trees of a planting drive, for whoever may record. The form
posts here; the trees go to the REST API from the page's script. The rules are
services/records.py's: this view only shows and maps their refusals."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods

from geo.errors import Refused, http_status
from geo.pages import map_config
from geo.requester import body_longer_than
from geo.wgs84 import to_wgs84

from ..links import event_path
from ..models import Event
from ..public import for_public, organiser_name, place_text
from ..services import records


@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def results_page(request, pk):
    event = _event(pk)
    if request.method == "POST":
        refusal = _record(request, event)
        if refusal is None:
            messages.success(request, _("Итоги сохранены."))
            return redirect(request.path)
        return _render(request, _event(pk), refusal, http_status(refusal))
    return _render(request, event)


def _event(pk):
    return get_object_or_404(
        for_public(Event.objects.annotate(trees_planted=Count("planted_trees"))),
        pk=pk,
    )


def _record(request, event):
    """The form's fields through the services; the first refusal, or None."""
    rules = records.photo_rules()
    if body_longer_than(request, rules.max_request_bytes()):
        return Refused("photos", _("слишком большой запрос: фотографии не поместятся"))
    try:
        records.record_report(
            event.pk,
            participants=request.POST.get("participants"),
            outcome=request.POST.get("outcome", ""),
            files=request.FILES.getlist("photos"),
            by=request.user,
        )
    except Refused as refusal:
        return refusal
    return None


def _render(request, event, refusal=None, status=200):
    may_record = records.may_record(request.user, event)
    point = to_wgs84(event.geom)
    config = map_config(
        center=[point.y, point.x],
        zoom=17,
        api={
            "trees": reverse("event-trees-api", args=[event.pk]),
            "layer": reverse("layer-features", args=["trees"]),
        },
        may_record=may_record and event.kind.is_planting,
        labels={
            "species": _("Порода"),
            "remove": _("Убрать"),
            "saved": _("Деревья сохранены: %(count)s"),
            "nothing": _("Отметьте деревья на карте щелчком."),
            "failed": _("Не сохранено: %(error)s"),
        },
    )
    context = {
        "event": event,
        "organiser": organiser_name(event),
        "place": place_text(event),
        "event_path": event_path(event),
        "photos": event.photos.all(),
        "may_record": may_record,
        "refusal": refusal,
        "posted": request.POST if refusal else None,
        "config": config,
        "max_photos": settings.EVENT_PHOTOS_PER_REQUEST,
    }
    return render(request, "events/results.html", context, status=status)
