"""The database's guarantees for boundaries (docs/domain.md, "TOS boundaries"):

- every stored boundary (a territory's approved one, every version) is valid (the
  models' check constraints) and lies inside the territory's district;
- approved territories never overlap. An exclusion constraint with `&&` would
  compare bounding boxes only, so a trigger tests the interiors instead, under a
  transaction-level advisory lock that every approved write takes: two approvals
  racing are serialised, and the second one's check (a new snapshot in READ
  COMMITTED, since each statement of a plpgsql function takes one) sees the first.
  Shared area (or area outside the district) up to OVERLAP_TOLERANCE_M2 is
  floating-point noise of the snapping (`spatial.fit`), not an overlap.

- every approved boundary is in the history: one written outside the workflow (the
  admin, the demo loader, an import) gets a version of its own, author unknown, and
  the existing territories get theirs as version 1."""

from django.db import migrations

LOCK_KEY = 7_310_001  # pg_advisory_xact_lock key of "approved boundaries change"
OVERLAP_TOLERANCE_M2 = 0.01

GUARD_TERRITORY = f"""
CREATE FUNCTION boundaries_territory_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    other record;
BEGIN
    IF NEW.geom IS NULL THEN
        IF NEW.status = 'approved' THEN
            RAISE EXCEPTION 'approved territory % has no boundary', NEW.name
                USING ERRCODE = 'check_violation',
                      CONSTRAINT = 'territory_approved_has_boundary';
        END IF;
        RETURN NEW;
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM territories_district d
        WHERE d.id = NEW.district_id
          AND (ST_CoveredBy(NEW.geom, d.geom)
               OR ST_Area(ST_Difference(NEW.geom, d.geom)) <= {OVERLAP_TOLERANCE_M2})
    ) THEN
        RAISE EXCEPTION 'territory % lies outside its district', NEW.name
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'territory_inside_district';
    END IF;
    IF NEW.status = 'approved' THEN
        PERFORM pg_advisory_xact_lock({LOCK_KEY});
        SELECT t.id, t.name, ST_Area(ST_Intersection(t.geom, NEW.geom)) AS area
          INTO other
          FROM territories_territory t
         WHERE t.status = 'approved' AND t.id <> NEW.id
           AND t.geom && NEW.geom
           AND ST_Relate(t.geom, NEW.geom, '2********')
           AND ST_Area(ST_Intersection(t.geom, NEW.geom)) > {OVERLAP_TOLERANCE_M2}
         ORDER BY t.id
         LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'territory % overlaps approved territory % (% m2)',
                NEW.name, other.name, round(other.area::numeric, 1)
                USING ERRCODE = 'exclusion_violation',
                      CONSTRAINT = 'territory_approved_no_overlap',
                      DETAIL = other.id::text;
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER boundaries_territory_guard
BEFORE INSERT OR UPDATE OF geom, status, district_id ON territories_territory
FOR EACH ROW EXECUTE FUNCTION boundaries_territory_guard();
"""

GUARD_VERSION = """
CREATE FUNCTION boundaries_version_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM territories_territory t
          JOIN territories_district d ON d.id = t.district_id
        WHERE t.id = NEW.territory_id
          AND (ST_CoveredBy(NEW.geom, d.geom)
               OR ST_Area(ST_Difference(NEW.geom, d.geom)) <= %s)
    ) THEN
        RAISE EXCEPTION 'boundary version % lies outside the district', NEW.number
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'boundaryversion_inside_district';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER boundaries_version_guard
BEFORE INSERT OR UPDATE OF geom ON boundaries_boundaryversion
FOR EACH ROW EXECUTE FUNCTION boundaries_version_guard();
""".replace("%s", str(OVERLAP_TOLERANCE_M2))

HISTORY = """
CREATE FUNCTION boundaries_territory_history() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    newest record;
BEGIN
    IF NEW.status <> 'approved' OR NEW.geom IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT v.geom INTO newest FROM boundaries_boundaryversion v
     WHERE v.territory_id = NEW.id AND v.state = 'approved'
     ORDER BY v.number DESC LIMIT 1;
    IF FOUND AND ST_OrderingEquals(newest.geom, NEW.geom) THEN
        RETURN NULL;
    END IF;
    INSERT INTO boundaries_boundaryversion
        (territory_id, number, state, geom, created_at, reviewed_at,
         decision_number, decision_date, comment)
    SELECT NEW.id,
           coalesce((SELECT max(number) FROM boundaries_boundaryversion
                      WHERE territory_id = NEW.id), 0) + 1,
           'approved', NEW.geom, now(), now(),
           coalesce(nullif(NEW.decision_no, ''), '—'),
           coalesce(NEW.decision_date, now()::date),
           'Граница записана вне согласования (администрирование, загрузка данных)';
    RETURN NULL;
END $$;

CREATE TRIGGER boundaries_territory_history
AFTER INSERT OR UPDATE OF geom, status ON territories_territory
FOR EACH ROW EXECUTE FUNCTION boundaries_territory_history();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS boundaries_territory_history ON territories_territory;
DROP FUNCTION IF EXISTS boundaries_territory_history();
DROP TRIGGER IF EXISTS boundaries_territory_guard ON territories_territory;
DROP FUNCTION IF EXISTS boundaries_territory_guard();
DROP TRIGGER IF EXISTS boundaries_version_guard ON boundaries_boundaryversion;
DROP FUNCTION IF EXISTS boundaries_version_guard();
"""

FIRST_VERSIONS = """
INSERT INTO boundaries_boundaryversion
    (territory_id, number, state, geom, created_at, reviewed_at,
     decision_number, decision_date, comment)
SELECT t.id, 1, 'approved', t.geom, t.updated_at, t.updated_at,
       coalesce(nullif(t.decision_no, ''), '—'),
       coalesce(t.decision_date, t.created_at::date),
       'Граница, записанная до учёта версий'
  FROM territories_territory t
 WHERE t.geom IS NOT NULL AND t.status = 'approved'
   AND NOT EXISTS (SELECT 1 FROM boundaries_boundaryversion v
                    WHERE v.territory_id = t.id)
"""


class Migration(migrations.Migration):
    dependencies = [("boundaries", "0001_initial")]

    operations = [
        migrations.RunSQL(GUARD_TERRITORY + GUARD_VERSION + HISTORY, UNGUARD),
        migrations.RunSQL(FIRST_VERSIONS, migrations.RunSQL.noop),
    ]
