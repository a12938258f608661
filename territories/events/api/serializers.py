"""What the events API shows. Public answers carry no registrant's name or contact;
the registrations list is the organiser's (RegistrationSerializer)."""

from django.utils import timezone
from rest_framework import serializers

from geo.wgs84 import to_wgs84
from territories.accounts import organisers

from ..links import event_path
from ..models import Event, EventKind, Registration


class KindSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventKind
        fields = ["code", "name", "traditional", "is_training", "is_planting"]


class NewKindSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)


class EventOrganiserSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(["territory", "council", "group"])
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()


class EventResultsSummarySerializer(serializers.Serializer):
    participants = serializers.IntegerField(allow_null=True)
    outcome = serializers.CharField()
    recorded_at = serializers.DateTimeField(allow_null=True)
    photos = serializers.IntegerField()
    planted_trees = serializers.IntegerField()


class EventSerializer(serializers.ModelSerializer):
    """An event as anyone sees it. `registered`, `waitlisted`, `places_left` come
    from `EventQuerySet.with_places()`."""

    kind = KindSerializer()
    organiser = serializers.SerializerMethodField()
    lon = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()
    registered = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    places_left = serializers.IntegerField(allow_null=True, help_text="null: no limit")
    open_for_signup = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "kind",
            "description",
            "organiser",
            "starts_at",
            "ends_at",
            "place_kind",
            "yard",
            "ground",
            "room",
            "booking",
            "address",
            "lon",
            "lat",
            "capacity",
            "registration_required",
            "campaign",
            "state",
            "registered",
            "waitlisted",
            "places_left",
            "open_for_signup",
            "url",
        ]

    def get_organiser(self, event) -> EventOrganiserSerializer:
        who = organisers.of_row(event)
        if who.territory is not None:
            kind, pk = "territory", who.territory.pk
        elif who.council is not None:
            kind, pk = "council", who.council.pk
        else:
            kind, pk = "group", None
        return {"kind": kind, "id": pk, "name": who.name}

    def get_lon(self, event) -> float:
        return round(to_wgs84(event.geom).x, 6)

    def get_lat(self, event) -> float:
        return round(to_wgs84(event.geom).y, 6)

    def get_open_for_signup(self, event) -> bool:
        return (
            event.registration_required
            and event.state == Event.State.SCHEDULED
            and event.starts_at > timezone.now()
        )

    def get_url(self, event) -> str:
        return event_path(event.pk)


class EventDetailSerializer(EventSerializer):
    """With what the organiser recorded afterwards (read from the models)."""

    results = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "results"]

    def get_results(self, event) -> EventResultsSummarySerializer:
        return {
            "participants": event.participants,
            "outcome": event.outcome,
            "recorded_at": event.recorded_at,
            "photos": event.photos.count(),
            "planted_trees": event.planted_trees.count(),
        }


class EventPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EventSerializer(many=True)


class EventInputSerializer(serializers.Serializer):
    """The body of a new event or of a change (PATCH: any of the fields), as
    `services.read_event` checks it; refusals name the field."""

    title = serializers.CharField(max_length=200)
    kind = serializers.CharField(help_text="a kind's code (GET /api/events/kinds/)")
    description = serializers.CharField(required=False, allow_blank=True)
    territory = serializers.IntegerField(
        required=False, allow_null=True, help_text="organiser: a TOS id"
    )
    council = serializers.IntegerField(
        required=False, allow_null=True, help_text="organiser: a council id"
    )
    group_name = serializers.CharField(
        required=False, allow_blank=True, help_text="organiser: an initiative group"
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place_kind = serializers.ChoiceField(Event.PlaceKind.choices)
    lon = serializers.FloatField(required=False, help_text="place_kind=point")
    lat = serializers.FloatField(required=False, help_text="place_kind=point")
    yard = serializers.IntegerField(required=False, help_text="place_kind=yard")
    ground = serializers.IntegerField(required=False, help_text="place_kind=ground")
    room = serializers.IntegerField(
        required=False,
        help_text="place_kind=room: a resource centre's room, booked with the event",
    )
    booking = serializers.IntegerField(
        required=False,
        help_text="place_kind=room: the organiser's booking of the room instead",
    )
    address = serializers.CharField(required=False, allow_blank=True)
    capacity = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    registration_required = serializers.BooleanField(required=False)
    campaign = serializers.CharField(required=False, allow_blank=True)


class SignUpInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(
        required=False, allow_blank=True, help_text="+7XXXXXXXXXX"
    )


class SignUpSerializer(serializers.Serializer):
    state = serializers.ChoiceField(Registration.State.choices)
    cancel_token = serializers.CharField(help_text="shown once; keep it")
    cancel_url = serializers.CharField()


class CancelInputSerializer(serializers.Serializer):
    token = serializers.CharField()


class CancelledSerializer(serializers.Serializer):
    state = serializers.ChoiceField(Registration.State.choices)
    event = serializers.IntegerField()


class RegistrationSerializer(serializers.ModelSerializer):
    """The organiser's list: personal data, never public."""

    class Meta:
        model = Registration
        fields = ["id", "name", "email", "phone", "state", "created_at"]
