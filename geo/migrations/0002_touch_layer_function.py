from django.db import migrations

# A statement trigger calls this on every change of a layer's table, so that ETag and
# Last-Modified stay right whatever wrote the change (ORM, importer, raw SQL).
CREATE = """
CREATE OR REPLACE FUNCTION geo_touch_layer() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO geo_layerstate ("table", changed_at)
    VALUES (TG_TABLE_NAME, clock_timestamp())
    ON CONFLICT ("table") DO UPDATE SET changed_at = EXCLUDED.changed_at;
    RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_layer_state")]

    operations = [
        migrations.RunSQL(CREATE, "DROP FUNCTION IF EXISTS geo_touch_layer();"),
    ]
