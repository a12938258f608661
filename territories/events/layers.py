"""The `events` layer in the catalogue of `geo.layers`: upcoming events (not yet
ended, not cancelled), filtered by the one event filter (filters.py).

Its version covers the passage of time: the set of upcoming events changes when one
ends, without any table changing, so the earliest end among them is part of the
version (docs/architecture.md, "Layers"). Nothing enters the set by time alone: a
future event is already in it."""

from django.db.models import BooleanField, Case, F, Min, TextField, Value, When
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _

from geo.bbox import BBoxError, parse_bbox
from geo.errors import QueryError
from geo.layers import Filter, Layer, layers
from territories.registry.models import Council, Territory

from . import filters, held
from .models import Event, Registration
from .querysets import places_left, registrations
from .versions import latest

PARAMETERS = ("bbox", *filters.PARAMETERS)


class EventLayer(Layer):
    version_in_one_statement = False  # the next end of an event is part of it

    def select(self, params):
        unknown = sorted(set(params) - set(PARAMETERS))
        if unknown:
            raise QueryError(
                unknown[0],
                _("неизвестный параметр; этот слой понимает: %s")
                % ", ".join(PARAMETERS),
            )
        queryset = filters.filter_events(params, self.queryset())
        if "bbox" in params:
            try:
                queryset = queryset.in_bbox(parse_bbox(params["bbox"]))
            except BBoxError as error:
                raise QueryError("bbox", str(error)) from None
        return queryset

    def version(self, params):
        next_end = self.queryset().aggregate(next_end=Min("ends_at"))["next_end"]
        stamp = next_end.isoformat() if next_end else "-"
        etag, last_modified = super().version({**params, "_next_end": stamp})
        # The set last changed by time when the latest ended event ended: no
        # earlier Last-Modified, or If-Modified-Since alone gets a stale 304.
        return etag, latest([last_modified], held.last_end())


def organiser_name():
    """The organiser's public name, as `accounts.organisers.Organiser.name` says it
    (in Russian: the layer is the same for every language)."""
    return Case(
        When(
            territory__isnull=False,
            then=Concat(Value("ТОС «"), F("territory__name"), Value("»")),
        ),
        When(council__isnull=False, then=F("council__name")),
        default=F("group_name"),
        output_field=TextField(),
    )


def event_properties():
    """What the map shows of an event: never who signed up."""
    left = places_left(registrations(Registration.State.REGISTERED))
    return {
        "title": "title",
        "kind": "kind__code",
        "kind_name": "kind__name",
        "starts_at": "starts_at",
        "ends_at": "ends_at",
        "organiser": organiser_name(),
        "registration_required": "registration_required",
        "places_left": left,
        # No limit: NULL places left, never full.
        "full": Case(
            When(Exact(left, 0), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        "url": Concat(
            Value("/events/"),
            Cast("pk", TextField()),
            Value("/"),
            output_field=TextField(),
        ),
    }


def described_parameters():
    return tuple(
        Filter(name, name, description=text, openapi=filters.SCHEMAS[name])
        for name, text in filters.PARAMETERS.items()
    )


def upcoming():
    return Event.objects.upcoming()


def register_layers():
    layers.register(
        EventLayer(
            "events",
            "Мероприятия",
            "Events",
            "Point",
            upcoming,
            event_properties(),
            described_parameters(),
            # Places left are counted in a subquery of the registrations;
            # `?territory=` reads the TOS boundaries; the organiser's name joins the
            # TOS and the councils (found from the query too).
            depends_on=(Registration, Territory, Council),
            # The OGC API's `?datetime=` selects events by their start.
            datetime_field="starts_at",
        )
    )
