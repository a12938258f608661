from django.db import migrations

from geo.migrations_util import touch_layer_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_touch_layer_function"),
        ("territories", "0001_spatial_model"),
    ]

    operations = [
        touch_layer_triggers(
            "territories_territory",
            "territories_building",
            "territories_yard",
            "territories_ground",
            "territories_tree",
            "territories_resourcecentre",
            "territories_containersite",
        )
    ]
