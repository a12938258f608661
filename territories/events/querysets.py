"""Query vocabulary of events (docs/domain.md, "Events"): what the pages, the API,
the layer and the reminders compose."""

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from territories.registry.querysets import GeoQuerySet


def registrations(state):
    """The number of an event's registrations in `state`, as a subquery (one query
    for a whole page of events, no join that would multiply rows)."""
    from .models import Registration

    counted = (
        Registration.objects.filter(event=OuterRef("pk"), state=state)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def places_left(registered):
    """Places still free, given the expression of the registered count; None
    (SQL NULL) when the event has no limit."""
    return Case(
        # PostgreSQL's GREATEST skips NULLs: without the Case no limit would be 0.
        When(capacity__isnull=True, then=Value(None)),
        default=Greatest(F("capacity") - registered, 0),
        output_field=IntegerField(),
    )


class EventQuerySet(GeoQuerySet):
    def public(self):
        """Every event is public, a cancelled one too (it says so): people who
        planned to come must find out. Registrations never are."""
        return self

    def scheduled(self):
        return self.filter(state=self.model.State.SCHEDULED)

    def upcoming(self, now=None):
        """Scheduled events that have not ended yet (those under way included)."""
        return self.scheduled().filter(ends_at__gt=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lte=now or timezone.now())

    def between(self, start, end):
        """Events that take place (any part of them) within [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def of_kind(self, codes):
        codes = [codes] if isinstance(codes, str) else codes
        return self.filter(kind__code__in=codes)

    def in_territory(self, territory_ids):
        """Events of a TOS, by the one rule the indicators, calendars and feed use
        (held.place_territory; docs/domain.md, "Event indicators"): the approved TOS
        whose boundary covers the event's point, else — for an event outside every
        TOS — its organiser's TOS."""
        from .held import place_territory

        ids = [territory_ids] if isinstance(territory_ids, int) else territory_ids
        return self.alias(place_territory_id=place_territory()).filter(
            place_territory_id__in=ids
        )

    def with_places(self):
        """`registered`, `waitlisted` and `places_left` (None: no limit) of each
        event, as subqueries."""
        from .models import Registration

        State = Registration.State
        return self.annotate(
            registered=registrations(State.REGISTERED),
            waitlisted=registrations(State.WAITLISTED),
        ).annotate(places_left=places_left(F("registered")))

    def for_display(self):
        return self.select_related(
            "kind", "territory", "council", "yard", "ground", "room__centre", "booking"
        )
