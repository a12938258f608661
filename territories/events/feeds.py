"""Atom feed of new events, newest first (`/feeds/events.atom`, optionally
`?territory=<id>`): public fields only — title, kind, organiser's name (an
organisation's, never a person's), when, where, and the event's page. Written like
the reports' feeds (territories/reports/feeds.py)."""

from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from geo.feeds import GeoAtomFeed
from geo.wgs84 import to_wgs84

from . import held, versions
from .links import event_path
from .models import Event
from .public import for_public, organiser_name, place_text
from .services.indicators import checked_territory

FEED_SIZE = 50


@dataclass(frozen=True)
class Scope:
    territory: object
    changed: object  # the events' table's last change


class NewEventsFeed(GeoAtomFeed):
    def get_object(self, request):
        raw = request.GET.get("territory")
        territory = None if raw is None else checked_territory(raw)
        changed = versions.changes([versions.EVENTS]).get(versions.EVENTS)
        return Scope(territory, changed or timezone.now())

    def title(self, scope):
        territory = scope.territory
        if territory is not None:
            return _("Новые мероприятия: ТОС «%s»") % territory.name
        return _("Новые мероприятия — Ангарский городской округ")

    def subtitle(self, scope):
        return _("Мероприятия и акции во дворах, новые первыми.")

    def link(self, scope):
        return "/events/"

    def items(self, scope):
        events = held.with_place()
        if scope.territory is not None:
            events = events.filter(place_territory_id=scope.territory.pk)
        return list(for_public(events).order_by("-created_at", "-pk")[:FEED_SIZE])

    def item_title(self, event):
        when = formats.date_format(
            timezone.localtime(event.starts_at), "DATETIME_FORMAT"
        )
        title = f"{event.title} — {when}"
        if event.state == Event.State.CANCELLED:
            return _("Отменено: %s") % title
        return title

    def item_description(self, event):
        parts = [
            _("Вид: %s") % event.kind.name,
            _("Организатор: %s") % organiser_name(event),
        ]
        where = place_text(event)
        if where:
            parts.append(_("Место: %s") % where)
        if event.description:
            parts += ["", event.description]
        # Atom's summary is HTML: the organiser's text goes in escaped.
        return linebreaks(escape("\n".join(parts)))

    def item_link(self, event):
        return event_path(event)

    def item_guid(self, event):
        return event_path(event)

    def item_author_name(self, event):
        return organiser_name(event)

    def item_pubdate(self, event):
        return event.created_at

    def item_updateddate(self, event):
        """When the entry last changed: its own edits (GeoFeature.updated_at) or
        its recorded results, whichever is later."""
        return max(filter(None, (event.updated_at, event.recorded_at)))

    def item_categories(self, event):
        return (event.kind.name,)

    def item_geometry(self, event):
        return to_wgs84(event.geom)
