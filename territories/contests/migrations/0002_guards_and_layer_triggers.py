"""The contests' guarantees in the database (docs/domain.md, "Contests"):

- a score lies within 0 … its criterion's maximum (the check constraint gives the
  0), its criterion, juror and entry are of one season, and it is written only
  while that season is judged; the season's row is read FOR SHARE, so a score and
  a state change take turns;
- a criterion's maximum cannot drop below a score already given;
- a season's state moves only one step forward (open → judging → closed →
  published); the StateChange log's unique (season, to_state) makes each step
  happen once.

And the change triggers of geo_layerstate for the `contest_entries` layer and the
contests' pages' ETags (CREATE OR REPLACE, as events 0003)."""

from django.db import migrations

SCORE_GUARD = """
CREATE OR REPLACE FUNCTION contests_score_guard() RETURNS trigger AS $$
DECLARE
    criterion RECORD;
    entry_season integer;
    juror_season integer;
    season_state text;
BEGIN
    SELECT c.season_id, c.max_score, c.name INTO criterion
      FROM contests_criterion c WHERE c.id = NEW.criterion_id;
    SELECT e.season_id INTO entry_season FROM contests_entry e WHERE e.id = NEW.entry_id;
    SELECT j.season_id INTO juror_season FROM contests_juror j WHERE j.id = NEW.juror_id;
    IF criterion.season_id <> entry_season OR juror_season <> entry_season THEN
        RAISE EXCEPTION 'score of criterion %, juror % and entry % of different seasons',
            NEW.criterion_id, NEW.juror_id, NEW.entry_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.value > criterion.max_score THEN
        RAISE EXCEPTION 'score % above the maximum % of criterion "%"',
            NEW.value, criterion.max_score, criterion.name
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT s.state INTO season_state FROM contests_season s
     WHERE s.id = entry_season FOR SHARE;
    IF season_state <> 'judging' THEN
        RAISE EXCEPTION 'scores are written only while the season is judged (it is %)',
            season_state USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER contests_score_guard
BEFORE INSERT OR UPDATE ON contests_score
FOR EACH ROW EXECUTE FUNCTION contests_score_guard();
"""

CRITERION_GUARD = """
CREATE OR REPLACE FUNCTION contests_criterion_guard() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM contests_score s
                WHERE s.criterion_id = NEW.id AND s.value > NEW.max_score) THEN
        RAISE EXCEPTION 'criterion "%" has scores above %', NEW.name, NEW.max_score
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER contests_criterion_guard
BEFORE UPDATE OF max_score ON contests_criterion
FOR EACH ROW EXECUTE FUNCTION contests_criterion_guard();
"""

SEASON_GUARD = """
CREATE OR REPLACE FUNCTION contests_season_guard() RETURNS trigger AS $$
BEGIN
    IF NEW.state IS DISTINCT FROM OLD.state AND NOT (
        (OLD.state, NEW.state) IN (('open', 'judging'), ('judging', 'closed'),
                                   ('closed', 'published'))
    ) THEN
        RAISE EXCEPTION 'a season moves only one step forward, not % -> %',
            OLD.state, NEW.state USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER contests_season_guard
BEFORE UPDATE OF state ON contests_season
FOR EACH ROW EXECUTE FUNCTION contests_season_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS contests_score_guard ON contests_score;
DROP FUNCTION IF EXISTS contests_score_guard();
DROP TRIGGER IF EXISTS contests_criterion_guard ON contests_criterion;
DROP FUNCTION IF EXISTS contests_criterion_guard();
DROP TRIGGER IF EXISTS contests_season_guard ON contests_season;
DROP FUNCTION IF EXISTS contests_season_guard();
"""

TOUCHED = (
    "contests_contest",
    "contests_season",
    "contests_nomination",
    "contests_entry",
    "contests_entryphoto",
    "contests_placing",
    # The applicant's public name is a council's or a TOS's name.
    "territories_council",
    "territories_territory",
)


def touch(table):
    return (
        f"CREATE OR REPLACE TRIGGER {table}_touch_layer "
        f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION geo_touch_layer();"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_touch_layer_function"),
        ("territories", "0010_council_members"),
        ("contests", "0001_contests"),
    ]

    operations = [
        migrations.RunSQL([SCORE_GUARD, CRITERION_GUARD, SEASON_GUARD], DROP),
        migrations.RunSQL(
            [touch(table) for table in TOUCHED],
            # The registry's tables keep theirs: other apps' layers rely on them.
            [
                f"DROP TRIGGER IF EXISTS {t}_touch_layer ON {t};"
                for t in TOUCHED
                if t.startswith("contests_")
            ],
        ),
    ]
