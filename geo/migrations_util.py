"""Helpers for migrations of apps whose tables are published as layers."""

from django.db import migrations


def touch_layer_triggers(*tables):
    """RunSQL that keeps geo_layerstate current for each table (see geo 0002)."""
    create = [
        f"CREATE TRIGGER {table}_touch_layer "
        f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION geo_touch_layer();"
        for table in tables
    ]
    drop = [
        f"DROP TRIGGER IF EXISTS {table}_touch_layer ON {table};" for table in tables
    ]
    return migrations.RunSQL(create, drop)
