"""A report's `territory` follows the approved boundaries (docs/domain.md, "TOS
boundaries"): when a territory's boundary or status changes, the reports that were
in it or are in it now are placed again, in the same statement, with no manual step.
The smallest approved territory covering the point wins, as in
`territories.registry.spatial.place`."""

from django.db import migrations

FOLLOW = """
CREATE FUNCTION reports_follow_territory() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    WITH moved AS (
        SELECT r.id,
               (SELECT t.id FROM territories_territory t
                 WHERE t.status = 'approved' AND ST_Covers(t.geom, r.geom)
                 ORDER BY t.area_m2, t.id LIMIT 1) AS territory_id
          FROM reports_problemreport r
         WHERE r.territory_id = NEW.id
            OR (NEW.status = 'approved' AND NEW.geom IS NOT NULL
                AND ST_Covers(NEW.geom, r.geom))
    )
    UPDATE reports_problemreport r SET territory_id = moved.territory_id
      FROM moved
     WHERE r.id = moved.id AND r.territory_id IS DISTINCT FROM moved.territory_id;
    RETURN NULL;
END $$;

CREATE TRIGGER reports_follow_territory
AFTER INSERT OR UPDATE OF geom, status ON territories_territory
FOR EACH ROW EXECUTE FUNCTION reports_follow_territory();
"""

UNFOLLOW = """
DROP TRIGGER IF EXISTS reports_follow_territory ON territories_territory;
DROP FUNCTION IF EXISTS reports_follow_territory();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_category_layer_trigger"),
        ("territories", "0008_territory_proposals"),
    ]

    operations = [migrations.RunSQL(FOLLOW, UNFOLLOW)]
