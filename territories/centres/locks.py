"""The one raw statement of centres: a share lock on a centre's row.

Bookings take it FOR SHARE (they do not wait for each other: their clashes are the
exclusion constraint's), a closure FOR UPDATE (services.closures): so a closure and
a booking of the same centre are written one after the other, and neither misses the
other (docs/domain.md, "Resource centres and bookings", Closures)."""

from django.db import connection

from territories.registry.models import ResourceCentre

TABLE = ResourceCentre._meta.db_table


def share_centre(centre_id):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {TABLE} WHERE id = %s FOR SHARE",  # noqa: S608
            [centre_id],
        )


def lock_centre(centre_id):
    return ResourceCentre.objects.select_for_update().get(pk=centre_id)
