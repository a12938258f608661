"""A placing exists only for a published season (docs/domain.md, "Contests",
"Secrecy"): the ranking is stored in the transaction that publishes the season
(services/seasons.py), after the state is `published`; any other write of a
placing — of an unpublished season, or of a nomination of another season than its
entry's — is refused here, whatever writes it."""

from django.db import migrations

PLACING_GUARD = """
CREATE OR REPLACE FUNCTION contests_placing_guard() RETURNS trigger AS $$
DECLARE
    entry_season integer;
    nomination_season integer;
    season_state text;
BEGIN
    SELECT e.season_id INTO entry_season FROM contests_entry e WHERE e.id = NEW.entry_id;
    SELECT n.season_id INTO nomination_season
      FROM contests_nomination n WHERE n.id = NEW.nomination_id;
    IF entry_season <> nomination_season THEN
        RAISE EXCEPTION 'placing of entry % in nomination % of another season',
            NEW.entry_id, NEW.nomination_id USING ERRCODE = 'check_violation';
    END IF;
    SELECT s.state INTO season_state FROM contests_season s
     WHERE s.id = entry_season FOR SHARE;
    IF season_state <> 'published' THEN
        RAISE EXCEPTION 'placing of entry % before season % is published',
            NEW.entry_id, entry_season USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS contests_placing_guard ON contests_placing;
CREATE TRIGGER contests_placing_guard BEFORE INSERT OR UPDATE ON contests_placing
    FOR EACH ROW EXECUTE FUNCTION contests_placing_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS contests_placing_guard ON contests_placing;
DROP FUNCTION IF EXISTS contests_placing_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("contests", "0003_traditional_contests")]

    operations = [migrations.RunSQL(PLACING_GUARD, DROP)]
