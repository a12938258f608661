"""The tables the iCalendar feeds read record their last change in geo_layerstate
(geo.migrations_util), so the feeds' ETag and Last-Modified cover them: the
centres' own tables and the registry's councils, whose names the feeds show (the
registry's TOS and centres have their triggers already, registry 0002)."""

from django.db import migrations

from geo.migrations_util import touch_layer_triggers

OWN = (
    "centres_room",
    "centres_openinghours",
    "centres_closure",
    "centres_bookingseries",
    "centres_booking",
)


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0001_rooms_and_bookings"),
        ("geo", "0002_touch_layer_function"),
        ("territories", "0010_council_members"),
    ]

    operations = [
        touch_layer_triggers(*OWN),
        # CREATE OR REPLACE: another app may watch the councils' table too.
        migrations.RunSQL(
            "CREATE OR REPLACE TRIGGER territories_council_touch_layer "
            "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON territories_council "
            "FOR EACH STATEMENT EXECUTE FUNCTION geo_touch_layer();",
            migrations.RunSQL.noop,
        ),
    ]
