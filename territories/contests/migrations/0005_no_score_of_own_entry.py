"""A juror never scores an entry they filed (docs/domain.md, "Contests",
"Conflicts of interest"): services/scoring.py `conflict` refuses it first, and this
trigger refuses such a score whatever writes it. The other conflicts (own TOS,
own council) depend on boundaries and memberships that change over time and stay
in the service."""

from django.db import migrations

OWN_ENTRY_GUARD = """
CREATE OR REPLACE FUNCTION contests_score_not_own() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM contests_entry e
                 JOIN contests_juror j ON j.id = NEW.juror_id
                WHERE e.id = NEW.entry_id AND e.applicant_id = j.user_id) THEN
        RAISE EXCEPTION 'juror % may not score their own entry %',
            NEW.juror_id, NEW.entry_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER contests_score_not_own
BEFORE INSERT OR UPDATE ON contests_score
FOR EACH ROW EXECUTE FUNCTION contests_score_not_own();
"""

DROP = """
DROP TRIGGER IF EXISTS contests_score_not_own ON contests_score;
DROP FUNCTION IF EXISTS contests_score_not_own();
"""


class Migration(migrations.Migration):
    dependencies = [("contests", "0004_placing_guard")]

    operations = [migrations.RunSQL(OWN_ENTRY_GUARD, DROP)]
