"""Query vocabulary of rooms, closures and bookings."""

from datetime import datetime, time, timedelta

from django.db import models
from django.db.models import Q

from territories.accounts.roles import is_admin


class ClosureQuerySet(models.QuerySet):
    def overlapping(self, start, end):
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def affecting(self, room):
        """Closures of the room itself or of its whole centre."""
        return self.filter(centre_id=room.centre_id).filter(
            Q(room__isnull=True) | Q(room=room)
        )

    def upcoming(self, now):
        return self.filter(ends_at__gt=now)


class BookingQuerySet(models.QuerySet):
    def live(self):
        """Bookings that hold their slot: requested or accepted."""
        return self.filter(state__in=self.model.LIVE)

    def accepted(self):
        return self.filter(state=self.model.State.ACCEPTED)

    def requested(self):
        return self.filter(state=self.model.State.REQUESTED)

    def overlapping(self, start, end):
        """Sharing time with [start, end): the exclusion constraint's `&&`."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def of_room(self, room):
        return self.filter(room=room)

    def of_centre(self, centre):
        return self.filter(room__centre=centre)

    def in_week(self, monday, tz):
        """Overlapping the local week that starts on the date `monday`."""
        start = datetime.combine(monday, time.min, tzinfo=tz)
        return self.overlapping(start, start + timedelta(days=7))

    def upcoming(self, now):
        return self.filter(ends_at__gt=now)

    def requested_by(self, user):
        return self.filter(series__requested_by=user)

    def awaiting(self, user):
        """Requests waiting for a decision by `user`: those of the centres where
        they are staff (all centres for an administrator)."""
        requested = self.requested()
        if is_admin(user):
            return requested
        return requested.filter(room__centre__staff__user=user)

    def of_staff(self, user):
        """Every booking of the centres where `user` is staff."""
        if is_admin(user):
            return self
        return self.filter(room__centre__staff__user=user)

    def for_display(self):
        """With what a listing shows: room, centre, series and its organiser."""
        return self.select_related(
            "room__centre", "series__territory", "series__council"
        )
