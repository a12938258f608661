"""Record the last change of the tables the calendars, the Atom feed and the event
indicators read (geo_layerstate, geo 0002), so their ETags change with them
(docs/architecture.md, "Layers and their versions").

CREATE OR REPLACE: the `events` layer may put the same trigger on events_event; the
trigger is the same whoever creates it first."""

from django.db import migrations

TABLES = (
    "events_event",
    "events_eventkind",
    "events_eventphoto",
    "events_plantedtree",
    # An organiser's public name is a council's name.
    "territories_council",
)


def create(table):
    return (
        f"CREATE OR REPLACE TRIGGER {table}_touch_layer "
        f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION geo_touch_layer();"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_touch_layer_function"),
        ("territories", "0010_council_members"),
        ("events", "0002_traditional_kinds"),
    ]

    operations = [
        migrations.RunSQL(
            [create(table) for table in TABLES],
            [f"DROP TRIGGER IF EXISTS {t}_touch_layer ON {t};" for t in TABLES],
        )
    ]
