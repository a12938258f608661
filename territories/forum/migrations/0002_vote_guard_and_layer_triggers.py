"""The database's guarantees for votes (docs/domain.md, "Forum"):

- one vote per project and voter: the unique constraint `vote_once` (0001);
- a vote is for an approved project of its own round (`vote_round_of_project`,
  `vote_for_approved_project`) and cast within the round's window
  (`vote_in_window`, by the transaction's clock);
- a voter's votes in a round never exceed the round's `votes_per_person`
  (`vote_within_limit`): a BEFORE INSERT trigger takes a transaction-level advisory
  lock on (round, voter) — the lock the service takes too — and counts the voter's
  votes in a new snapshot (each statement of a plpgsql function takes one in READ
  COMMITTED), so two votes racing past the limit are counted in turn.

And the layers' versions: the forum's tables record their changes (geo 0002)."""

from django.db import migrations

from geo.migrations_util import touch_layer_triggers

# The line the race test's control run removes (tests/test_forum_race.py).
LOCK = (
    "PERFORM pg_advisory_xact_lock(hashtext("
    "'forum-vote:' || NEW.round_id || ':' || NEW.voter_id));"
)

GUARD = f"""
CREATE FUNCTION forum_vote_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    project_round integer;
    project_state text;
    opens timestamptz;
    closes timestamptz;
    allowed integer;
    taken integer;
BEGIN
    SELECT round_id, state INTO project_round, project_state
      FROM forum_project WHERE id = NEW.project_id;
    IF project_round IS DISTINCT FROM NEW.round_id THEN
        RAISE EXCEPTION 'vote for project % is not of round %',
            NEW.project_id, NEW.round_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vote_round_of_project';
    END IF;
    IF project_state <> 'approved' THEN
        RAISE EXCEPTION 'project % is not approved for voting', NEW.project_id
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'vote_for_approved_project';
    END IF;
    SELECT opens_at, closes_at, votes_per_person INTO opens, closes, allowed
      FROM forum_round WHERE id = NEW.round_id;
    IF now() < opens OR now() >= closes THEN
        RAISE EXCEPTION 'round % is not open for voting', NEW.round_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vote_in_window';
    END IF;
    IF allowed IS NULL THEN
        RETURN NEW;
    END IF;
    {LOCK}
    SELECT count(*) INTO taken FROM forum_vote
     WHERE round_id = NEW.round_id AND voter_id = NEW.voter_id;
    IF taken >= allowed THEN
        RAISE EXCEPTION 'voter % has used % of % votes in round %',
            NEW.voter_id, taken, allowed, NEW.round_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vote_within_limit';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER forum_vote_guard
BEFORE INSERT OR UPDATE ON forum_vote
FOR EACH ROW EXECUTE FUNCTION forum_vote_guard();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS forum_vote_guard ON forum_vote;
DROP FUNCTION IF EXISTS forum_vote_guard();
"""

TABLES = (
    "forum_round",
    "forum_project",
    "forum_vote",
    "forum_implementation",
)


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_touch_layer_function"),
        ("forum", "0001_forum"),
    ]

    operations = [
        migrations.RunSQL(GUARD, UNGUARD),
        touch_layer_triggers(*TABLES),
    ]
