"""Record the last change of the tables the dashboard reads that no layer, feed or
calendar watched yet (geo_layerstate, geo 0002), so the dashboard's ETag changes
with them (docs/architecture.md, "Layers and their versions"; docs/domain.md,
"Indicators"): yard works (yards improved), boundary versions (the year a TOS was
created), report updates (when a report was closed or fixed) and responsible bodies
(their names head a table).

CREATE OR REPLACE: another app may put the same trigger on one of these tables; the
trigger is the same whoever creates it first."""

from django.db import migrations

TABLES = (
    "territories_yardwork",
    "boundaries_boundaryversion",
    "reports_reportupdate",
    "reports_responsiblebody",
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
        ("boundaries", "0002_guards"),
        ("reports", "0003_follow_territory_boundaries"),
        ("events", "0006_room_booked_with_the_event"),
    ]

    operations = [
        migrations.RunSQL(
            [create(table) for table in TABLES],
            [f"DROP TRIGGER IF EXISTS {t}_touch_layer ON {t};" for t in TABLES],
        )
    ]
