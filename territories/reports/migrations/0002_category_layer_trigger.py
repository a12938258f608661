"""The reports layer publishes each report's category name, so a change of the
categories table must change the layer's version as a change of reports does."""

from django.db import migrations

from geo.migrations_util import touch_layer_triggers


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_moved_from_territories")]

    operations = [touch_layer_triggers("reports_category")]
