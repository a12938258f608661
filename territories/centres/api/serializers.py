"""What the centres API shows. Public answers (centres, rooms, busy weeks) carry an
organiser's public name and a booking's title, never the person who asked; a
booking's requester is shown only to the centre's staff."""

from rest_framework import serializers

from territories.accounts.organisers import of_row

from ..models import Booking, BookingSeries, Equipment


class OpeningHoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 = Monday … 6 = Sunday")
    opens = serializers.TimeField(format="%H:%M")
    closes = serializers.TimeField(format="%H:%M")


class ClosureSerializer(serializers.Serializer):
    room = serializers.IntegerField(
        source="room_id", allow_null=True, help_text="null: the whole centre"
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField()


class StaffClosureSerializer(ClosureSerializer):
    id = serializers.IntegerField()


class ClosureInputSerializer(serializers.Serializer):
    room = serializers.IntegerField(
        required=False, allow_null=True, help_text="a room of the centre; none: all"
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField()
    cancel_bookings = serializers.BooleanField(
        required=False,
        help_text="cancel the live bookings it covers (else refused over them)",
    )


class ClosureAddedSerializer(serializers.Serializer):
    closure = StaffClosureSerializer()
    cancelled = serializers.ListField(
        child=serializers.IntegerField(), help_text="ids of the bookings cancelled"
    )


class RoomSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    centre = serializers.IntegerField(source="centre_id")
    name = serializers.CharField()
    capacity = serializers.IntegerField()
    equipment = serializers.ListField(
        child=serializers.ChoiceField(choices=Equipment.values)
    )
    equipment_labels = serializers.ListField(child=serializers.CharField())
    step_free = serializers.BooleanField()
    accessibility = serializers.CharField()
    description = serializers.CharField()


class CentreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    lon = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()
    rooms = RoomSerializer(many=True, source="room_set.all")
    opening_hours = OpeningHoursSerializer(many=True, source="opening_hours_set.all")

    def point(self, centre):
        return centre.geom.transform(4326, clone=True)

    def get_lon(self, centre) -> float:
        return round(self.point(centre).x, 6)

    def get_lat(self, centre) -> float:
        return round(self.point(centre).y, 6)


class CentreDetailSerializer(CentreSerializer):
    closures = ClosureSerializer(many=True, source="upcoming_closures")


class OrganiserSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["territory", "council", "group"])
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()


def organiser_data(series):
    who = of_row(series)
    if who.territory is not None:
        return {"kind": "territory", "id": who.territory.pk, "name": who.name}
    if who.council is not None:
        return {"kind": "council", "id": who.council.pk, "name": who.name}
    return {"kind": "group", "id": None, "name": who.name}


class RequesterSerializer(serializers.Serializer):
    username = serializers.CharField()
    email = serializers.CharField()


class BookingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    series = serializers.IntegerField(source="series_id")
    room = serializers.IntegerField(source="room_id")
    room_name = serializers.CharField(source="room.name")
    centre = serializers.IntegerField(source="room.centre_id")
    centre_name = serializers.CharField(source="room.centre.name")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=Booking.State.values)
    state_label = serializers.CharField(source="get_state_display")
    title = serializers.CharField(source="series.title")
    people = serializers.IntegerField(source="series.people", allow_null=True)
    organiser = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
    cancel_reason = serializers.CharField()
    requester = serializers.SerializerMethodField(
        help_text="Only for the centre's staff; null for everyone else."
    )

    def get_organiser(self, booking) -> OrganiserSerializer:
        return organiser_data(booking.series)

    def get_requester(self, booking) -> RequesterSerializer(allow_null=True):
        shows = self.context.get("shows_requester", lambda b: False)
        if not shows(booking):  # asked first: reading the account costs a query
            return None
        user = booking.series.requested_by
        if user is None:
            return None
        return {"username": user.get_username(), "email": user.email}


class SeriesSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    room = serializers.IntegerField(source="room_id")
    title = serializers.CharField()
    purpose = serializers.CharField()
    people = serializers.IntegerField(allow_null=True)
    repeat = serializers.ChoiceField(choices=BookingSeries.Repeat.values)
    until = serializers.DateField(allow_null=True)
    count = serializers.IntegerField(allow_null=True)
    organiser = serializers.SerializerMethodField()
    bookings = serializers.SerializerMethodField()

    def get_organiser(self, series) -> OrganiserSerializer:
        return organiser_data(series)

    def get_bookings(self, series) -> BookingSerializer(many=True):
        rows = self.context["bookings"]
        return BookingSerializer(rows, many=True, context=self.context).data


# --- request bodies (documentation; the views read the bodies themselves) ---------


class RepeatSerializer(serializers.Serializer):
    every = serializers.ChoiceField(choices=["weekly", "monthly"])
    until = serializers.DateField(required=False, help_text="local date, inclusive")
    count = serializers.IntegerField(required=False, min_value=1, max_value=60)


class BookingRequestSerializer(serializers.Serializer):
    room = serializers.IntegerField()
    starts_at = serializers.DateTimeField(
        help_text="ISO 8601; without an offset, local time (settings.TIME_ZONE)"
    )
    ends_at = serializers.DateTimeField()
    title = serializers.CharField(max_length=200)
    purpose = serializers.CharField(required=False, allow_blank=True)
    people = serializers.IntegerField(required=False, min_value=1, allow_null=True)
    territory = serializers.IntegerField(
        required=False, allow_null=True, help_text="organiser: a TOS id"
    )
    council = serializers.IntegerField(
        required=False, allow_null=True, help_text="organiser: a council id"
    )
    group_name = serializers.CharField(
        required=False, allow_blank=True, help_text="organiser: an initiative group"
    )
    repeat = RepeatSerializer(required=False, allow_null=True)


class MoveSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField()


# --- the busy week ----------------------------------------------------------------


class HoursSerializer(serializers.Serializer):
    opens = serializers.TimeField(format="%H:%M")
    closes = serializers.TimeField(format="%H:%M")


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    hours = serializers.SerializerMethodField()

    def get_hours(self, day) -> HoursSerializer(many=True):
        return [
            {"opens": o.strftime("%H:%M"), "closes": c.strftime("%H:%M")}
            for o, c in day.hours
        ]


class BusySerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    state = serializers.CharField(help_text="requested or accepted: both hold it")
    title = serializers.CharField()
    organiser = serializers.CharField(help_text="the organiser's public name")


class ClosedSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField()


class RoomWeekSerializer(serializers.Serializer):
    room = serializers.SerializerMethodField()
    week = serializers.CharField(help_text="ISO week, YYYY-Www")
    previous = serializers.CharField()
    next = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    time_zone = serializers.SerializerMethodField()
    days = DaySerializer(many=True)
    busy = BusySerializer(many=True)
    closures = ClosedSerializer(many=True)

    def get_room(self, week) -> RoomSerializer:
        return RoomSerializer(week.room).data

    def get_time_zone(self, week) -> str:
        return self.context["time_zone"]
